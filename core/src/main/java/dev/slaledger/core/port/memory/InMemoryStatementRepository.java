package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.statement.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Statements and staleness marks in memory, with the same conditional semantics as a real store. */
public final class InMemoryStatementRepository implements StatementRepository {
    private record Key(String accountId, YearMonth month) {
    }

    private final Map<Key, List<Statement>> revisions = new HashMap<>();
    private final Map<Key, Long> stale = new HashMap<>();
    private final Map<Key, Long> monthDone = new HashMap<>();
    private final Map<YearMonth, Long> monthMarks = new HashMap<>();
    private final Map<YearMonth, Long> monthPending = new HashMap<>();
    /** S9.7: the causes recorded with an account-month's mark, the latest per kind (as the Ledger keeps them). */
    private final Map<Key, Map<RevisionCause.Kind, RevisionCause>> causes = new HashMap<>();
    private final Map<YearMonth, Map<Long, RevisionCause>> monthCauses = new HashMap<>();
    private final AtomicLong marks = new AtomicLong();
    /** The statement outbox: owed events and since when (the revision's computedAt). */
    private final Map<PendingEvent, Instant> pendingEvents = new HashMap<>();

    @Override
    public synchronized Optional<Statement> latest(String accountId, YearMonth month) {
        List<Statement> list = revisions.get(new Key(accountId, month));
        return list == null || list.isEmpty() ? Optional.empty() : Optional.ofNullable(list.get(list.size() - 1));
    }

    @Override
    public synchronized List<Statement> history(String accountId, YearMonth month) {
        return revisions.getOrDefault(new Key(accountId, month), List.of()).stream()
                .filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public synchronized boolean saveVoid(String accountId, YearMonth month, int revision) {
        List<Statement> list = revisions.computeIfAbsent(new Key(accountId, month), k -> new ArrayList<>());
        if (revision != list.size() + 1) {
            return false;
        }
        list.add(null); // a void revision
        return true;
    }

    @Override
    public synchronized boolean saveRevision(Statement statement) {
        List<Statement> list = revisions.computeIfAbsent(new Key(statement.accountId(), statement.month()),
                k -> new ArrayList<>());
        if (statement.revision() != list.size() + 1) {
            return false;
        }
        list.add(statement);
        if (statement.compensable()) {
            pendingEvents.put(new PendingEvent(statement.accountId(), statement.month(), statement.revision()),
                    statement.computedAt());
        }
        return true;
    }

    @Override
    public synchronized boolean eventPending(String accountId, YearMonth month, int revision) {
        return pendingEvents.containsKey(new PendingEvent(accountId, month, revision));
    }

    @Override
    public synchronized void markEventSent(String accountId, YearMonth month, int revision) {
        pendingEvents.remove(new PendingEvent(accountId, month, revision));
    }

    @Override
    public synchronized Optional<Statement> revision(String accountId, YearMonth month, int revision) {
        List<Statement> list = revisions.getOrDefault(new Key(accountId, month), List.of());
        return revision < 1 || revision > list.size() ? Optional.empty() : Optional.ofNullable(list.get(revision - 1));
    }

    /** Oldest first; the entries are listed before the sink runs, so it may mark them sent. */
    @Override
    public void forEachPendingEvent(Instant olderThan, java.util.function.Consumer<PendingEvent> sink) {
        List<PendingEvent> due;
        synchronized (this) {
            due = pendingEvents.entrySet().stream().filter(e -> !e.getValue().isAfter(olderThan))
                    .sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey).toList();
        }
        due.forEach(sink);
    }

    @Override
    public synchronized void markStale(String accountId, YearMonth month) {
        stale.put(new Key(accountId, month), marks.incrementAndGet());
    }

    @Override
    public synchronized void markStale(String accountId, YearMonth month, RevisionCause cause) {
        Key key = new Key(accountId, month);
        stale.put(key, marks.incrementAndGet());
        causes.computeIfAbsent(key, k -> new java.util.EnumMap<>(RevisionCause.Kind.class))
                .merge(cause.kind(), cause, (old, now) -> now.withCount(old.count() + now.count()));
    }

    @Override
    public synchronized Optional<Long> staleMark(String accountId, YearMonth month) {
        return Optional.ofNullable(stale.get(new Key(accountId, month)));
    }

    @Override
    public synchronized void clearStale(String accountId, YearMonth month, long mark) {
        if (stale.remove(new Key(accountId, month), mark)) {
            causes.remove(new Key(accountId, month));
        }
    }

    @Override
    public synchronized Snapshot snapshot(String accountId, YearMonth month) {
        Key key = new Key(accountId, month);
        List<RevisionCause> recorded = stale.containsKey(key)
                ? causes.getOrDefault(key, Map.of()).values().stream()
                        .sorted(java.util.Comparator.comparing(RevisionCause::at)).toList()
                : List.of();
        return new Snapshot(latest(accountId, month), Optional.ofNullable(stale.get(key)),
                monthDone.getOrDefault(key, 0L), revisions.getOrDefault(key, List.of()).size(), recorded);
    }

    @Override
    public synchronized void markMonthStale(YearMonth month) {
        long mark = monthMarks.merge(month, 1L, Long::sum);
        monthPending.put(month, mark);
    }

    @Override
    public synchronized void markMonthStale(YearMonth month, RevisionCause cause) {
        markMonthStale(month);
        monthCauses.computeIfAbsent(month, m -> new HashMap<>()).put(monthMarks.get(month), cause);
    }

    @Override
    public synchronized Map<Long, RevisionCause> monthCauses(YearMonth month) {
        return Map.copyOf(monthCauses.getOrDefault(month, Map.of()));
    }

    @Override
    public synchronized long monthMark(YearMonth month) {
        return monthMarks.getOrDefault(month, 0L);
    }

    @Override
    public synchronized void recordMonthDone(String accountId, YearMonth month, long mark) {
        monthDone.merge(new Key(accountId, month), mark, Math::max);
    }

    @Override
    public synchronized void clearMonthStale(YearMonth month, long mark) {
        monthPending.remove(month, mark);
    }

    @Override
    public synchronized void forEachStale(java.util.function.Consumer<StaleEntry> sink) {
        List<StaleEntry> entries = new ArrayList<>();
        stale.forEach((k, mark) -> entries.add(new StaleEntry(Optional.of(k.accountId()), k.month(), mark)));
        monthPending.forEach((month, mark) -> entries.add(new StaleEntry(Optional.empty(), month, mark)));
        entries.forEach(sink);
    }
}
