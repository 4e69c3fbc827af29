package dev.slaledger.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The deployed settings the notices depend on, read from their one definition ({@code deployment.json}
 * of adapters/lambda-support, which the CDK app deploys and the rehearsal runs on): the notice queue's
 * redelivery (S9.2) and the reservation lease derived from the retry schedule (S6.4).
 */
final class DeployedSettings {
    static final String RESOURCE = "/dev/slaledger/lambda/deployment.json";
    private static final JsonNode ROOT = read();

    private DeployedSettings() {
    }

    private static JsonNode read() {
        try (InputStream in = DeployedSettings.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (adapters/lambda-support)");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode queue(String name) {
        JsonNode q = ROOT.path("queues").path(name);
        if (q.isMissingNode()) {
            throw new IllegalStateException("no queue " + name + " in " + RESOURCE);
        }
        return q;
    }

    static Duration functionTimeout(String name) {
        JsonNode f = ROOT.path("functions").path(name);
        if (f.isMissingNode()) {
            throw new IllegalStateException("no function " + name + " in " + RESOURCE);
        }
        return Duration.ofSeconds(f.path("timeoutSeconds").asLong());
    }

    /**
     * How long a send reservation belongs to its attempt (S6.4): the notice worker's timeout (the
     * invocation that reserved has ended by then, whatever happened to it) plus the SES feedback
     * queue's whole redelivery schedule (its visibility timeout times its receives: SES's Send event of a
     * mail accepted just before the invocation died has been recorded by then, or sits in the feedback
     * dead-letter queue, alarmed). 5 + 6 x 5 = 35 minutes as deployed: a send whose invocation died is
     * tried again by the next hourly run instead of two days later, and not before its Send event could
     * complete it.
     */
    static Duration reservationLease() {
        JsonNode feedback = queue("mail-feedback");
        return functionTimeout("notice-worker").plus(Duration.ofSeconds(
                feedback.path("visibilityTimeoutSeconds").asLong() * feedback.path("maxReceiveCount").asLong()));
    }
}
