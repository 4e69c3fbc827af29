package dev.slaledger.core.notice;

import dev.slaledger.core.terms.TermsVersion;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rules for changing the terms (S6.1, S6.3). */
public final class NoticeRules {
    private NoticeRules() {
    }

    /**
     * S6.1: whether {@code candidate} may be published on {@code publishDate} while
     * {@code current} is the latest published version. The notice owed is the longer of the
     * two versions' {@code noticeDays}: the customer was promised the current one, and the
     * new version states its own.
     */
    public static PublicationCheck checkPublication(TermsVersion candidate, Optional<TermsVersion> current,
            LocalDate publishDate) {
        int noticeDays = Math.max(candidate.noticeDays(), current.map(TermsVersion::noticeDays).orElse(0));
        LocalDate earliest = publishDate.plusDays(noticeDays);
        if (current.isPresent() && candidate.version().equals(current.get().version())) {
            return PublicationCheck.refused("version", candidate.version(), "is already published", earliest);
        }
        if (current.isPresent() && !candidate.effectiveFrom().isAfter(current.get().effectiveFrom())) {
            return PublicationCheck.refused("effectiveFrom", candidate.effectiveFrom().toString(),
                    "must be after the effectiveFrom of the current version " + current.get().version() + " ("
                            + current.get().effectiveFrom() + ")", earliest);
        }
        if (candidate.effectiveFrom().isBefore(earliest)) {
            return PublicationCheck.refused("effectiveFrom", candidate.effectiveFrom().toString(),
                    "is sooner than " + noticeDays + " days after the publish date " + publishDate
                            + " (earliest allowed: " + earliest + ")", earliest);
        }
        return PublicationCheck.allowed(earliest);
    }

    /**
     * S6.3: the first date of a service period that {@code version} may govern for an account
     * notified on {@code noticeSentOn}: max(effectiveFrom, noticeSentOn + noticeDays).
     */
    public static LocalDate governsFrom(TermsVersion version, LocalDate noticeSentOn) {
        LocalDate afterNotice = noticeSentOn.plusDays(version.noticeDays());
        return afterNotice.isAfter(version.effectiveFrom()) ? afterNotice : version.effectiveFrom();
    }

    /**
     * S6.3: the version governing an account's service period that starts on
     * {@code periodStart}. {@code versions} are in publication order; the first is the
     * original terms, which bind every account from its purchase. A later version governs
     * only periods starting on or after {@link #governsFrom} for this account, and never an
     * account that was not notified of it. The version in force at the period's start
     * governs the whole period; of several in force, the latest published wins.
     *
     * @param noticeSentOn per version id, the date (in that version's zone) the account's
     *                     notice was sent
     */
    public static TermsVersion governing(List<TermsVersion> versions, Map<String, LocalDate> noticeSentOn,
            LocalDate periodStart) {
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("no terms version is published");
        }
        TermsVersion governing = versions.get(0);
        for (int i = 1; i < versions.size(); i++) {
            TermsVersion v = versions.get(i);
            LocalDate sent = noticeSentOn.get(v.version());
            if (sent != null && !periodStart.isBefore(governsFrom(v, sent))) {
                governing = v;
            }
        }
        return governing;
    }
}
