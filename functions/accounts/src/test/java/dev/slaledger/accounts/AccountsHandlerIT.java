package dev.slaledger.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.billing.ConflictingBillingEventException;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.emulators.LambdaContext;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The handler end to end on the JSON files of events/accounts/, against the DynamoDB of the {@code Engines} fixture. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesEngines
class AccountsHandlerIT {

    private final DynamoDbClient dynamo = Engines.get().dynamoDbClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> logged = new ArrayList<>();
    private int tables;
    private String table;
    private AccountsHandler handler;
    private DynamoDbAccountRepository repo;
    private DynamoDbStatementRepository statements;
    /** 2026-11-03: October has ended and its claim window is open; so is September's; August's closed. */
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-03T09:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void freshTable() {
        table = "handler-accounts-" + (++tables);
        String ledger = "handler-ledger-" + tables;
        AccountsTable.create(dynamo, table);
        LedgerTable.create(dynamo, ledger);
        repo = new DynamoDbAccountRepository(dynamo, table);
        statements = new DynamoDbStatementRepository(dynamo, ledger);
        handler = new AccountsHandler(new BillingEventParser(), repo, new StaleMarks(statements,
                new DynamoDbTermsRepository(dynamo, ledger, DefaultTerms.version()), clock));
        logged.clear();
    }

    @AfterAll
    void stop() {
        dynamo.close();
    }

    private JsonNode invoke(InputStream event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaContext context = new LambdaContext("accounts", logged::add);
        handler.handleRequest(event, out, context);
        return json.readTree(out.toByteArray());
    }

    private JsonNode invoke(String file) throws Exception {
        try (InputStream in = EventFiles.open(file)) {
            return invoke(in);
        }
    }

