package dev.slaledger.local;

import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.adapter.memory.InMemoryAggregates;
import dev.slaledger.adapter.memory.InMemoryQuarantine;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.memory.InMemoryLedger;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.WindowedIngestHandler;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --engine memory}: every store in this process, no engine process started. The ledger graph
 * is {@link InMemoryLedger} (accounts, statements, terms, windows, claims, notices, job progress), the
 * aggregates and quarantine {@link InMemoryAggregates} and {@link InMemoryQuarantine}, the bus
 * {@link InMemoryEventBridge} with the deployed rules, the schedules the deployed definitions; the
 * records go straight to the deployed mapping and handler. During a bulk ingest each late
 * account-month is marked stale once ({@link BulkMarks}).
 */
final class MemoryEngines extends LocalEngines {
    private final InMemoryAggregates aggregates = new InMemoryAggregates();
    private final InMemoryQuarantine quarantine = new InMemoryQuarantine();
    private final InMemoryLedger ledger;
    private final BulkMarks bulkMarks;
    private final WindowedIngestHandler ingest;

    MemoryEngines(TermsVersion originalTerms, SettableClock clock, PrintStream out) {
        super(LocalEventBus.inMemory(), LocalScheduler.inMemory(originalTerms.timeZone(), clock.instant()));
        ledger = new InMemoryLedger(originalTerms, aggregates, clock);
        bulkMarks = new BulkMarks(ledger.statements());
        ingest = new IngestWiring(IngestConfig.of(AGGREGATES, QUARANTINE, LEDGER), ledger)
                .handler(aggregates, quarantine, bulkMarks);
        out.println("  DynamoDB: none (--engine memory: accounts, the Ledger's statements, terms, windows, claims,"
                + " notices, aggregates and quarantine in this process, the same ports with the tables' semantics)");
        out.println("  Kinesis: none (--engine memory: records handed to the deployed mapping and windowed ingest"
                + " handler in this process)");
        out.println("  EventBridge: in this process, bus " + LocalEventBus.BUS + " with the deployed rules ("
                + String.join(", ", EventRules.all().stream().map(EventRules.Rule::name).toList()) + ")");
        out.println("  Scheduler: the deployed schedules (" + String.join(", ",
                scheduler().stored().stream().map(LocalScheduler.Stored::name).toList())
                + ") fire on the simulated clock, in " + originalTerms.timeZone());
    }

    @Override
    Ledger ledger() {
        return ledger;
    }

    @Override
    AggregateRepository aggregates() {
        return aggregates;
    }

    @Override
    WindowedIngestHandler ingestHandler() {
        return ingest;
    }

    @Override
    Optional<KinesisOnMoto> stream() {
        return Optional.empty();
    }

    @Override
    List<LocalRuntime.Quarantined> quarantined(Map<String, String> labelsBySequence) {
        return quarantine.entries().stream().map(q -> new LocalRuntime.Quarantined(
                labelsBySequence.getOrDefault(q.sequenceNumber(), q.sequenceNumber()), q.reason().name(),
                q.detail() == null ? "" : q.detail())).toList();
    }

    @Override
    void bulkIngest(Runnable phase) {
        bulkMarks.bulk(phase);
    }

    /** The accounts go through the handler into the in-memory registry, as they always did. */
    @Override
    Optional<DynamoDbAccountRepository> accountsTable() {
        return Optional.empty();
    }

    @Override
    Optional<Long> aggregateKeysInMemory() {
        return Optional.of(aggregates.keys());
    }

    @Override
    public void close() {
        bus().close();
        scheduler().close();
    }
}
