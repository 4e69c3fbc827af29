package dev.slaledger.local;

import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbLedger;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.emulators.LocalAws;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestWiring;
import dev.slaledger.ingest.WindowedIngestHandler;
import java.io.PrintStream;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The real path: moto (server mode, single-threaded, a child process on a loopback port) holds the
 * four tables, the request stream, the bus with the deployed rules (each delivering to a moto queue)
 * and the deployed schedules; the ledger graph is {@link DynamoDbLedger} on its tables.
 */
final class EmulatorEngines extends LocalEngines {
    private final MotoServer moto;
    private final DynamoDbClient dynamo;
    private final DynamoDbLedger ledger;
    private final KinesisOnMoto kinesis;
    private final WindowedIngestHandler ingest;

    private EmulatorEngines(MotoServer moto, DynamoDbClient dynamo, TermsVersion originalTerms, SettableClock clock,
            PrintStream out) {
        super(new LocalEventBus(moto.endpoint()),
                new LocalScheduler(moto.endpoint(), originalTerms.timeZone(), clock.instant()));
        this.moto = moto;
        this.dynamo = dynamo;
        this.ledger = new DynamoDbLedger(dynamo, LEDGER, ACCOUNTS, AGGREGATES, originalTerms, clock);
        long k0 = System.nanoTime();
        this.kinesis = KinesisOnMoto.create(moto.endpoint());
        out.printf("  Kinesis: moto, stream %s (1 shard), read back by the event source mapping poller "
                + "(the deployed mapping and windowed ingest handler, events of up to %d records), ready in %.1f s%n",
                KinesisOnMoto.STREAM, LocalRuntime.KINESIS_BATCH, (System.nanoTime() - k0) / 1e9);
        out.println("  EventBridge: moto, bus " + LocalEventBus.BUS + " with the deployed rules ("
                + String.join(", ", EventRules.all().stream().map(EventRules.Rule::name).toList())
                + "), each delivering to a moto queue handed to its target");
        out.println("  Scheduler: moto holds the deployed schedules (" + String.join(", ",
                scheduler().stored().stream().map(LocalScheduler.Stored::name).toList())
                + "); they fire on the simulated clock, in " + originalTerms.timeZone());
        this.ingest = new IngestWiring(IngestConfig.of(AGGREGATES, QUARANTINE, LEDGER), dynamo, clock, originalTerms)
                .handler(null, null, null);
    }

    /** Starts moto, creates the tables, the stream, the bus and the schedules on it. */
    static EmulatorEngines start(TermsVersion originalTerms, SettableClock clock, PrintStream out) {
        long t0 = System.nanoTime();
        MotoServer moto = MotoServer.start();
        DynamoDbClient dynamo = LocalAws.on(DynamoDbClient.builder(), moto.endpoint()).build();
        DynamoDbAggregateStore.createTable(dynamo, AGGREGATES);
        DynamoDbQuarantineStore.createTable(dynamo, QUARANTINE);
        LedgerTable.create(dynamo, LEDGER);
        AccountsTable.create(dynamo, ACCOUNTS);
        out.printf("  DynamoDB: moto %s (%s) on %s, 4 tables, ready in %.1f s%n", moto.version(), moto.python(),
                moto.endpoint().getAuthority(), (System.nanoTime() - t0) / 1e9);
        return new EmulatorEngines(moto, dynamo, originalTerms, clock, out);
    }

    @Override
    Ledger ledger() {
        return ledger;
    }

    @Override
    Optional<DynamoDbAccountRepository> accountsTable() {
        return Optional.of(new DynamoDbAccountRepository(dynamo, ACCOUNTS));
    }

    @Override
    AggregateRepository aggregates() {
        return new DynamoDbAggregateRepository(dynamo, AGGREGATES);
    }

    @Override
    WindowedIngestHandler ingestHandler() {
        return ingest;
    }

    @Override
    Optional<KinesisOnMoto> stream() {
        return Optional.of(kinesis);
    }

    /** Read back from the quarantine table, in sequence order. */
    @Override
    List<LocalRuntime.Quarantined> quarantined(Map<String, String> labelsBySequence) {
        Map<BigInteger, LocalRuntime.Quarantined> bySequence = new TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(QUARANTINE)).items().forEach(item -> {
            String sequence = item.get("sq").s();
            bySequence.put(new BigInteger(sequence), new LocalRuntime.Quarantined(
                    labelsBySequence.getOrDefault(sequence, sequence), item.get("r").s(),
                    Optional.ofNullable(item.get("d")).map(AttributeValue::s).orElse("")));
        });
        return List.copyOf(bySequence.values());
    }

    /** Every mark goes to moto, as in AWS. */
    @Override
    void bulkIngest(Runnable phase) {
        phase.run();
    }

    @Override
    Optional<Long> aggregateKeysInMemory() {
        return Optional.empty();
    }

    @Override
    public void close() {
        bus().close();
        scheduler().close();
        dynamo.close();
        kinesis.close();
        moto.close();
    }
}
