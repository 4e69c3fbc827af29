package dev.slaledger.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;

/**
 * The SES v2 emulator (npm {@code aws-ses-v2-local}, pinned in the root package.json and
 * installed by {@code npm ci}), started as a child process on a free port. Missing is an error,
 * not a skip: {@code .ci/run} installs it.
 */
final class SesEmulator implements Mailbox, AutoCloseable {
    static final String BIN = "node_modules/.bin/aws-ses-v2-local";
    /**
     * What the emulator's {@code GetAccount} answers ({@code AWS_SES_ACCOUNT}, its whole account
     * document): SES's default production quota, 14 mails a second and 50,000 a day (S9.3).
     */
    static final String ACCOUNT = "{\"DedicatedIpAutoWarmupEnabled\":false,\"Details\":{\"AdditionalContactEmailAddresses\":[],"
            + "\"ContactLanguage\":\"EN\",\"MailType\":\"TRANSACTIONAL\",\"ReviewDetails\":{\"CaseId\":\"local\","
            + "\"Status\":\"GRANTED\"},\"UseCaseDescription\":\"SLA notices\",\"WebsiteURL\":\"https://provider.example\"},"
            + "\"EnforcementStatus\":\"HEALTHY\",\"ProductionAccessEnabled\":true,\"SendingEnabled\":true,"
            + "\"SendQuota\":{\"Max24HourSend\":50000,\"MaxSendRate\":14,\"SentLast24Hours\":0},"
            + "\"SuppressionAttributes\":{\"SuppressedReasons\":[]}}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SesEmulator(Process process, URI endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    /** The checkout holding node_modules: {@code -Drepo.root}, else the nearest ancestor of the working directory. */
    static Path repoRoot() {
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

    static SesEmulator start() {
        Path root = repoRoot();
        Path bin = root.resolve(BIN);
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("The SES emulator is not installed: " + bin + " is missing. Run `npm ci` in "
                    + root + " (the root package.json pins aws-ses-v2-local; .ci/run does this before Maven).");
        }
        try {
            int port = EmulatorEngines.freePort();
            Path log = Path.of("target", "ses-emulator-" + port + ".log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(bin.toString(), "--port", Integer.toString(port), "--host",
                    "127.0.0.1");
            builder.environment().put("AWS_SES_ACCOUNT", ACCOUNT);
            Process process = builder
                    .directory(root.toFile())
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
            if (!process.isAlive()) {
                throw new IllegalStateException("the SES emulator exited with " + process.exitValue() + ": "
                        + Files.readString(log));
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
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("the SES emulator did not answer within " + START_TIMEOUT + ": "
                + Files.readString(log));
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void allowSender(String from, String configurationSet) {
        // the emulator accepts any sender and configuration set
    }

    /** {@code GET /store}: the emulator's own shape, which is the shape {@link Mailbox} promises. */
    @Override
    public List<JsonNode> emails() {
        JsonNode store;
        try {
            store = JSON.readTree(Http.get(http, endpoint.resolve("/store")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> out = new ArrayList<>();
        store.path("emails").forEach(out::add);
        return out;
    }

    /** {@code POST /clear-store}. */
    @Override
    public void clear() {
        Http.send(http, HttpRequest.newBuilder(endpoint.resolve("/clear-store"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
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
