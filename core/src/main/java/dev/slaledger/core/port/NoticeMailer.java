package dev.slaledger.core.port;

import java.util.Map;

/**
 * Sends a notice and tags it, so the provider's later events (send, bounce, complaint) name the
 * attempt they are about. Failures say whether the provider took the mail:
 * {@link MailNotSent} (it did not: safe to try again) or {@link MailOutcomeUnknown} (it may have).
 */
public interface NoticeMailer extends MailSender {
    /** The tag that carries the attempt id to the provider's events. */
    String ATTEMPT_TAG = "sla-notice-attempt";

    /** @return the provider's message id */
    String send(Mail mail, Map<String, String> tags);

    @Override
    default String send(Mail mail) {
        return send(mail, Map.of());
    }

    /** The provider answered and did not take the mail. */
    final class MailNotSent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** Why, as far as it decides what to do next. */
        public enum Reason {
            /** Slow down: the send rate or the 24-hour quota (S9.3); the rest of the run waits. */
            THROTTLED,
            /** The account may not send now (sending paused, suspended): nothing is sent until it may. */
            PAUSED,
            /** This mail was refused (rejected content, a bad address...): tried again a bounded number of times. */
            REFUSED
        }

        private final Reason reason;

        public MailNotSent(String message, Reason reason, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        public MailNotSent(String message, boolean throttled, Throwable cause) {
            this(message, throttled ? Reason.THROTTLED : Reason.REFUSED, cause);
        }

        public Reason reason() {
            return reason;
        }

        /** The provider asked us to slow down (after the client's own retries with backoff). */
        public boolean throttled() {
            return reason == Reason.THROTTLED;
        }

        /** Not this mail's fault: the provider will take it later (throttled or paused). */
        public boolean deferrable() {
            return reason != Reason.REFUSED;
        }
    }

    /** The request may have reached the provider and been accepted (a timeout, a cut connection). */
    final class MailOutcomeUnknown extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MailOutcomeUnknown(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
