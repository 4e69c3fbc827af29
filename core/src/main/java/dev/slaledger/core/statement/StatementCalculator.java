package dev.slaledger.core.statement;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.availability.Availability;
import dev.slaledger.core.availability.AvailabilityCalculator;
import dev.slaledger.core.claim.ClaimWindow;
import dev.slaledger.core.money.Compensation;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Collection;
import java.util.Optional;

/**
 * Computes the statement (D3) of one account for one month from its terms, its traffic,
 * the maintenance windows and its fee: the whole SLA for one account-month, with no I/O.
 */
public final class StatementCalculator {
    private StatementCalculator() {
    }

    /** The service period of the account for the month (S1.2), if any day is covered. */
    public static Optional<ServicePeriod> periodOf(Account account, YearMonth month) {
        return ServicePeriod.of(account.terms(), month);
    }

    /**
     * @param governing the terms version governing this period (S6.3: {@code NoticeRules#governing})
     * @return empty when the account has no service period in the month
     */
    public static Optional<Statement> compute(Account account, YearMonth month, TermsVersion governing,
            AccountMonthTraffic traffic, Collection<MaintenanceWindow> windows, Instant computedAt) {
        Optional<ServicePeriod> maybePeriod = periodOf(account, month);
        if (maybePeriod.isEmpty()) {
            return Optional.empty();
        }
        ServicePeriod period = maybePeriod.get();
        ZoneId zone = governing.timeZone();
        Availability availability = AvailabilityCalculator.compute(account.accountId(), period, zone, traffic, windows);
        BigDecimal percent = Compensation.percent(governing, availability);
        Optional<MonthlyFee> fee = account.feeFor(month);
        Optional<Money> voucher = fee.map(f -> Compensation.voucher(percent, governing.capPercent(), f));
        ClaimWindow window = ClaimWindow.forMonth(governing, month);
        return Optional.of(Statement.builder()
                .accountId(account.accountId())
                .month(month)
                .periodDays(period.ranges())
                .days(period.days())
                .intervals(period.intervals())
                .errorRateSum(availability.errorRateSum())
                .availability(availability.percentTruncated())
                .termsVersion(governing.version())
                .compensationPercent(percent)
                .fee(fee.map(MonthlyFee::amount))
                .voucherPaid(fee.map(MonthlyFee::voucherPaid))
                .base(fee.map(MonthlyFee::base))
                .voucherAmount(voucher)
                .currency(fee.map(f -> f.amount().currency()))
                .claimOpensAt(window.opensAt().toOffsetDateTime())
                .claimClosesAt(window.closesAt().toOffsetDateTime())
                .revision(1)
                .computedAt(computedAt)
                .build());
    }
}
