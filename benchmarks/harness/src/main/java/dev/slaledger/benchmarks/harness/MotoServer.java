package dev.slaledger.benchmarks.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * moto (open source AWS emulator) in server mode, as a child process on a free loopback port,
 * reached over HTTP by real SDK clients (URLConnection), as a function reaches AWS. The server is
 * single-threaded ({@code threaded=False}): moto's threaded server does not make a conditional
 * write atomic, and one request at a time is what a sequential harness sends anyway.
 *
 * <p>The Python interpreter is {@code -Dsla.moto.python}, else {@code $SLA_MOTO_PYTHON}, else
 * {@code python3}; it needs {@code pip install 'moto[server]==5.2.1'}.
 */
final class MotoServer implements AutoCloseable {
    static final String PYTHON_PROPERTY = "sla.moto.python";
    static final String PYTHON_ENV = "SLA_MOTO_PYTHON";
    private static final int MISSING = 3;

    /** Prints the moto version, then serves every moto backend on one port, one request at a time. */
    private static final String SCRIPT = String.join("\n",
            "import logging, sys",
            "try:",
            "    import moto",
            "    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app",
            "    from werkzeug.serving import run_simple",
            "except ImportError as e:",
            "    print('MOTO_MISSING ' + str(e), flush=True)",
            "    sys.exit(" + MISSING + ")",
            "logging.getLogger('werkzeug').setLevel(logging.WARNING)",
            "print('moto ' + moto.__version__, flush=True)",
            "run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app),",
            "           threaded=False, processes=1, use_reloader=False, use_debugger=False)",
            "");

    private final Process process;
    private final URI endpoint;
    private final String version;
    private final Thread shutdownHook;

    MotoServer() throws IOException, InterruptedException {
        String python = python();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(python, "-c", SCRIPT, Integer.toString(port)))
                .redirectErrorStream(true);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Python '" + python + "' for moto (set -D" + PYTHON_PROPERTY
                    + " or " + PYTHON_ENV + " to a python with moto: pip install 'moto[server]==5.2.1'): "
                    + e.getMessage(), e);
        }
        shutdownHook = new Thread(process::destroy, "moto-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (!firstLine.isDone()) {
                        firstLine.complete(line);
                    } else {
                        System.err.println("[moto] " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            firstLine.complete("");
        }, "moto-output");
        reader.setDaemon(true);
        reader.start();
        endpoint = URI.create("http://127.0.0.1:" + port);
        try {
            String first = firstLine.get(60, TimeUnit.SECONDS);
            if (first.startsWith("MOTO_MISSING")) {
                throw new IllegalStateException("moto is not installed for '" + python + "' (" + first
                        + "): pip install 'moto[server]==5.2.1', or set -D" + PYTHON_PROPERTY + " or " + PYTHON_ENV
                        + " to a python that has it");
            }
            if (!first.startsWith("moto ")) {
                throw new IllegalStateException("moto did not start with '" + python + "': " + first);
            }
            version = first.substring("moto ".length());
            awaitPort(port);
        } catch (RuntimeException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException("moto did not start: " + e, e);
        }
    }

    private static String python() {
        String p = System.getProperty(PYTHON_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(PYTHON_ENV);
        }
        return p == null || p.isBlank() ? "python3" : p;
    }

    private void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue() + " before answering");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto did not answer on port " + port + " within 60 s");
    }

    String version() {
        return version;
    }

    DynamoDbClient dynamo(ExecutionInterceptor counter) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }

    SqsClient sqs(ExecutionInterceptor counter) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /** Stops the child process (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
