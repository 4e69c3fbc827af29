package dev.slaledger.notifier.notice;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a notice worker did with its accounts: a count per outcome (exact) and the first
 * {@value #SAMPLE} entries of each (account, delivery key, detail; never an address).
 */
public final class NoticeReport {
    /** Each outcome's list keeps this many entries; the counts are exact. */
    public static final int SAMPLE = 100;

    public enum Outcome {
        /** Sent now. */
        SENT,
        /** Sent earlier. */
        ALREADY_SENT,
        /** A later version governs every period this one could (S6.3); not sent. */
        SUPERSEDED,
        /** Nothing is owed: no current or future term, not in the registry, or (S8) nothing to tell. */
        NOTHING_OWED,
        /** The account has no contact address yet: reported, sent when billing gives one. */
        NO_CONTACT,
        /** The address hard-bounced or complained, or the notice bounced {@link NoticeSender#MAX_SENDS} times: reported. */
        UNDELIVERABLE,
        /** Reserved by an attempt whose lease has not ended; looked at again when it ends. */
        IN_PROGRESS,
        /** The provider refused this mail; tried again later, {@link NoticeSender#MAX_REFUSALS} times in all. */
        FAILED,
        /** The provider may have taken the mail: the reservation is kept, looked at again when its lease ends. */
        OUTCOME_UNKNOWN,
        /** Another worker reserved it between our read and our write. */
        TAKEN_BY_ANOTHER_RUN,
        /** Not sent now: the hour's share of the quota is used, or the provider throttled or paused sending (S9.3); parked for the next run. */
        DEFERRED,
        /** Not looked at: the time budget was spent; handed on to another worker. */
        NOT_ATTEMPTED,
        /** Looking at it failed (an exception); retried as its own work unit, a bounded number of times. */
        ERROR,
        /** Failed or refused too many times: recorded for the operator, alarmed, not retried (S9.2). */
        GAVE_UP
    }

    /** One account and delivery key a report lists. */
    public record Entry(String accountId, String key, String detail) {
    }

    private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    /** The part of {@link #counts} about eligibility notices (S8: keys {@code ELIG#...}). */
    private final Map<Outcome, Integer> eligibilityCounts = new EnumMap<>(Outcome.class);
    private final Map<Outcome, List<Entry>> entries = new EnumMap<>(Outcome.class);
    private Optional<String> stoppedBecause = Optional.empty();

    public Outcome add(Outcome outcome, String accountId, String key, String detail) {
        counts.merge(outcome, 1, Integer::sum);
        if (isEligibility(key)) {
            eligibilityCounts.merge(outcome, 1, Integer::sum);
        }
        List<Entry> list = entries.computeIfAbsent(outcome, o -> new ArrayList<>());
        if (list.size() < SAMPLE) {
            list.add(new Entry(accountId, key, detail));
        }
        return outcome;
    }

    /** Adds everything {@code other} holds. */
    public void addAll(NoticeReport other) {
        other.counts.forEach((o, n) -> counts.merge(o, n, Integer::sum));
        other.eligibilityCounts.forEach((o, n) -> eligibilityCounts.merge(o, n, Integer::sum));
        other.entries.forEach((o, list) -> {
            List<Entry> mine = entries.computeIfAbsent(o, k -> new ArrayList<>());
            for (Entry e : list) {
                if (mine.size() < SAMPLE) {
                    mine.add(e);
                }
            }
        });
        if (stoppedBecause.isEmpty()) {
            stoppedBecause = other.stoppedBecause;
        }
    }

    void stopped(String reason) {
        if (stoppedBecause.isEmpty()) {
            stoppedBecause = Optional.of(reason);
        }
    }

    public int count(Outcome outcome) {
        return counts.getOrDefault(outcome, 0);
    }

    /** How many of {@link #count} were about eligibility notices (S8). */
    public int eligibilityCount(Outcome outcome) {
        return eligibilityCounts.getOrDefault(outcome, 0);
    }

    /** Whether a delivery key (or a report's campaign) is an eligibility notice's (S8). */
    public static boolean isEligibility(String key) {
        return key != null && (key.startsWith("ELIG#") || key.startsWith("ELIGIBILITY#"));
    }

    public List<Entry> entries(Outcome outcome) {
        return List.copyOf(entries.getOrDefault(outcome, List.of()));
    }

    public Optional<String> stoppedBecause() {
        return stoppedBecause;
    }

    public Map<Outcome, Integer> counts() {
        return Map.copyOf(counts);
    }
}
