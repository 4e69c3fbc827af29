package dev.slaledger.core.terms;

/**
 * When claims for a service period may be made (S5.1): from the start of working day
 * {@code opensAfterWorkingDays + 1} of the next month, until the end of the month
 * {@code closesMonthsAfterPeriodEnd} months after the period's month.
 */
public record ClaimRules(int opensAfterWorkingDays, int closesMonthsAfterPeriodEnd) {
}
