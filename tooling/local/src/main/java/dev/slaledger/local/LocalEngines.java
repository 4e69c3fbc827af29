package dev.slaledger.local;

import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.ingest.WindowedIngestHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engines a local runtime keeps its state on: the ledger graph ({@link Ledger}: accounts, the
 * Ledger's statements, terms, windows, claims, notices, job progress), the aggregates and the
 * quarantine the ingest handler writes, the bus with the deployed rules and the deployed schedules.
 * {@link EmulatorEngines}: the tables, the stream, the bus and the schedules on moto (the real path);
 * {@link MemoryEngines}: all of it in this process ({@code --engine memory}), the same ports with the
 * tables' semantics. The handlers and the wirings composed on them are the same.
 */
abstract sealed class LocalEngines implements AutoCloseable permits EmulatorEngines, MemoryEngines {
    static final String AGGREGATES = "sla-local-aggregates";
    static final String QUARANTINE = "sla-local-quarantine";
    static final String LEDGER = "sla-local-ledger";
    static final String ACCOUNTS = "sla-local-accounts";

    private final LocalEventBus bus;
    private final LocalScheduler scheduler;

    /** The bus and the schedules, each engine's own (on moto, or in this process); the engine closes them. */
    LocalEngines(LocalEventBus bus, LocalScheduler scheduler) {
        this.bus = bus;
        this.scheduler = scheduler;
    }

    /** Every store of the functions. */
    abstract Ledger ledger();

    /** The aggregates' read role (the statements, the claims, the forecast read them). */
    abstract AggregateRepository aggregates();

    /** The bus with the deployed rules. */
    final LocalEventBus bus() {
        return bus;
    }

    /** The deployed schedules, firing on the simulated clock. */
    final LocalScheduler scheduler() {
        return scheduler;
    }

    /** The windowed ingest handler as deployed, writing to this engine's aggregates and quarantine. */
    abstract WindowedIngestHandler ingestHandler();

    /** Where the records go before the ingest handler sees them: the stream on moto, or none. */
    abstract Optional<KinesisOnMoto> stream();

    /** Every quarantined record, in input order, named by the label its sequence number was given. */
    abstract List<LocalRuntime.Quarantined> quarantined(Map<String, String> labelsBySequence);

    /** Runs a bulk ingest phase (nothing recomputes a statement during it). */
    abstract void bulkIngest(Runnable phase);

    /**
     * The accounts table's batch import ({@link DynamoDbAccountRepository#importIntoEmptyTable}) on the
     * emulators engine, where applying each billing event is a round trip (a transaction for a
     * subscription); empty on the memory engine, whose accounts go through the handler as they are.
     */
    abstract Optional<DynamoDbAccountRepository> accountsTable();

    /** The (account, interval) keys held in this process; empty on moto. */
    abstract Optional<Long> aggregateKeysInMemory();

    @Override
    public abstract void close();
}