    private List<Map<String, AttributeValue>> items() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build()).items().forEach(items::add);
        items.sort(java.util.Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s() + "|" + i.get("sk").s()));
        return items;
    }

    @Test
    @DisplayName("S4.2 the billing history of events/accounts/, delivered out of order and twice, ends in the same account")
    void historyOutOfOrderAndReplayed() throws Exception {
        JsonNode answer = invoke("fee-assessed-correction.json");
        assertThat(answer.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(answer.get("entity").asText()).isEqualTo("fee acme/2026-03");
        assertThat(answer.get("storedVersion").asLong()).isEqualTo(2);
        assertThat(invoke("fee-assessed.json").get("outcome").asText()).isEqualTo("STALE");
        assertThat(invoke("fee-assessed.json").get("outcome").asText()).isEqualTo("STALE");
        assertThat(invoke("subscription-purchased.json").get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(invoke("subscription-purchased.json").get("outcome").asText()).isEqualTo("REPLAY");
        assertThat(invoke("contact-changed.json").get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("\"outcome\":\"STALE\""));

        assertThat(repo.find("acme").orElseThrow().feeFor(YearMonth.of(2026, 3)))
                .contains(MonthlyFee.of("900.00", "100.00", "CNY"));
    }

    @Test
    @DisplayName("issue 4 item 4: every invalid event is refused by a thrown exception and writes nothing, on an empty or a filled table")
    void invalidEventsWriteNothing() throws Exception {
        List<String> invalid = EventFiles.list("invalid");
        assertThat(invalid).isNotEmpty();
        for (String file : invalid) {
            assertThatThrownBy(() -> invoke(file)).as(file).isInstanceOf(InvalidBillingEventException.class);
        }
        assertThat(items()).isEmpty();

        for (String file : EventFiles.list("")) {
            invoke(file);
        }
        List<Map<String, AttributeValue>> before = items();
        assertThat(before).isNotEmpty();
        for (String file : invalid) {
            assertThatThrownBy(() -> invoke(file)).as(file).isInstanceOf(InvalidBillingEventException.class)
                    .hasMessageContaining("refused");
        }
        assertThat(items()).isEqualTo(before);
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("unknown detail-type InvoicePaid"));
    }

    @Test
    @DisplayName("a version conflict (same billing version, other content) fails the invocation and keeps the stored state")
    void conflictFailsInvocation() throws Exception {
        invoke("fee-assessed.json");
        List<Map<String, AttributeValue>> before = items();
        String changed = EventFiles.read("fee-assessed.json").replace("\"1000.00\"", "\"1200.00\"");
        assertThatThrownBy(() -> invoke(new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ConflictingBillingEventException.class)
                .hasMessageContaining("already stored at billingVersion 1");
        assertThat(items()).isEqualTo(before);
    }

    private JsonNode invokeJson(String file, Map<String, String> replacements) throws Exception {
        String text = EventFiles.read(file);
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        return invoke(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final YearMonth SEP = YearMonth.of(2026, 9);
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final YearMonth NOV = YearMonth.of(2026, 11);

    @Test
    @DisplayName("S7.1 a fee assessed after the month-end, then corrected, marks that account-month stale each time; a late older version marks nothing")
    void feeAssessedLateMarksItsMonth() throws Exception {
        JsonNode first = invokeJson("fee-assessed.json", Map.of("\"2026-03\"", "\"2026-10\""));
        assertThat(first.get("markedStale").toString()).isEqualTo("[\"2026-10\"]");
        long mark = statements.staleMark("acme", OCT).orElseThrow();
        statements.clearStale("acme", OCT, mark); // the recomputation that read it

        JsonNode correction = invokeJson("fee-assessed-correction.json", Map.of("\"2026-03\"", "\"2026-10\""));
        assertThat(correction.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(statements.staleMark("acme", OCT)).hasValueSatisfying(m -> assertThat(m).isGreaterThan(mark));
        statements.clearStale("acme", OCT, statements.staleMark("acme", OCT).orElseThrow());

        JsonNode late = invokeJson("fee-assessed.json", Map.of("\"2026-03\"", "\"2026-10\""));
        assertThat(late.get("outcome").asText()).isEqualTo("STALE");
        assertThat(late.get("markedStale").size()).isZero();
        assertThat(statements.staleMark("acme", OCT)).isEmpty();
    }

    @Test
    @DisplayName("S7.1 a fee for a month not yet ended, or whose claim window has closed, marks nothing")
    void feeOutsideOpenMonthsMarksNothing() throws Exception {
        assertThat(invokeJson("fee-assessed.json", Map.of("\"2026-03\"", "\"2026-11\"")).get("markedStale").size())
                .isZero();
        assertThat(invokeJson("fee-assessed.json", Map.of("\"2026-03\"", "\"2026-08\"")).get("markedStale").size())
                .isZero();
        assertThat(statements.staleMark("acme", NOV)).isEmpty();
        assertThat(statements.staleMark("acme", YearMonth.of(2026, 8))).isEmpty();
    }

    @Test
    @DisplayName("S7.1 a subscription bought backwards marks the open months it now covers; ended early, the months its old term covered")
    void subscriptionChangesMarkTheMonthsOfOldAndNewTerm() throws Exception {
        JsonNode bought = invokeJson("subscription-purchased.json",
                Map.of("2026-03-17", "2026-10-01", "2026-06-16", "2026-12-31"));
        assertThat(bought.get("markedStale").toString()).isEqualTo("[\"2026-10\"]");
        assertThat(statements.staleMark("acme", SEP)).isEmpty();
        statements.clearStale("acme", OCT, statements.staleMark("acme", OCT).orElseThrow());

        // Backdated: billing moves the start to September (a newer version of the same subscription).
        JsonNode backdated = invokeJson("subscription-ended-cancelled.json", Map.of("2026-03-17", "2026-09-01",
                "2026-05-10", "2026-12-31", "\"billingVersion\": 2", "\"billingVersion\": 2"));
        assertThat(backdated.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(backdated.get("markedStale").toString()).isEqualTo("[\"2026-09\",\"2026-10\"]");
        statements.clearStale("acme", SEP, statements.staleMark("acme", SEP).orElseThrow());
        statements.clearStale("acme", OCT, statements.staleMark("acme", OCT).orElseThrow());

        // Cancelled back to before September: both months lose their days, both are marked.
        JsonNode cancelled = invokeJson("subscription-ended-cancelled.json", Map.of("2026-03-17", "2026-09-01",
                "2026-05-10", "2026-08-31", "\"billingVersion\": 2", "\"billingVersion\": 3"));
        assertThat(cancelled.get("markedStale").toString()).isEqualTo("[\"2026-09\",\"2026-10\"]");
        assertThat(statements.staleMark("acme", SEP)).isPresent();
        assertThat(statements.staleMark("acme", OCT)).isPresent();
    }

    @Test
    @DisplayName("S7.1 a redelivered event (the first delivery may have died before marking) marks again; a contact change marks nothing while only the original terms are published (no notice governs anything)")
    void redeliveryAndContactChangeMark() throws Exception {
        invokeJson("subscription-purchased.json", Map.of("2026-03-17", "2026-10-01", "2026-06-16", "2026-12-31"));
        statements.clearStale("acme", OCT, statements.staleMark("acme", OCT).orElseThrow());
        JsonNode again = invokeJson("subscription-purchased.json",
                Map.of("2026-03-17", "2026-10-01", "2026-06-16", "2026-12-31"));
        assertThat(again.get("outcome").asText()).isEqualTo("REPLAY");
        assertThat(again.get("markedStale").toString()).isEqualTo("[\"2026-09\",\"2026-10\"]");

        JsonNode contact = invoke("contact-changed.json");
        assertThat(contact.get("markedStale").toString()).isEqualTo("[]");
    }
}
