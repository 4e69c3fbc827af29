package dev.slaledger.notifier;

import dev.slaledger.core.json.PlainJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

/**
 * The deployed settings the notices depend on, read from their one definition ({@code deployment.json}
 * of adapters/lambda-support, which the CDK app deploys and the rehearsal runs on): the notice queue's
 * redelivery (S9.2) and the reservation lease derived from the retry schedule (S6.4). Read with
 * jackson-core alone ({@link PlainJson}): the notifier reads it in its init and needs databind for nothing
 * else.
 */
final class DeployedSettings {
    static final String RESOURCE = "/dev/slaledger/lambda/deployment.json";
    private static final Map<?, ?> ROOT = read();

    private DeployedSettings() {
    }

    private static Map<?, ?> read() {
        try (InputStream in = DeployedSettings.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path (adapters/lambda-support)");
            }
            if (!(PlainJson.read(in) instanceof Map<?, ?> root)) {
                throw new IllegalStateException(RESOURCE + " is not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<?, ?> queue(String name) {
        return entry("queues", name);
    }

    static Duration functionTimeout(String name) {
        return Duration.ofSeconds(number(entry("functions", name), "timeoutSeconds"));
    }

    /** A number of an entry (a queue, a function); a setting that is absent or not an integer is refused. */
    static long number(Map<?, ?> entry, String field) {
        if (entry.get(field) instanceof PlainJson.Num n && n.longValue() != null) {
            return n.longValue();
        }
        throw new IllegalStateException(field + " is not an integer in " + RESOURCE + ": " + entry.get(field));
    }

    private static Map<?, ?> entry(String family, String name) {
        if (ROOT.get(family) instanceof Map<?, ?> entries && entries.get(name) instanceof Map<?, ?> entry) {
            return entry;
        }
        throw new IllegalStateException("no " + family + "." + name + " in " + RESOURCE);
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
        Map<?, ?> feedback = queue("mail-feedback");
        return functionTimeout("notice-worker").plus(Duration.ofSeconds(
                number(feedback, "visibilityTimeoutSeconds") * number(feedback, "maxReceiveCount")));
    }
}
