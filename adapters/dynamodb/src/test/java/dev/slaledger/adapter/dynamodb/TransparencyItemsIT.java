package dev.slaledger.adapter.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.ForecastRepository;
import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.statement.RevisionCause.Kind;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** S9.7 causes on the stale marks and S9.8 forecasts, in the Ledger on the engines' DynamoDB. */
@UsesEngines
class TransparencyItemsIT {
    private static final String TABLE = "TransparencyIT";
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() {
        dynamo = LedgerTables.create(TABLE);
    }

    @Test
    @DisplayName("S9.7 a mark carries its causes (latest per kind, with a count) until a clear of the mark read removes them")
    void causesOnTheMark() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        Instant t = Instant.parse("2026-11-03T01:00:00Z");
        repo.markStale("causes", OCT, RevisionCause.lateTraffic("shardId-000000000000:1", t));
        repo.markStale("causes", OCT, RevisionCause.lateTraffic("shardId-000000000000:2", t.plusSeconds(9)));
        repo.markStale("causes", OCT, RevisionCause.of(Kind.FEE_ASSESSED, "evt-1", t.plusSeconds(5)));
        repo.markStale("causes", OCT, RevisionCause.of(Kind.UNRECORDED, null, t.plusSeconds(1)));
        StatementRepository.Snapshot snapshot = repo.snapshot("causes", OCT);
        assertThat(snapshot.staleMark()).contains(4L);
        assertThat(snapshot.causes()).containsExactly(
                new RevisionCause(Kind.UNRECORDED, Optional.empty(), t.plusSeconds(1), 1),
                RevisionCause.of(Kind.FEE_ASSESSED, "evt-1", t.plusSeconds(5)),
                new RevisionCause(Kind.LATE_TRAFFIC, Optional.of("shardId-000000000000:2"), t.plusSeconds(9), 2));
        // a clear of an older mark fails: the causes stay
        repo.clearStale("causes", OCT, 3);
        assertThat(repo.snapshot("causes", OCT).causes()).hasSize(3);
        repo.clearStale("causes", OCT, 4);
        assertThat(repo.snapshot("causes", OCT).staleMark()).isEmpty();
        assertThat(repo.snapshot("causes", OCT).causes()).isEmpty();
        repo.markStale("causes", OCT, RevisionCause.of(Kind.SUBSCRIPTION_CHANGED, "evt-2", t.plusSeconds(60)));
        assertThat(repo.snapshot("causes", OCT).causes()).containsExactly(
                RevisionCause.of(Kind.SUBSCRIPTION_CHANGED, "evt-2", t.plusSeconds(60)));
    }

    @Test
    @DisplayName("S9.7 month-wide marks keep each cause under its mark; the old marking without a cause still counts")
    void monthCauses() {
        DynamoDbStatementRepository repo = new DynamoDbStatementRepository(dynamo, TABLE);
        YearMonth month = YearMonth.of(2026, 9);
        Instant t = Instant.parse("2026-10-03T01:00:00Z");
        repo.markMonthStale(month, RevisionCause.of(Kind.WINDOW_RECORDED, "mw-1", t));
        repo.markMonthStale(month);
        repo.markMonthStale(month, RevisionCause.of(Kind.WINDOW_WITHDRAWN, "mw-1", t.plusSeconds(60)));
        assertThat(repo.monthMark(month)).isEqualTo(3);
        assertThat(repo.monthCauses(month)).containsExactly(
                Map.entry(1L, RevisionCause.of(Kind.WINDOW_RECORDED, "mw-1", t)),
                Map.entry(3L, RevisionCause.of(Kind.WINDOW_WITHDRAWN, "mw-1", t.plusSeconds(60))));
        assertThat(repo.monthCauses(YearMonth.of(2020, 1))).isEmpty();
        List<StatementRepository.StaleEntry> stale = new ArrayList<>();
        repo.forEachStale(stale::add);
        assertThat(stale).contains(new StatementRepository.StaleEntry(Optional.empty(), month, 3));
    }

    private static AccountForecast forecast(String id, ForecastStatus status, String voucher) {
        return new AccountForecast(id, OCT, Instant.parse("2026-10-05T02:00:00Z"), Instant.parse("2026-10-05T01:00:00Z"),
                "2026-01", new BigDecimal("99.90"), 8928, 1164, new BigDecimal("3.5"), new BigDecimal("8.928"),
                new BigDecimal("26.8"), status, status == ForecastStatus.COMPENSABLE ? BigDecimal.TEN : BigDecimal.ZERO,
                voucher == null ? Optional.empty() : Optional.of(Money.of(voucher, "EUR")), "basis");
    }

    @Test
    @DisplayName("S9.8 forecasts: the latest per account, the at-risk list paged across its shards, filtered, totalled")
    void forecasts() {
        DynamoDbForecastRepository repo = new DynamoDbForecastRepository(dynamo, TABLE);
        List<String> risky = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = "acct-" + i;
            ForecastStatus status = i % 3 == 0 ? ForecastStatus.OK : i % 3 == 1 ? ForecastStatus.AT_RISK
                    : ForecastStatus.COMPENSABLE;
            repo.save(forecast(id, status, status == ForecastStatus.COMPENSABLE ? "100.00" : "0.00"), Optional.empty());
            if (status != ForecastStatus.OK) {
                risky.add(id);
            }
        }
        assertThat(repo.find("acct-4", OCT)).contains(forecast("acct-4", ForecastStatus.AT_RISK, "0.00"));
        assertThat(repo.find("acct-4", YearMonth.of(2026, 11))).isEmpty();
        List<String> listed = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            ForecastRepository.Page page = repo.atRisk(OCT, Optional.empty(), cursor, 4);
            assertThat(page.forecasts().size()).isLessThanOrEqualTo(4);
            page.forecasts().forEach(f -> listed.add(f.accountId()));
            cursor = page.next();
        } while (cursor.isPresent());
        assertThat(listed).containsExactlyInAnyOrderElementsOf(risky).doesNotHaveDuplicates();
        assertThat(repo.atRisk(OCT, Optional.of(ForecastStatus.COMPENSABLE), Optional.empty(), 100).forecasts())
                .allMatch(f -> f.status() == ForecastStatus.COMPENSABLE).hasSize(7);
        ForecastRepository.Totals totals = repo.totals(OCT);
        assertThat(totals.accounts()).containsEntry(ForecastStatus.AT_RISK, 8L).containsEntry(ForecastStatus.COMPENSABLE, 7L);
        assertThat(totals.certainLiability()).containsEntry(Currency.getInstance("EUR"), new BigDecimal("700.00"));

        // ok again: off the list
        repo.save(forecast("acct-4", ForecastStatus.OK, "0.00"), repo.find("acct-4", OCT));
        assertThat(repo.totals(OCT).accounts()).containsEntry(ForecastStatus.AT_RISK, 7L);
        assertThatThrownBy(() -> repo.atRisk(OCT, Optional.empty(), Optional.of("nonsense"), 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
