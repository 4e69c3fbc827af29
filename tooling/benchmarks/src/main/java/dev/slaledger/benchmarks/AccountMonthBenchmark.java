package dev.slaledger.benchmarks;

import dev.slaledger.core.availability.Availability;
import dev.slaledger.core.availability.AvailabilityCalculator;
import dev.slaledger.core.money.Compensation;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One account-month (31 days, all 8,928 five-minute intervals populated with seeded random
 * counts): availability and voucher as the month-end computes them (S3, S4; the statement
 * minus its claim window), against a plain double loop over the same counts, the practical
 * limit of any implementation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class AccountMonthBenchmark {
    private static final YearMonth MONTH = YearMonth.of(2026, 10);
    private static final long SEED = 20261001L;

    private TermsVersion terms;
    private ZoneId zone;
    private ServicePeriod period;
    private AccountMonthTraffic traffic;
    private List<MaintenanceWindow> windows;
    private MonthlyFee fee;
    private long[] valid;
    private long[] errors;
    private long intervals;

    @Setup
    public void setUp() {
        terms = DefaultTerms.version();
        zone = terms.timeZone();
        period = ServicePeriod.of(List.of(new Term(MONTH.atDay(1), MONTH.atEndOfMonth())), MONTH).orElseThrow();
        intervals = period.intervals();
        int n = Math.toIntExact(intervals);
        valid = new long[n];
        errors = new long[n];
        traffic = new AccountMonthTraffic(n);
        SplittableRandom random = new SplittableRandom(SEED);
        long start = MONTH.atDay(1).atStartOfDay(zone).toEpochSecond();
        for (int i = 0; i < n; i++) {
            valid[i] = random.nextLong(100, 10_001);
            errors[i] = random.nextLong(0, 21);
            traffic.add(start + 300L * i, valid[i], errors[i], random.nextLong(0, 3));
        }
        windows = List.of();
        fee = MonthlyFee.of("12345.67", "345.67", "EUR");
    }

    /** Availability (decided exactly, S3.2), its displayed forms, the tier and the voucher. */
    @Benchmark
    public Money availabilityAndVoucher(Blackhole bh) {
        Availability a = AvailabilityCalculator.compute("acme", period, zone, traffic, windows);
        bh.consume(a.percentTruncated());
        bh.consume(a.errorRateSum());
        BigDecimal percent = Compensation.percent(terms, a);
        return Compensation.voucher(percent, terms.capPercent(), fee);
    }

    /** The practical limit: sum of min(1, E / V) in double precision over the same counts. */
    @Benchmark
    public double plainDoubleLoop() {
        double sum = 0;
        for (int i = 0; i < valid.length; i++) {
            long v = valid[i];
            long e = errors[i];
            sum += e == 0 ? 0.0 : e >= v ? 1.0 : (double) e / v;
        }
        return 1.0 - sum / intervals;
    }
}
