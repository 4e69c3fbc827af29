package dev.slaledger.benchmarks.rehearsal.world;

import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The aggregates of a million accounts, generated on demand instead of stored (8,928 intervals per
 * account-month would be 9 billion): every account has traffic in every interval, and only the
 * intervals that carry errors are materialised, since an interval without errors adds 0 to the error
 * rate sum (S3.1). Account {@code i} of {@link SyntheticWorld#accountId} is compensable (20 intervals
 * at 100% errors: 99.7760%, the 10% tier) when {@code i % compensableEvery == 0}, otherwise it meets
 * the commitment (2 intervals at 10%). Late data ({@link #addLate}) adds failing intervals to an
 * account-month, as ingest would before marking it stale. What a real month costs to read (one
 * Query page, 112 RRU) is charged by the rehearsal's DynamoDB model, not here.
 */
public final class SyntheticAggregates implements AggregateRepository {
    private final int compensableEvery;
    private final Map<String, Integer> late = new ConcurrentHashMap<>();

    public SyntheticAggregates(int compensableEvery) {
        this.compensableEvery = compensableEvery;
    }

    public boolean compensable(int index) {
        return compensableEvery > 0 && index % compensableEvery == 0;
    }

    /** {@code intervals} more failing intervals for the account in {@code month} (late traffic). */
    public void addLate(String accountId, YearMonth month, int intervals) {
        late.merge(accountId + "#" + month, intervals, Integer::sum);
    }

    @Override
    public AccountMonthTraffic load(String accountId, Instant fromInclusive, Instant toExclusive) {
        int index = SyntheticWorld.indexOf(accountId);
        YearMonth month = YearMonth.from(fromInclusive.plusSeconds(15 * 3600).atZone(ZoneOffset.UTC));
        int failing = compensable(index) ? 20 : 0;
        int partial = compensable(index) ? 0 : 2;
        int extra = late.getOrDefault(accountId + "#" + month, 0);
        AccountMonthTraffic traffic = new AccountMonthTraffic(failing + partial + extra + 1);
        // from the 10th day of the month, 00:00 UTC: inside the month in every zone
        long start = month.atDay(10).atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 300L * (index % 97);
        int i = 0;
        for (int k = 0; k < failing + extra; k++, i++) {
            add(traffic, start + 300L * i, 1_000, 1_000, fromInclusive, toExclusive);
        }
        for (int k = 0; k < partial; k++, i++) {
            add(traffic, start + 300L * i, 1_000, 100, fromInclusive, toExclusive);
        }
        return traffic;
    }

    private static void add(AccountMonthTraffic traffic, long at, long valid, long errors, Instant from, Instant to) {
        if (at >= from.getEpochSecond() && at < to.getEpochSecond()) {
            traffic.add(at, valid, errors, 0);
        }
    }
}
