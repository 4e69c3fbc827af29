package dev.slaledger.notifier.notice;

import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.terms.Tier;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What changes between two terms versions (D5), field by field, for the notice (S6.2).
 * Decimals compare by value ({@code 99.9} equals {@code 99.90}); the version id and
 * {@code effectiveFrom} are not listed: every notice states both.
 */
public final class TermsDiff {
    /** The fields a notice compares, in the order it shows them. */
    public enum Field {
        COMMITMENT, TIERS, CAP_PERCENT, CLAIM_OPENS, CLAIM_CLOSES, NOTICE_DAYS, TIME_ZONE, HOLIDAY_COUNTRY,
        EXTRA_HOLIDAYS, EXTRA_WORKING_DAYS, ELIGIBILITY
    }

    private TermsDiff() {
    }

    /** The fields whose value differs between {@code before} and {@code after}, in {@link Field} order. */
    public static List<Field> changed(TermsVersion before, TermsVersion after) {
        List<Field> out = new ArrayList<>();
        for (Field f : Field.values()) {
            if (!same(f, before, after)) {
                out.add(f);
            }
        }
        return out;
    }

    static boolean same(Field f, TermsVersion a, TermsVersion b) {
        return switch (f) {
            case COMMITMENT -> a.commitment().compareTo(b.commitment()) == 0;
            case TIERS -> sameTiers(a.tiers(), b.tiers());
            case CAP_PERCENT -> a.capPercent().compareTo(b.capPercent()) == 0;
            case CLAIM_OPENS -> a.claim().opensAfterWorkingDays() == b.claim().opensAfterWorkingDays();
            case CLAIM_CLOSES -> a.claim().closesMonthsAfterPeriodEnd() == b.claim().closesMonthsAfterPeriodEnd();
            case NOTICE_DAYS -> a.noticeDays() == b.noticeDays();
            case TIME_ZONE -> a.timeZone().equals(b.timeZone());
            case HOLIDAY_COUNTRY -> a.holidays().country().equals(b.holidays().country());
            case EXTRA_HOLIDAYS -> a.holidays().extraHolidays().equals(b.holidays().extraHolidays());
            case EXTRA_WORKING_DAYS -> a.holidays().extraWorkingDays().equals(b.holidays().extraWorkingDays());
            case ELIGIBILITY -> a.eligibility().equals(b.eligibility());
        };
    }

    private static boolean sameTiers(List<Tier> a, List<Tier> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!eq(a.get(i).atLeast(), b.get(i).atLeast()) || !eq(a.get(i).below(), b.get(i).below())
                    || !eq(a.get(i).percent(), b.get(i).percent())) {
                return false;
            }
        }
        return true;
    }

    private static boolean eq(BigDecimal x, BigDecimal y) {
        return x.compareTo(y) == 0;
    }

    /** The dates of a holiday list, sorted, for display. */
    static List<LocalDate> sorted(Set<LocalDate> dates) {
        return dates.stream().sorted().collect(Collectors.toList());
    }

    static Optional<String> country(TermsVersion t) {
        return t.holidays().country();
    }
}
