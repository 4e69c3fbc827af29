package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.OctoberStatements.statement;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.ClaimRepository.PendingVoucher;
import dev.slaledger.core.port.StatementRepository.PendingEvent;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * S7.6: the Ledger's sparse outbox index against the DynamoDB of the {@code Engines} fixture
 * (moto, or LocalStack): an owed event is listed from its write until it is marked
 * sent, only once it is older than the instant asked, and nothing else is ever on the index.
 */
@UsesEngines
class OutboxIndexIT {
    private static final String TABLE = "OutboxIndexIT";
    private static final YearMonth OCT = OctoberStatements.MONTH;
    private static final Instant COMPUTED = OctoberStatements.COMPUTED;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = LedgerTables.create(TABLE);
    }

    private static Claim accepted(String id, String account, YearMonth month, String amount, Instant at) {
        return new Claim(id, account, month, at, new ClaimDecision(true, Optional.empty(),
                Optional.of(Money.of(amount, "EUR")), Optional.empty(), Optional.empty(), Optional.of(1)));
    }

    private static List<PendingEvent> statementsOwed(DynamoDbStatementRepository repo, Instant olderThan) {
        List<PendingEvent> out = new ArrayList<>();
        repo.forEachPendingEvent(olderThan, out::add);
        return out;
    }

    private static List<PendingVoucher> vouchersOwed(DynamoDbClaimRepository repo, Instant olderThan) {
        List<PendingVoucher> out = new ArrayList<>();
        repo.forEachPendingVoucherEvent(olderThan, out::add);
        return out;
    }

    @Test
    @DisplayName("S7.6 a compensable revision is on the outbox index from its put (owed since its computation) until marked sent; a met SLA never is")
    void statementOutbox() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        Statement owed = statement("st-owed#1", 100); // an id with '#': the month is the key's last 7 characters
        Statement met = statement("st-met", 0);
        assertThat(owed.compensable()).isTrue();
        assertThat(met.compensable()).isFalse();
        repo.saveRevision(owed);
        repo.saveRevision(met);
        repo.saveRevision(statement("st-owed#1", 200).withRevision(2));

        assertThat(statementsOwed(repo, COMPUTED.minusMillis(1))).as("younger than asked").isEmpty();
        assertThat(statementsOwed(repo, COMPUTED)).containsExactlyInAnyOrder(
                new PendingEvent("st-owed#1", OCT, 1), new PendingEvent("st-owed#1", OCT, 2));
        assertThat(repo.revision("st-owed#1", OCT, 1)).contains(owed);
        assertThat(repo.revision("st-owed#1", OCT, 3)).isEmpty();

        repo.markEventSent("st-owed#1", OCT, 1);
        assertThat(statementsOwed(repo, COMPUTED.plusSeconds(3600)))
                .containsExactly(new PendingEvent("st-owed#1", OCT, 2));
        Map<String, AttributeValue> sent = dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Attr.key(DynamoDbStatementRepository.pk("st-owed#1", OCT),
                        DynamoDbStatementRepository.revisionKey(1)))).item();
        assertThat(sent).containsKey("doc").doesNotContainKeys("eventPending", LedgerTable.OUTBOX_SHARD,
                LedgerTable.PENDING_SINCE);
        repo.markEventSent("st-owed#1", OCT, 2);
        assertThat(statementsOwed(repo, COMPUTED.plusSeconds(3600))).isEmpty();
    }

    @Test
    @DisplayName("S7.6 an accepted claim with a voucher is on the outbox index from its transaction (owed since its request) until marked sent, leased or not; a zero voucher never is")
    void voucherOutbox() {
        DynamoDbClaimRepository repo = new DynamoDbClaimRepository(dynamo, TABLE);
        Instant requested = Instant.parse("2026-11-10T08:00:00Z");
        repo.recordAccepted(accepted("v-1", "cl-owed", OCT, "100.00", requested));
        repo.recordAccepted(accepted("v-2", "cl-owed", YearMonth.of(2026, 9), "50.00", requested.plusSeconds(60)));
        repo.recordAccepted(accepted("v-3", "cl-zero", OCT, "0.00", requested));

        assertThat(vouchersOwed(repo, requested.minusMillis(1))).isEmpty();
        assertThat(vouchersOwed(repo, requested)).containsExactly(new PendingVoucher("cl-owed", OCT));
        assertThat(vouchersOwed(repo, requested.plusSeconds(60))).containsExactlyInAnyOrder(
                new PendingVoucher("cl-owed", OCT), new PendingVoucher("cl-owed", YearMonth.of(2026, 9)));

        assertThat(repo.leaseVoucherEvent("cl-owed", OCT, requested, requested.plusSeconds(30))).isTrue();
        assertThat(vouchersOwed(repo, requested)).as("a lease does not take it off the list")
                .containsExactly(new PendingVoucher("cl-owed", OCT));
        repo.releaseVoucherEvent("cl-owed", OCT);
        assertThat(vouchersOwed(repo, requested)).containsExactly(new PendingVoucher("cl-owed", OCT));

        repo.markVoucherEventSent("cl-owed", OCT);
        assertThat(vouchersOwed(repo, requested.plusSeconds(3600)))
                .containsExactly(new PendingVoucher("cl-owed", YearMonth.of(2026, 9)));
        repo.markVoucherEventSent("cl-owed", YearMonth.of(2026, 9));
        assertThat(vouchersOwed(repo, requested.plusSeconds(3600))).isEmpty();
    }

    @Test
    @DisplayName("S7.6 statements and claims use their own shards: neither kind lists the other")
    void kindsApart() {
        assertThat(DynamoDbStatementRepository.pendingEvent("CLAIM#x", "M#2026-10")).isEmpty();
        assertThat(DynamoDbClaimRepository.pendingVoucher("ST#x#2026-10", "R000001")).isEmpty();
        assertThat(DynamoDbStatementRepository.pendingEvent("ST#x#2026-10", "~STALE")).isEmpty();
        assertThat(DynamoDbStatementRepository.pendingEvent("ST#x#2026-10", "R000007"))
                .contains(new PendingEvent("x", OCT, 7));
        assertThat(DynamoDbClaimRepository.pendingVoucher("CLAIM#a#b", "M#2026-10"))
                .contains(new PendingVoucher("a#b", OCT));
        assertThat(DynamoDbClaimRepository.pendingVoucher("CLAIM#a", "ID#c-1")).isEmpty();
    }
}
