package dev.slaledger.adapter.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.Mailbox;
import dev.slaledger.testkit.UsesEngines;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The SES adapter on the wire: against the SES of the {@code Engines} fixture (a real send to the
 * SES v2 emulator, or LocalStack), and against a stub HTTP server answering what SES answers when
 * it throttles, refuses, fails or hangs, to prove which answers are retried and how each is
 * classified (S6.4). The stub tests need no engine and run under every profile.
 */
class SesMailSenderIT {
    private static final Mail MAIL = new Mail("ops@acme.example", "Subject 主题", "text body", "<p>html body</p>");

    private static Mailbox emulator() {
        Mailbox mailbox = Engines.get().mailbox();
        mailbox.allowSender("sla-notices@provider.example", "sla-notices");
        return mailbox;
    }

    /**
     * The client of every test that expects an answer: its timeouts are far above any answer time
     * on a loaded machine, so no test's outcome depends on how fast the engine answers (a 1.5 s
     * attempt timeout turned a slow first answer of the emulator into "outcome unknown": the
     * notices module's flaky test, docs/notices.md "Tests").
     */
    static SesV2Client client(URI endpoint) {
        return client(endpoint, Duration.ofSeconds(60));
    }

    static SesV2Client client(URI endpoint, Duration attemptTimeout) {
        return SesV2Client.builder()
                .addPlugin(dev.slaledger.testkit.CallRecorder.plugin()) // the notifier's sends are IAM evidence
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(attemptTimeout.plusSeconds(5)).build())
                .overrideConfiguration(c -> c.retryStrategy(
                        SesMailSender.retryStrategy(Duration.ofMillis(5), Duration.ofMillis(10)))
                        .apiCallAttemptTimeout(attemptTimeout))
                .build();
    }

    @Test
    @UsesEngines
    @DisplayName("S6.2: a notice sent through SES v2 (configuration set, attempt tag, UTF-8) arrives with its message id")
    void sendsThroughTheEmulator() {
        Mailbox emulator = emulator();
        emulator.clear();
        SesMailSender sender = new SesMailSender(client(emulator.endpoint(), Duration.ofSeconds(30)),
                "sla-notices@provider.example", Optional.of("sla-notices"));

        String id = sender.send(MAIL, Map.of(NoticeMailer.ATTEMPT_TAG, "7b0c9a52-4c0e-4c38-9a8e-2f1d3c4b5a69"));

        List<JsonNode> emails = emulator.emails();
        assertThat(emails).hasSize(1);
        JsonNode mail = emails.get(0);
        assertThat(mail.path("messageId").asText()).isEqualTo(id);
        assertThat(mail.path("from").asText()).isEqualTo("sla-notices@provider.example");
        assertThat(mail.path("destination").path("to").get(0).asText()).isEqualTo("ops@acme.example");
        assertThat(mail.path("subject").asText()).isEqualTo("Subject 主题");
        assertThat(mail.path("body").path("text").asText()).isEqualTo("text body");
        assertThat(mail.path("body").path("html").asText()).isEqualTo("<p>html body</p>");
    }

    /**
     * A stub of SES answering {@code status} with {@code errorType}; with {@code hang}, it answers
     * only once the test releases it (after the client gave up), whatever the machine's speed.
     */
    private record Stub(HttpServer server, AtomicInteger requests, CountDownLatch release) implements AutoCloseable {
        static Stub answering(int status, String errorType) throws IOException {
            return start(status, errorType, false);
        }

        static Stub hanging() throws IOException {
            return start(200, "none", true);
        }

        private static Stub start(int status, String errorType, boolean hang) throws IOException {
            AtomicInteger requests = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(hang ? 1 : 0);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                requests.incrementAndGet();
                exchange.getRequestBody().readAllBytes();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = ("{\"message\":\"stubbed " + errorType + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
                exchange.getResponseHeaders().add("x-amzn-RequestId", "stub-request");
                try (OutputStream out = exchange.getResponseBody()) {
                    exchange.sendResponseHeaders(status, body.length);
                    out.write(body);
                } catch (IOException clientGone) {
                    // the client timed out first
                }
            });
            server.start();
            return new Stub(server, requests, release);
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    private static SesMailSender sender(URI endpoint) {
        return new SesMailSender(client(endpoint), "sla-notices@provider.example", Optional.empty());
    }

    @Test
    @DisplayName("S6.4: throttling (429) is retried with backoff, then reported as not sent and throttled")
    void throttled() throws IOException {
        try (Stub stub = Stub.answering(429, "TooManyRequestsException")) {
            assertThatThrownBy(() -> sender(stub.endpoint()).send(MAIL, Map.of()))
                    .isInstanceOfSatisfying(NoticeMailer.MailNotSent.class, e -> assertThat(e.throttled()).isTrue());
            assertThat(stub.requests()).hasValue(SesMailSender.MAX_ATTEMPTS);
        }
    }

    @Test
    @DisplayName("S9.3: the daily quota exceeded (a throttling error) is retried with backoff, then reported throttled: the run defers the rest")
    void dailyQuotaExceeded() throws IOException {
        try (Stub stub = Stub.answering(400, "ThrottlingException")) {
            assertThatThrownBy(() -> sender(stub.endpoint()).send(MAIL, Map.of()))
                    .isInstanceOfSatisfying(NoticeMailer.MailNotSent.class, e -> {
                        assertThat(e.reason()).isEqualTo(NoticeMailer.MailNotSent.Reason.THROTTLED);
                        assertThat(e.deferrable()).isTrue();
                    });
            assertThat(stub.requests()).hasValue(SesMailSender.MAX_ATTEMPTS);
        }
    }

    @Test
    @DisplayName("S9.3: sending paused for the account is not this mail's fault: not retried, reported deferrable, not a refusal")
    void sendingPaused() throws IOException {
        try (Stub stub = Stub.answering(400, "SendingPausedException")) {
            assertThatThrownBy(() -> sender(stub.endpoint()).send(MAIL, Map.of()))
                    .isInstanceOfSatisfying(NoticeMailer.MailNotSent.class, e -> {
                        assertThat(e.reason()).isEqualTo(NoticeMailer.MailNotSent.Reason.PAUSED);
                        assertThat(e.deferrable()).isTrue();
                    });
            assertThat(stub.requests()).hasValue(1);
        }
    }

    @Test
    @DisplayName("S6.4: a refusal (400 MessageRejected) is not retried and is reported as not sent")
    void refused() throws IOException {
        try (Stub stub = Stub.answering(400, "MessageRejected")) {
            assertThatThrownBy(() -> sender(stub.endpoint()).send(MAIL, Map.of()))
                    .isInstanceOfSatisfying(NoticeMailer.MailNotSent.class, e -> {
                        assertThat(e.throttled()).isFalse();
                        assertThat(e.getMessage()).contains("400").contains("MessageRejected");
                    });
            assertThat(stub.requests()).hasValue(1);
        }
    }

    @Test
    @DisplayName("S6.4: a 500 may follow an accepted mail: not retried (no idempotency token), outcome unknown")
    void internalError() throws IOException {
        try (Stub stub = Stub.answering(500, "InternalFailure")) {
            assertThatThrownBy(() -> sender(stub.endpoint()).send(MAIL, Map.of()))
                    .isInstanceOf(NoticeMailer.MailOutcomeUnknown.class);
            assertThat(stub.requests()).hasValue(1);
        }
    }

    @Test
    @DisplayName("S6.4: no answer in time: not retried, outcome unknown")
    void timeout() throws IOException {
        try (Stub stub = Stub.hanging()) {
            SesMailSender sender = new SesMailSender(client(stub.endpoint(), Duration.ofSeconds(2)),
                    "sla-notices@provider.example", Optional.empty());
            assertThatThrownBy(() -> sender.send(MAIL, Map.of())).isInstanceOf(NoticeMailer.MailOutcomeUnknown.class);
            // the stub never answers before the client gave up; at most the one attempt reached it
            // (on a loaded machine even that one may still be on its way: never a second)
            assertThat(stub.requests().get()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    @DisplayName("S6.4: a connection that never opened is retried, then reported as not sent")
    void unreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThatThrownBy(() -> sender(URI.create("http://127.0.0.1:" + port)).send(MAIL, Map.of()))
                .isInstanceOfSatisfying(NoticeMailer.MailNotSent.class, e -> assertThat(e.throttled()).isFalse());
    }
}
