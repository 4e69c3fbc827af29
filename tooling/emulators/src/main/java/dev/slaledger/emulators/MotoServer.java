package dev.slaledger.emulators;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * moto (open source AWS emulator, Apache-2.0) in server mode, as a child process on a free loopback
 * port, reached over HTTP by real SDK clients (URLConnection), as a function reaches AWS. The
 * server is single-threaded ({@code threaded=False}): moto's threaded server does not make a
 * conditional write atomic (two winners), one request at a time does.
 *
 * <p>The Python interpreter is the first of {@code -Dsla.moto.python}, {@code $SLA_MOTO_PYTHON},
 * {@code python3}, the checkout's {@code .venv/bin/python3} ({@code .ci/tools.sh} installs moto there when
 * no python has it), {@code /root/.pyenv/versions/*}{@code /bin/python3} (newest first) on which
 * {@code import moto} works. None: one-line {@link IllegalStateException} naming
 * {@value #INSTALL}.
 */
public final class MotoServer implements AutoCloseable {
    /** moto cannot be found or started here: the message is one line naming the fix. */
    public static final class Unavailable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final String PYTHON_PROPERTY = "sla.moto.python";
    public static final String PYTHON_ENV = "SLA_MOTO_PYTHON";
    /** How a machine gets moto. */
    public static final String INSTALL = "bash .ci/tools.sh moto (installs moto[server]==5.2.1 into the checkout's .venv)";
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
    private final String python;
    private final Thread shutdownHook;

    private MotoServer(String python) throws IOException, InterruptedException {
        this.python = python;
        int port = LocalAws.freePort();
        ProcessBuilder builder = new ProcessBuilder(List.of(python, "-c", SCRIPT, Integer.toString(port)))
                .redirectErrorStream(true);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Python '" + python + "' for moto (" + INSTALL
                    + ", or set -D" + PYTHON_PROPERTY + " or " + PYTHON_ENV + "): " + e.getMessage(), e);
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
                        + "): " + INSTALL + ", or set -D" + PYTHON_PROPERTY + " or " + PYTHON_ENV
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

    /**
     * Starts moto on the first Python that has it ({@link #findPython()}); throws a one-line
     * {@link IllegalStateException} naming {@value #INSTALL} when there is none.
     */
    public static MotoServer start() {
        String python = findPython();
        try {
            return new MotoServer(python);
        } catch (IOException e) {
            throw new Unavailable("moto did not start with '" + python + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting moto", e);
        }
    }

    /** The candidates, in order: the property, the environment variable, python3, pyenv's python3s (newest first). */
    static List<String> candidates() {
        Set<String> out = new LinkedHashSet<>();
        String p = System.getProperty(PYTHON_PROPERTY);
        if (p != null && !p.isBlank()) {
            out.add(p.trim());
        }
        String e = System.getenv(PYTHON_ENV);
        if (e != null && !e.isBlank()) {
            out.add(e.trim());
        }
        out.add("python3");
        projectVenv().ifPresent(out::add);
        File[] versions = new File("/root/.pyenv/versions").listFiles(File::isDirectory);
        if (versions != null) {
            Arrays.stream(versions).sorted(Comparator.comparing(File::getName, MotoServer::compareVersions).reversed())
                    .map(v -> new File(v, "bin/python3")).filter(File::canExecute)
                    .forEach(f -> out.add(f.getPath()));
        }
        return new ArrayList<>(out);
    }

    /**
     * The python of the virtual environment {@code .ci/tools.sh} creates in the checkout when no
     * python on the machine has moto (issue 28): {@code .venv/bin/python3} in the nearest ancestor of
     * the working directory that holds {@code .ci/tools.sh}.
     */
    static java.util.Optional<String> projectVenv() {
        for (File dir = new File(System.getProperty("user.dir")).getAbsoluteFile(); dir != null;
                dir = dir.getParentFile()) {
            if (new File(dir, ".ci/tools.sh").isFile()) {
                File python = new File(dir, ".venv/bin/python3");
                return python.canExecute() ? java.util.Optional.of(python.getPath()) : java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c;
            try {
                c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            } catch (NumberFormatException notNumeric) {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** The first candidate on which {@code import moto} works; a one-line exception naming {@value #INSTALL} if none. */
    public static String findPython() {
        List<String> candidates = candidates();
        for (String candidate : candidates) {
            if (hasMoto(candidate)) {
                return candidate;
            }
        }
        throw new Unavailable("moto not found (tried " + String.join(", ", candidates) + "): " + INSTALL
                + ", or set " + PYTHON_ENV + " to a python that has it");
    }

    private static boolean hasMoto(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import moto, werkzeug")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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

    /** moto's version, as it printed it. */
    public String version() {
        return version;
    }

    /** The Python interpreter it runs on. */
    public String python() {
        return python;
    }

    /** Every moto backend answers here (DynamoDB, SQS, ...). */
    public URI endpoint() {
        return endpoint;
    }

    /** A DynamoDB client on this server with the given interceptor; the caller closes it. */
    public DynamoDbClient dynamo(ExecutionInterceptor counter) {
        return LocalAws.on(DynamoDbClient.builder(), endpoint)
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }

    /** An SQS client on this server with the given interceptor; the caller closes it. */
    public SqsClient sqs(ExecutionInterceptor counter) {
        return LocalAws.on(SqsClient.builder(), endpoint)
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }

    /** Stops the child process (SIGTERM, then SIGKILL after 5 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
