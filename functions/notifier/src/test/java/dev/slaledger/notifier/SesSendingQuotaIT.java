package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.core.port.SendingQuota.Quota;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S9.3: the SES account's quota as {@code GetAccount} gives it, on the SES v2 emulator of the
 * {@code Engines} fixture (its account document: 14/s, 50,000 a day), and, for answers no engine
 * gives, on a stub answering SES's JSON: sending disabled, an unlimited 24-hour quota (-1).
 */
class SesSendingQuotaIT {
    @Test
    @UsesEngines
    @DisplayName("S9.3 GetAccount on the SES emulator: the quota a run starts from")
    void onTheEmulator() {
        Quota q = new SesSendingQuota(Engines.get().sesV2().build()).read();
        assertThat(q.maxSendRate()).isEqualByComparingTo("14");
        assertThat(q.max24HourSend()).isEqualTo(50_000);
        assertThat(q.sentLast24Hours()).isZero();
    }

    private static Quota answering(String json) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/email/account", exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            return new SesSendingQuota(dev.slaledger.emulators.LocalAws.on(
                    software.amazon.awssdk.services.sesv2.SesV2Client.builder(),
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort())).build()).read();
        } finally {
            server.stop(0);
        }
    }

    @Test
    @DisplayName("S9.3 an account whose sending is disabled has no quota to send with")
    void sendingDisabled() throws IOException {
        Quota q = answering("{\"SendingEnabled\":false,\"ProductionAccessEnabled\":true,"
                + "\"SendQuota\":{\"Max24HourSend\":50000,\"MaxSendRate\":14,\"SentLast24Hours\":1200}}");
        assertThat(q).isEqualTo(new Quota(BigDecimal.ZERO, 0, 1200));
    }

    @Test
    @DisplayName("S9.3 SES's -1 (an unlimited 24-hour quota) reads as unlimited; the rate still bounds every hour")
    void unlimited() throws IOException {
        Quota q = answering("{\"SendingEnabled\":true,"
                + "\"SendQuota\":{\"Max24HourSend\":-1.0,\"MaxSendRate\":200.0,\"SentLast24Hours\":3.0}}");
        assertThat(q.maxSendRate()).isEqualByComparingTo("200");
        assertThat(q.max24HourSend()).isEqualTo(Long.MAX_VALUE);
        assertThat(q.sentLast24Hours()).isEqualTo(3);
    }
}
