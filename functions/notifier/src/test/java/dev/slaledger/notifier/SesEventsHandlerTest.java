package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.core.port.NoticeDeliveries.Attempt;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.UndeliverableContacts;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemoryUndeliverableContacts;
import dev.slaledger.notifier.notice.SesEventProcessor;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The SES events handler on the event files of events/notifier (EventBridge, SNS and SQS shapes). */
class SesEventsHandlerTest {
    private static final String ATTEMPT = "7b0c9a52-4c0e-4c38-9a8e-2f1d3c4b5a69";
    private static final String MESSAGE = "010201934a5b6c7d-8e9fa0b1-c2d3-4e5f-a6b7-c8d9e0f1a2b3-000000";

    private final InMemoryNoticeLedger ledger = new InMemoryNoticeLedger();
    private final InMemoryUndeliverableContacts undeliverable = new InMemoryUndeliverableContacts();
    private final SesEventsHandler handler = new SesEventsHandler(new SesEventProcessor(ledger, undeliverable));

    @BeforeEach
    void reserved() {
        ledger.reserve(new Attempt("globex", "2027-01", ATTEMPT, "sla@globex.example", ZoneId.of("Asia/Shanghai"),
                Instant.parse("2026-11-02T09:00:01Z"), Instant.parse("2026-11-04T09:00:01Z")), Optional.empty());
    }

    private void complete() {
        ledger.complete("globex", "2027-01", ATTEMPT, MESSAGE, Instant.parse("2026-11-02T09:00:02Z"),
                LocalDate.parse("2026-11-02"));
    }

    @Test
    @DisplayName("S6.4: a permanent bounce marks the address undeliverable and the notice BOUNCED (not counted by S6.3)")
    void permanentBounce() {
        complete();
        handler.handleRequest(Fixtures.map(Fixtures.json("ses-email-bounced-permanent.json")), null);

        assertThat(undeliverable.find("SLA@globex.example")).get()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("Bounce/Permanent/General"));
        assertThat(ledger.stored("globex", "2027-01")).get().extracting(r -> r.state()).isEqualTo(State.BOUNCED);
        assertThat(ledger.sentDates("globex")).isEmpty();
    }

    @Test
    @DisplayName("S6.4: the same bounce delivered through SNS has the same effect")
    void snsBounce() {
        complete();
        handler.handleRequest(Fixtures.map(Fixtures.json("sns-ses-bounce-permanent.json")), null);

        assertThat(undeliverable.find("sla@globex.example")).isPresent();
        assertThat(ledger.stored("globex", "2027-01")).get().extracting(r -> r.state()).isEqualTo(State.BOUNCED);
    }

    @Test
    @DisplayName("S6.4: a complaint marks the address undeliverable; the notice arrived, so it stays SENT")
    void complaint() {
        complete();
        handler.handleRequest(Fixtures.map(Fixtures.json("ses-email-complaint.json")), null);

        assertThat(undeliverable.find("sla@globex.example")).get()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("Complaint/abuse"));
        assertThat(ledger.sentDates("globex")).containsKey("2027-01");
    }

    @Test
    @DisplayName("S6.4/S6.3: SES's Send event completes a reservation the notifier left (it died after the send), dated in the version's zone")
    void sendEventReconciles() {
        Map<String, Object> out = handler.handleRequest(Fixtures.map(Fixtures.json("ses-email-sent.json")), null);

        assertThat(ledger.find("globex", "2027-01")).get().satisfies(d -> {
            assertThat(d.messageId()).isEqualTo(MESSAGE);
            assertThat(d.sentAt()).isEqualTo(Instant.parse("2026-11-02T09:00:02.312Z"));
            assertThat(d.sentOn()).isEqualTo(LocalDate.parse("2026-11-02"));
        });
        assertThat(out.toString()).contains("completed the reservation");
    }

    @Test
    @DisplayName("S6.4: a transient bounce marks the notice BOUNCED but not the address")
    void transientBounce() {
        complete();
        JsonNode event = Fixtures.json("ses-email-bounced-permanent.json");
        ((ObjectNode) event.path("detail").path("bounce")).put("bounceType", "Transient").put("bounceSubType", "MailboxFull");

        handler.handleRequest(Fixtures.map(event), null);

        assertThat(undeliverable.find("sla@globex.example")).isEmpty();
        assertThat(ledger.stored("globex", "2027-01")).get().satisfies(r -> {
            assertThat(r.state()).isEqualTo(State.BOUNCED);
            assertThat(r.lastError()).contains("Bounce/Transient/MailboxFull");
        });
    }

    @Test
    @DisplayName("an event that is not an SES record is dropped, not retried")
    void garbage() {
        Map<String, Object> out = handler.handleRequest(Map.of("hello", "world"), null);
        assertThat(out).containsKey("ignored");
    }

    @Test
    @DisplayName("S6.4: the bounce EventBridge put in the feedback queue, read by the SQS event source, has the same effect and fails nothing")
    void sqsBounce() {
        complete();
        Map<String, Object> out = handler.handleRequest(Fixtures.map(Fixtures.json("sqs-ses-feedback-bounce.json")), null);

        assertThat(out).isEqualTo(Map.of("batchItemFailures", List.of()));
        assertThat(undeliverable.find("sla@globex.example")).isPresent();
        assertThat(ledger.stored("globex", "2027-01")).get().extracting(r -> r.state()).isEqualTo(State.BOUNCED);
    }

    @Test
    @DisplayName("S6.4: in an SQS batch a malformed message is dropped and only a message whose storage failed is reported for redelivery")
    void sqsPartialBatch() {
        UndeliverableContacts down = new UndeliverableContacts() {
            @Override
            public Optional<Undeliverable> find(String email) {
                throw new IllegalStateException("table unavailable");
            }

            @Override
            public void mark(Undeliverable u) {
                throw new IllegalStateException("table unavailable");
            }
        };
        SesEventsHandler failing = new SesEventsHandler(new SesEventProcessor(ledger, down));
        ObjectNode batch = (ObjectNode) Fixtures.json("sqs-ses-feedback-bounce.json");
        ObjectNode garbage = ((ObjectNode) batch.withArray("Records").get(0)).deepCopy();
        garbage.put("messageId", "garbage-1").put("body", "{\"hello\":\"world\"}");
        batch.withArray("Records").add(garbage);

        Map<String, Object> out = failing.handleRequest(Fixtures.map(batch), null);

        assertThat(out).isEqualTo(Map.of("batchItemFailures",
                List.of(Map.of("itemIdentifier", "5f1e2d3c-4b5a-4968-8776-655443322110"))));
    }
}
