package dev.slaledger.core.terms;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * One version of the SLA terms (D5). Every number of the SLA is data here, never a
 * constant in code. Instances are valid by construction: build them through
 * {@link TermsParser} or {@link #validated}.
 *
 * @param tiers ordered from the highest availability band down; together with
 *              {@code commitment} they cover [0, 100] without gap or overlap
 */
public record TermsVersion(
        String version,
        LocalDate effectiveFrom,
        ZoneId timeZone,
        BigDecimal commitment,
        List<Tier> tiers,
        BigDecimal capPercent,
        ClaimRules claim,
        int noticeDays,
        HolidayRules holidays) {

    public TermsVersion {
        tiers = List.copyOf(tiers);
    }

    /** Builds a version and checks every rule {@link TermsParser} checks. */
    public static TermsVersion validated(String version, LocalDate effectiveFrom, ZoneId timeZone,
            BigDecimal commitment, List<Tier> tiers, BigDecimal capPercent, ClaimRules claim, int noticeDays,
            HolidayRules holidays) {
        TermsVersion terms = new TermsVersion(version, effectiveFrom, timeZone, commitment, tiers, capPercent, claim,
                noticeDays, holidays);
        TermsValidator.validate(terms);
        return terms;
    }
}
