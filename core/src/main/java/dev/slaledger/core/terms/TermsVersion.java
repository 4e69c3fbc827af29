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
        HolidayRules holidays,
        Eligibility eligibility) {

    public TermsVersion {
        tiers = List.copyOf(tiers);
        eligibility = eligibility == null ? Eligibility.NONE : eligibility;
    }

    /** A version without {@code eligibility} (S8.1: the customer claims). */
    public TermsVersion(String version, LocalDate effectiveFrom, ZoneId timeZone, BigDecimal commitment,
            List<Tier> tiers, BigDecimal capPercent, ClaimRules claim, int noticeDays, HolidayRules holidays) {
        this(version, effectiveFrom, timeZone, commitment, tiers, capPercent, claim, noticeDays, holidays,
                Eligibility.NONE);
    }

    /** Builds a version and checks every rule {@link TermsParser} checks. */
    public static TermsVersion validated(String version, LocalDate effectiveFrom, ZoneId timeZone,
            BigDecimal commitment, List<Tier> tiers, BigDecimal capPercent, ClaimRules claim, int noticeDays,
            HolidayRules holidays) {
        return validated(version, effectiveFrom, timeZone, commitment, tiers, capPercent, claim, noticeDays, holidays,
                Eligibility.NONE);
    }

    /** The same with {@code eligibility} (S8.1). */
    public static TermsVersion validated(String version, LocalDate effectiveFrom, ZoneId timeZone,
            BigDecimal commitment, List<Tier> tiers, BigDecimal capPercent, ClaimRules claim, int noticeDays,
            HolidayRules holidays, Eligibility eligibility) {
        TermsVersion terms = new TermsVersion(version, effectiveFrom, timeZone, commitment, tiers, capPercent, claim,
                noticeDays, holidays, eligibility);
        TermsValidator.validate(terms);
        return terms;
    }

    /** This version with other {@code eligibility} (the local demo, tests). */
    public TermsVersion withEligibility(Eligibility newEligibility) {
        return validated(version, effectiveFrom, timeZone, commitment, tiers, capPercent, claim, noticeDays, holidays,
                newEligibility);
    }
}
