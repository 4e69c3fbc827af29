package dev.slaledger.core.forecast;

import dev.slaledger.core.money.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Objects;
import java.util.Optional;

/**
 * The liability forecast of one account for the month under way (S9.8), as of one run; also the
 * running state the next run continues from (it reads only the intervals from {@code through} on).
 * Provider-only: never shown to customers.
 *
 * @param through          the intervals starting before this instant are in {@code errorRateSum}; the
 *                         next run reads from here (the run's instant less the settle time, so an
 *                         interval's aggregate is complete when it is read)
 * @param intervals        N of the month's service period (S1.3)
 * @param elapsedIntervals the period's intervals that started before {@code through}
 * @param errorRateSum     the sum of the counted intervals' rates so far (S3.1), each rounded down to
 *                         {@value LiabilityMath#SUM_SCALE} decimals: a lower bound of the exact sum
 * @param errorBudget      (1 - commitment) x N: the most {@code errorRateSum} the commitment allows
 * @param projectedBurn    the sum at the month's end at the month-to-date rate: sum x N / elapsed
 * @param certainPercent   the voucher percent already certain if every remaining interval were perfect
 *                         (the tier of the best availability the month can still reach, 1 - sum / N)
 * @param certainVoucher   that percent of the month's base, capped (S4.2): empty while no fee is assessed
 * @param basis            what the running sum depends on (terms version, zone, covered days, the windows
 *                         that apply): a change of it makes the next run read the month again
 */
public record AccountForecast(String accountId, YearMonth month, Instant asOf, Instant through, String termsVersion,
        BigDecimal commitment, long intervals, long elapsedIntervals, BigDecimal errorRateSum, BigDecimal errorBudget,
        BigDecimal projectedBurn, ForecastStatus status, BigDecimal certainPercent, Optional<Money> certainVoucher,
        String basis) {

    public AccountForecast {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(month);
        Objects.requireNonNull(asOf);
        Objects.requireNonNull(through);
        Objects.requireNonNull(status);
        Objects.requireNonNull(certainVoucher);
        Objects.requireNonNull(basis);
    }

    /** The share of the error budget burnt so far (0 when the budget is 0 and nothing burnt). */
    public BigDecimal budgetUsed() {
        if (errorBudget.signum() == 0) {
            return errorRateSum.signum() == 0 ? BigDecimal.ZERO : BigDecimal.ONE;
        }
        return errorRateSum.divide(errorBudget, 6, java.math.RoundingMode.HALF_UP);
    }
}
