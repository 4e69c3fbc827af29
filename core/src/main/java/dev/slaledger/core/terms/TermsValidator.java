package dev.slaledger.core.terms;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules a terms version (D5) must satisfy; each failure names the field and value. */
final class TermsValidator {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private TermsValidator() {
    }

    static void validate(TermsVersion t) {
        if (t.version() == null || t.version().isBlank()) {
            throw new TermsException("version", t.version(), "must be a non-empty string");
        }
        if (!VERSION.matcher(t.version()).matches()) {
            // it names the version in URLs (/admin/terms/{version}), notices and DynamoDB keys
            throw new TermsException("version", t.version(), "must be 1-64 letters, digits and . _ : -");
        }
        require(t.effectiveFrom() != null, "effectiveFrom", null, "is required (YYYY-MM-DD)");
        require(t.timeZone() != null, "timeZone", null, "is required (an IANA zone id)");
        percent("commitment", t.commitment(), false);
        if (t.commitment().signum() == 0) {
            throw new TermsException("commitment", t.commitment(), "must be above 0");
        }
        percent("capPercent", t.capPercent(), true);
        validateTiers(t.tiers(), t.commitment());
        if (t.claim() == null) {
            throw new TermsException("claim", null, "is required");
        }
        if (t.claim().opensAfterWorkingDays() < 0 || t.claim().opensAfterWorkingDays() > 20) {
            throw new TermsException("claim.opensAfterWorkingDays", t.claim().opensAfterWorkingDays(),
                    "must be between 0 and 20 (working days of the next month)");
        }
        if (t.claim().closesMonthsAfterPeriodEnd() < 1 || t.claim().closesMonthsAfterPeriodEnd() > 120) {
            throw new TermsException("claim.closesMonthsAfterPeriodEnd", t.claim().closesMonthsAfterPeriodEnd(),
                    "must be between 1 and 120 months");
        }
        if (t.noticeDays() < 0 || t.noticeDays() > 3660) {
            throw new TermsException("noticeDays", t.noticeDays(), "must be between 0 and 3660");
        }
        validateHolidays(t.holidays());
    }

    private static void validateTiers(List<Tier> tiers, BigDecimal commitment) {
        if (tiers.isEmpty()) {
            throw new TermsException("tiers", "[]", "must list at least one tier below the commitment");
        }
        // Ordered from the commitment down to 0 without gap or overlap.
        BigDecimal expectedBelow = commitment;
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            String at = "tiers[" + i + "]";
            percent(at + ".atLeast", tier.atLeast(), true);
            percent(at + ".below", tier.below(), false);
            percent(at + ".percent", tier.percent(), true);
            if (tier.atLeast().compareTo(tier.below()) >= 0) {
                throw new TermsException(at + ".atLeast", tier.atLeast().toPlainString(),
                        "must be below tiers[" + i + "].below (" + tier.below().toPlainString() + ")");
            }
            int cmp = tier.below().compareTo(expectedBelow);
            if (cmp > 0) {
                throw new TermsException(at + ".below", tier.below().toPlainString(), i == 0
                        ? "overlaps the commitment " + commitment.toPlainString() + " (the first tier must end at it)"
                        : "overlaps tiers[" + (i - 1) + "], which starts at " + expectedBelow.toPlainString());
            }
            if (cmp < 0) {
                throw new TermsException(at + ".below", tier.below().toPlainString(), i == 0
                        ? "leaves a gap below the commitment " + commitment.toPlainString()
                        : "leaves a gap up to tiers[" + (i - 1) + "].atLeast " + expectedBelow.toPlainString());
            }
            if (i > 0 && tier.percent().compareTo(tiers.get(i - 1).percent()) < 0) {
                throw new TermsException(at + ".percent", tier.percent().toPlainString(),
                        "must not be lower than the percent of a higher-availability tier ("
                                + tiers.get(i - 1).percent().toPlainString() + ")");
            }
            expectedBelow = tier.atLeast();
        }
        if (expectedBelow.signum() != 0) {
            int last = tiers.size() - 1;
            throw new TermsException("tiers[" + last + "].atLeast", expectedBelow.toPlainString(),
                    "leaves a gap: the lowest tier must start at 0");
        }
    }

    private static void validateHolidays(HolidayRules h) {
        if (h == null) {
            throw new TermsException("holidays", null, "is required (use {} for weekends only)");
        }
        h.country().ifPresent(c -> {
            if (!c.matches("[A-Z]{2}(-[A-Z0-9]{1,3})?")) {
                throw new TermsException("holidays.country", c,
                        "must be an ISO 3166 alpha-2 code, optionally with a subdivision (e.g. CN, DE-BY)");
            }
            if (!dev.slaledger.core.calendar.WorkingDayCalendar.supportsCountry(c)) {
                throw new TermsException("holidays.country", c, "is not a calendar of the holiday library (jollyday)");
            }
        });
        Set<LocalDate> both = new HashSet<>(h.extraHolidays());
        both.retainAll(h.extraWorkingDays());
        if (!both.isEmpty()) {
            throw new TermsException("holidays.extraWorkingDays", both.iterator().next(),
                    "is also listed in holidays.extraHolidays");
        }
    }

    private static void percent(String field, BigDecimal value, boolean zeroAllowed) {
        if (value == null) {
            throw new TermsException(field, null, "is required (a decimal string such as \"99.90\")");
        }
        if (value.signum() < 0 || value.compareTo(HUNDRED) > 0 || (!zeroAllowed && value.signum() == 0)) {
            throw new TermsException(field, value.toPlainString(), "must be a percentage between 0 and 100");
        }
    }

    private static void require(boolean ok, String field, Object value, String problem) {
        if (!ok) {
            throw new TermsException(field, value, problem);
        }
    }
}
