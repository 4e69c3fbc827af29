package dev.slaledger.core.usecase;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.period.ServicePeriod;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inputs of one month that a statement (S2-S7) and a forecast (S9.8) of that month start from,
 * gathered one way for both: what every account of the month shares (the published terms, the
 * maintenance windows near the month), read once and lazily, and per account its service period and
 * the terms version that governs it (S6.3).
 */
final class MonthInputs {
    private final YearMonth month;
    private final AccountRepository accounts;
    private final TermsRepository terms;
    private final NoticeRepository notices;
    private final MaintenanceWindowRepository maintenance;
    private List<TermsVersion> published;
    private List<MaintenanceWindow> windows;

    /** An account's part: the account, its service period in the month, the governing terms, the period's epoch-second bounds in their zone. */
    record AccountMonth(Account account, ServicePeriod period, TermsVersion governing, long[] bounds) {
    }

    MonthInputs(YearMonth month, AccountRepository accounts, TermsRepository terms, NoticeRepository notices,
            MaintenanceWindowRepository maintenance) {
        this.month = month;
        this.accounts = accounts;
        this.terms = terms;
        this.notices = notices;
        this.maintenance = maintenance;
    }

    List<TermsVersion> published() {
        if (published == null) {
            published = terms.published();
        }
        return published;
    }

    /** Windows overlapping the month in any zone (UTC-12..UTC+14, one more day each side). */
    List<MaintenanceWindow> windows() {
        if (windows == null) {
            Instant from = month.atDay(1).minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant to = month.plusMonths(1).atDay(1).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            windows = maintenance.overlapping(from, to);
        }
        return windows;
    }

    /** The account's inputs of the month; empty when the account is unknown or has no service period in it. */
    Optional<AccountMonth> account(String accountId) {
        Optional<Account> maybeAccount = accounts.find(accountId);
        if (maybeAccount.isEmpty()) {
            return Optional.empty();
        }
        Account account = maybeAccount.get();
        Optional<ServicePeriod> maybePeriod = ServicePeriod.of(account.terms(), month);
        if (maybePeriod.isEmpty()) {
            return Optional.empty();
        }
        ServicePeriod period = maybePeriod.get();
        List<TermsVersion> versions = published();
        // With only the original terms published there is no notice to look up (S6.3).
        Map<String, LocalDate> sent = versions.size() == 1 ? Map.of() : notices.sentDates(accountId);
        TermsVersion governing = NoticeRules.governing(versions, sent, period.firstDay());
        return Optional.of(new AccountMonth(account, period, governing, period.epochSecondBounds(governing.timeZone())));
    }
}
