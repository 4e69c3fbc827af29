package dev.slaledger.claims;

import static dev.slaledger.claims.DynamoClaims.OCT;
import static dev.slaledger.claims.Responses.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbMaintenanceWindowRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S7: late changes of each producer reach the claims API's decisions, on the DynamoDB of the
 * {@code Engines} fixture. Billing events are applied to the account registry and marked with
 * {@link StaleMarks#billingEventApplied}, as the accounts handler does after parsing them (its own
 * IT covers the parsing and the answer); a maintenance window is stored and marked as the admin
 * route does; claims and statement reads go through the claims handler, which recomputes a stale
 * month first.
 * October 2026 under the default terms: the claim window opens 2026-11-09T00:00Z.
 */
@UsesEngines
class StatementsFollowChangesIT {
    private DynamoClaims api;
    private DynamoDbAccountRepository registry;
    private StaleMarks staleMarks;

    @BeforeEach
    void tables() {
        api = new DynamoClaims();
        staleMarks = new StaleMarks(api.statements,
                new DynamoDbTermsRepository(api.dynamo, api.config.ledgerTable(), DefaultTerms.version()), api.clock);
        registry = new DynamoDbAccountRepository(api.dynamo, api.config.accountsTable());
        api.clock.set(Instant.parse("2026-11-03T09:00:00Z"));
    }

    @AfterEach
    void close() {
        api.close();
    }

    /** What the accounts handler does with a parsed event: store it, then mark what it changed. */
    private void bill(BillingEvent event) {
        staleMarks.billingEventApplied(event, registry.apply(event));
    }

    private void subscription(String account, int version, String start, String end) {
        bill(new SubscriptionPurchased(UUID.randomUUID().toString(), "sub-" + account, version, account,
                "sub-" + account, new Term(LocalDate.parse(start), LocalDate.parse(end))));
    }

    private void fee(String account, int version, String amount) {
        bill(new FeeAssessed(UUID.randomUUID().toString(), "inv-" + account, version, account, OCT,
                MonthlyFee.of(amount, "0.00", "EUR")));
    }

    private JsonNode claim(String account) {
        return body(api.call(Requests.postClaim(account, "2026-10")));
    }

    private JsonNode statement(String account) {
        return body(api.call(Requests.get(account, "/statements/2026-10")));
    }

    @Test
    @DisplayName("S7.1/S7.3 a fee assessed after the month-end: the claim refused FEE_NOT_ASSESSED is accepted once billing assesses it")
    void lateFeeThenClaim() {
        subscription("acme", 1, "2026-10-01", "2026-12-31");
        api.errors("acme", 0, 50); // 50 failed intervals of 8,928: A = 99.4399%, the 10% tier
        assertThat(statement("acme").get("revision").asInt()).isEqualTo(1); // the month-end, before any fee

        api.clock.set(Instant.parse("2026-11-10T08:00:00Z"));
        JsonNode refused = claim("acme");
        assertThat(refused.get("status").asText()).isEqualTo("REFUSED");
        assertThat(refused.get("reason").asText()).isEqualTo("FEE_NOT_ASSESSED");

        fee("acme", 1, "1000.00"); // billing closes October on November 10th
        assertThat(api.statements.staleMark("acme", OCT)).isPresent();
        JsonNode accepted = claim("acme");
        assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(accepted.get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(accepted.get("statementRevision").asInt()).isEqualTo(2);
        assertThat(api.statements.staleMark("acme", OCT)).isEmpty();
    }

    @Test
    @DisplayName("S7.1/S5.5 a fee corrected after the voucher was issued: the statement gets a new revision, the voucher stays")
    void feeCorrectionAfterClaim() {
        subscription("acme", 1, "2026-10-01", "2026-12-31");
        fee("acme", 1, "1000.00");
        api.errors("acme", 0, 50);
        api.clock.set(Instant.parse("2026-11-10T08:00:00Z"));
        JsonNode accepted = claim("acme");
        assertThat(accepted.get("voucherAmount").asText()).isEqualTo("100.00");

        fee("acme", 2, "900.00");
        JsonNode revised = statement("acme");
        assertThat(revised.get("revision").asInt()).isEqualTo(accepted.get("statementRevision").asInt() + 1);
        assertThat(revised.get("voucherAmount").asText()).isEqualTo("90.00");
        JsonNode again = claim("acme");
        assertThat(again).isEqualTo(accepted);
    }

    @Test
    @DisplayName("S7.1/S2.4 a maintenance window for all accounts recorded after the month-end (announced in time) turns a compensable month into SLA_MET before the claim")
    void lateWindowBeforeClaim() {
        subscription("acme", 1, "2026-10-01", "2026-12-31");
        fee("acme", 1, "1000.00");
        api.errors("acme", 0, 50); // Oct 2 00:00Z .. 04:10Z
        assertThat(statement("acme").get("compensationPercent").asText()).isEqualTo("10");

        DynamoDbMaintenanceWindowRepository windows = new DynamoDbMaintenanceWindowRepository(api.dynamo,
                api.config.ledgerTable());
        MaintenanceWindow window = new MaintenanceWindow("mw-oct-2", Instant.parse("2026-10-02T00:00:00Z"),
                Instant.parse("2026-10-02T04:10:00Z"), Instant.parse("2026-09-20T00:00:00Z"), Optional.empty());
        Optional<MaintenanceWindow> before = windows.find(window.id());
        windows.save(window); // what PUT /admin/maintenance-windows does: store, then mark
        assertThat(staleMarks.windowChanged(before, Optional.of(window))).containsExactly(OCT);
        assertThat(api.statements.monthMark(OCT)).isEqualTo(1);

        api.clock.set(Instant.parse("2026-11-10T08:00:00Z"));
        JsonNode refused = claim("acme");
        assertThat(refused.get("reason").asText()).isEqualTo("SLA_MET");
        JsonNode now = statement("acme");
        assertThat(now.get("revision").asInt()).isEqualTo(2);
        assertThat(now.get("availability").asText()).isEqualTo("100.0000");

        // withdrawn: the errors count again, and the next claim is decided on them (S7.3)
        windows.delete(window.id());
        staleMarks.windowChanged(Optional.of(window), Optional.empty());
        JsonNode accepted = claim("acme");
        assertThat(accepted.get("status").asText()).isEqualTo("ACCEPTED");
        assertThat(accepted.get("statementRevision").asInt()).isEqualTo(3);
    }

    @Test
    @DisplayName("S7.1 a subscription bought backwards after the month-end gives the month a statement; ended early, the statement loses the days")
    void backdatedAndShortenedSubscription() {
        api.clock.set(Instant.parse("2026-11-10T08:00:00Z"));
        assertThat(claim("acme").get("reason").asText()).isEqualTo("NO_SERVICE_PERIOD");

        subscription("acme", 1, "2026-10-01", "2026-12-31");
        fee("acme", 1, "1000.00");
        api.errors("acme", 0, 50);
        JsonNode full = statement("acme");
        assertThat(full.get("days").asInt()).isEqualTo(31);

        bill(new SubscriptionEnded(UUID.randomUUID().toString(), "sub-acme", 2, "acme", "sub-acme",
                LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 15), SubscriptionEnded.Reason.CANCELLED));
        JsonNode shortened = statement("acme");
        assertThat(shortened.get("revision").asInt()).isEqualTo(full.get("revision").asInt() + 1);
        assertThat(shortened.get("days").asInt()).isEqualTo(15);
        // 50 failed intervals of 288 x 15 = 4,320: A = 98.8425%, the 25% tier
        assertThat(shortened.get("compensationPercent").asText()).isEqualTo("25");
    }
}
