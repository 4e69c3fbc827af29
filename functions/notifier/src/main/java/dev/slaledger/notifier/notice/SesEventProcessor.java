package dev.slaledger.notifier.notice;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.UndeliverableContacts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies SES sending events to the notice records (S6.4):
 * <ul>
 * <li>any event of a notice whose attempt still holds a SENDING reservation completes it (the
 * run died between the send and the record: SES's own {@code Send} event closes the gap);</li>
 * <li>a {@code Permanent} bounce marks each bounced address undeliverable and the notice BOUNCED
 * (the customer was not told: S6.3 does not count it);</li>
 * <li>a {@code Transient}/{@code Undetermined} bounce (SES gave up after retrying) marks the notice
 * BOUNCED only, and parks the account for a day: a worker then sends it again, at most
 * {@link NoticeSender#MAX_SENDS} times in all;</li>
 * <li>a complaint marks the address undeliverable; the notice stays SENT (it arrived).</li>
 * </ul>
 * Events of mail that is not a notice (no attempt tag) still mark addresses undeliverable.
 */
public final class SesEventProcessor {
    /** What one event changed, for the log. */
    public record Applied(String eventType, String messageId, Optional<String> accountId, Optional<String> version,
            List<String> actions) {
    }

    /** How long after a soft bounce the notice is sent again. */
    public static final Duration RESEND_AFTER_SOFT_BOUNCE = Duration.ofDays(1);

    private final NoticeDeliveries deliveries;
    private final UndeliverableContacts undeliverable;
    /** Where a soft-bounced notice is parked for its resend (null: nowhere, a later look at the account resends it). */
    private final NoticeBacklog backlog;

    public SesEventProcessor(NoticeDeliveries deliveries, UndeliverableContacts undeliverable, NoticeBacklog backlog) {
        this.deliveries = deliveries;
        this.undeliverable = undeliverable;
        this.backlog = backlog;
    }

    public SesEventProcessor(NoticeDeliveries deliveries, UndeliverableContacts undeliverable) {
        this(deliveries, undeliverable, null);
    }

    public Applied apply(SesEvent event) {
        List<String> actions = new ArrayList<>();
        Optional<Attempt> attempt = event.tag(NoticeMailer.ATTEMPT_TAG).flatMap(deliveries::attempt);
        attempt.ifPresent(a -> {
            LocalDate sentOn = LocalDate.ofInstant(event.mailTimestamp(), a.zone());
            if (deliveries.complete(a.accountId(), a.version(), a.attemptId(), event.messageId(),
                    event.mailTimestamp(), sentOn)) {
                actions.add("completed the reservation of attempt " + a.attemptId() + " (sent on " + sentOn + ")");
            }
        });
        switch (event.eventType()) {
            case "Bounce" -> {
                String reason = "Bounce/" + event.bounceType().orElse("Undetermined") + "/"
                        + event.subType().orElse("Undetermined");
                if ("Permanent".equals(event.bounceType().orElse(""))) {
                    markAll(event, reason, actions);
                }
                boolean permanent = "Permanent".equals(event.bounceType().orElse(""));
                attempt.ifPresent(a -> {
                    if (deliveries.markBounced(a.accountId(), a.version(), event.messageId(), reason)) {
                        actions.add("notice marked " + reason);
                        if (!permanent && backlog != null) {
                            // sent again from a day later (NoticeSender bounds the sends); a hard bounce
                            // waits for a new contact instead (the billing event brings the account back)
                            Instant at = event.mailTimestamp().plus(RESEND_AFTER_SOFT_BOUNCE);
                            backlog.park(NoticeWork.account(java.util.List.of(a.accountId())), at, reason);
                            actions.add("account parked until " + at + " for a resend");
                        }
                    }
                });
            }
            case "Complaint" -> markAll(event, "Complaint/" + event.subType().orElse("unspecified"), actions);
            default -> {
                // Send, Delivery and the rest only reconcile (above)
            }
        }
        return new Applied(event.eventType(), event.messageId(), attempt.map(Attempt::accountId),
                attempt.map(Attempt::version), actions);
    }

    private void markAll(SesEvent event, String reason, List<String> actions) {
        Instant at = event.mailTimestamp();
        for (String address : event.recipients()) {
            undeliverable.mark(new UndeliverableContacts.Undeliverable(address, reason, at, event.messageId()));
            actions.add("address marked undeliverable (" + reason + ")");
        }
    }
}
