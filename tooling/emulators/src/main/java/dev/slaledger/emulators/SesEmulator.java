package dev.slaledger.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The SES v2 emulator (npm {@code aws-ses-v2-local}, pinned in the root package.json, installed by
 * {@code npm ci}) as a child process on a free loopback port: the tests' SES engine and the local
 * runtime's. {@link #find} says whether it can run here (node on the PATH and
 * {@code node_modules/.bin/aws-ses-v2-local} under the repository).
 */
public final class SesEmulator implements AutoCloseable {
    /** Where {@code npm ci} puts the launcher, under the repository root. */
    public static final String BIN = "node_modules/.bin/aws-ses-v2-local";
    /**
     * What the emulator's {@code GetAccount} answers ({@code AWS_SES_ACCOUNT}, its whole account
     * document): SES's default production quota, 14 mails a second and 50,000 a day (S9.3).
     */
    public static final String ACCOUNT = "{\"DedicatedIpAutoWarmupEnabled\":false,\"Details\":{\"AdditionalContactEmailAddresses\":[],"
            + "\"ContactLanguage\":\"EN\",\"MailType\":\"TRANSACTIONAL\",\"ReviewDetails\":{\"CaseId\":\"local\","
            + "\"Status\":\"GRANTED\"},\"UseCaseDescription\":\"SLA notices\",\"WebsiteURL\":\"https://provider.example\"},"
            + "\"EnforcementStatus\":\"HEALTHY\",\"ProductionAccessEnabled\":true,\"SendingEnabled\":true,"
            + "\"SendQuota\":{\"Max24HourSend\":50000,\"MaxSendRate\":14,\"SentLast24Hours\":0},"
            + "\"SuppressionAttributes\":{\"SuppressedReasons\":[]}}";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How long a start may take: a poll, so only a slow start waits (a cold Node process on a machine whose
     * two cores run several builds took longer than the 30 s this was).
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /** Ports tried: a port found free can be taken by another process before the emulator binds it. */
    private static final int START_ATTEMPTS = 5;
    /** What the emulator's CLI logs once it listens (aws-ses-v2-local dist/cli.js). */
    static final String LISTENING = "aws-ses-v2-local: server running at";
    static final String FAILED = "aws-ses-v2-local: failed to start server";

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SesEmulator(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** The checkout holding node_modules: {@code -Drepo.root}, else the nearest ancestor of the working directory with package.json and mvnw. */
    public static Path repoRoot() {
        String configured = System.getProperty("repo.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("package.json")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        return start;
    }

    /** The emulator's launcher if node and the npm package are both present, else empty. */
    public static Optional<Path> find(Path repoRoot) {
        Path bin = repoRoot.resolve(BIN);
        if (!Files.isExecutable(bin) || !onPath("node")) {
            return Optional.empty();
        }
        return Optional.of(bin);
    }

    private static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts the emulator of the repository at {@link #repoRoot()}, logging to
     * {@code target/ses-emulator-<port>.log}. Missing is an error, not a skip: {@code .ci/run} installs it.
     */
    public static SesEmulator start() {
        Path root = repoRoot();
        Path bin = find(root).orElseThrow(() -> new IllegalStateException("The SES emulator cannot run: "
                + root.resolve(BIN) + " is missing or node is not on the PATH. Run `npm ci` in " + root
                + " (the root package.json pins aws-ses-v2-local; .ci/run does this before Maven)."));
        return start(bin, Path.of("target").toAbsolutePath());
    }

    /** Starts {@code bin} on a free loopback port, logging to {@code ses-emulator-<port>.log} in {@code logDirectory}. */
    public static SesEmulator start(Path bin, Path logDirectory) {
        return start(bin, logDirectory, LocalAws::freePort);
    }

    /**
     * As {@link #start(Path, Path)}, the ports from {@code ports}. Ready means this process logged that it
     * listens and the port answers {@code /health-check}: a health check alone could be answered by whatever
     * took the port first (another build's emulator), and the tests would then read that one's mail. A
     * process that could not bind its port is started again on another, up to {@value #START_ATTEMPTS} times.
     */
    static SesEmulator start(Path bin, Path logDirectory, java.util.function.IntSupplier ports) {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce(bin, logDirectory, ports.getAsInt());
            } catch (PortTaken e) {
                last = e;
            }
        }
        throw new IllegalStateException("the SES emulator could not bind a port in " + START_ATTEMPTS + " attempts",
                last);
    }

    /** The emulator's process ended without listening (its port was taken). */
    static final class PortTaken extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }

    private static SesEmulator startOnce(Path bin, Path logDirectory, int port) {
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve("ses-emulator-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port), "--host",
                    "127.0.0.1");
            // what the emulator's GetAccount answers (S9.3): SES's default production quota
            builder.environment().put("AWS_SES_ACCOUNT", ACCOUNT);
            Process process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            SesEmulator emulator = new SesEmulator(process, URI.create("http://127.0.0.1:" + port), log);
            emulator.awaitReady();
            return emulator;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the SES emulator", e);
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String logged = Files.exists(log) ? Files.readString(log) : "";
            if (!process.isAlive() || logged.contains(FAILED)) {
                close();
                throw new PortTaken("the SES emulator on " + endpoint + " did not start (exit "
                        + (process.isAlive() ? "pending" : process.exitValue()) + "): " + logged);
            }
            if (!logged.contains(LISTENING)) {
                sleep();
                continue;
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/health-check"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep();
        }
        close();
        throw new IllegalStateException("the SES emulator did not answer within " + START_TIMEOUT + ": "
                + Files.readString(log));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where SES v2 answers. */
    public URI endpoint() {
        return endpoint;
    }

    /** The emails the emulator holds, oldest first ({@code GET /store}). */
    public List<JsonNode> emails() {
        List<JsonNode> out = new ArrayList<>();
        try {
            JSON.readTree(send(HttpRequest.newBuilder(endpoint.resolve("/store")).GET().build()))
                    .path("emails").forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Forgets every email ({@code POST /clear-store}). */
    public void clear() {
        send(HttpRequest.newBuilder(endpoint.resolve("/clear-store")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private String send(HttpRequest request) {
        return EngineHttp.send(http, request);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
