package dev.slaledger.core.usecase;

import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.statement.Statement;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A statement repository that forwards every call to another one: tests override a method to
 * count calls or to act (as a concurrent producer would) at a chosen point of a recomputation.
 */
class ForwardingStatementRepository implements StatementRepository {
    final StatementRepository delegate;

    ForwardingStatementRepository(StatementRepository delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<Statement> latest(String accountId, YearMonth month) {
        return delegate.latest(accountId, month);
    }

    @Override
    public Snapshot snapshot(String accountId, YearMonth month) {
        return delegate.snapshot(accountId, month);
    }

    @Override
    public List<Statement> history(String accountId, YearMonth month) {
        return delegate.history(accountId, month);
    }

    @Override
    public boolean saveRevision(Statement statement) {
        return delegate.saveRevision(statement);
    }

    @Override
    public boolean saveVoid(String accountId, YearMonth month, int revision) {
        return delegate.saveVoid(accountId, month, revision);
    }

    @Override
    public boolean eventPending(String accountId, YearMonth month, int revision) {
        return delegate.eventPending(accountId, month, revision);
    }

    @Override
    public void markEventSent(String accountId, YearMonth month, int revision) {
        delegate.markEventSent(accountId, month, revision);
    }

    @Override
    public Optional<Statement> revision(String accountId, YearMonth month, int revision) {
        return delegate.revision(accountId, month, revision);
    }

    @Override
    public void forEachPendingEvent(java.time.Instant olderThan, Consumer<PendingEvent> sink) {
        delegate.forEachPendingEvent(olderThan, sink);
    }

    @Override
    public void markStale(String accountId, YearMonth month) {
        delegate.markStale(accountId, month);
    }

    @Override
    public void markStale(String accountId, YearMonth month, dev.slaledger.core.statement.RevisionCause cause) {
        delegate.markStale(accountId, month, cause);
    }

    @Override
    public void markMonthStale(YearMonth month, dev.slaledger.core.statement.RevisionCause cause) {
        delegate.markMonthStale(month, cause);
    }

    @Override
    public java.util.Map<Long, dev.slaledger.core.statement.RevisionCause> monthCauses(YearMonth month) {
        return delegate.monthCauses(month);
    }

    @Override
    public Optional<Long> staleMark(String accountId, YearMonth month) {
        return delegate.staleMark(accountId, month);
    }

    @Override
    public void clearStale(String accountId, YearMonth month, long mark) {
        delegate.clearStale(accountId, month, mark);
    }

    @Override
    public long monthMark(YearMonth month) {
        return delegate.monthMark(month);
    }

    @Override
    public void recordMonthDone(String accountId, YearMonth month, long mark) {
        delegate.recordMonthDone(accountId, month, mark);
    }

    @Override
    public void clearMonthStale(YearMonth month, long mark) {
        delegate.clearMonthStale(month, mark);
    }

    @Override
    public void forEachStale(Consumer<StaleEntry> sink) {
        delegate.forEachStale(sink);
    }

    @Override
    public void markMonthStale(YearMonth month) {
        delegate.markMonthStale(month);
    }
}
