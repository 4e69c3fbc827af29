package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import dev.slaledger.emulators.KinesisEsm;
import java.util.ArrayList;
import java.util.List;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.core.terms.ClaimRules;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.StreamRecord;
import dev.slaledger.testkit.UsesEngines;
import java.math.BigInteger;
import dev.slaledger.core.port.memory.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * S7.4 on the engines: how long ingest keeps aggregates and quarantined records, and which late
 * records it refuses as {@code TOO_OLD}, derived from the terms published in the Ledger table.
 */
@UsesEngines
class RetentionIT {
    private static final Instant NOW = Instant.parse("2026-10-03T12:10:00Z");

    @RegisterExtension
    final Harnesses harnesses = new Harnesses();
    private long sequence = 1000;

    private Harness harness(Clock clock) {
        return harnesses.open(clock);
    }

    private KinesisEvent event(String... payloads) {
        KinesisEvent e = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        BigInteger base = new BigInteger("49590338271490256608559692538361571095921575989136588898");
        for (String p : payloads) {
            records.add(TrafficGenerator.record("shardId-000000000000", base.add(BigInteger.valueOf(sequence++)).toString(),
                    "pk", p));
        }
        e.setRecords(records);
        return e;
    }

    private static String at(String intervalStart) {
        return "{\"accountId\":\"acme\",\"intervalStart\":\"" + intervalStart + "\",\"valid\":10,\"errors\":1}";
    }

    private static TermsVersion longerClaims(int months) {
        TermsVersion d = DefaultTerms.version();
        return TermsVersion.validated("2026-06-longer-claims", LocalDate.of(2026, 6, 1), d.timeZone(), d.commitment(),
                d.tiers(), d.capPercent(), new ClaimRules(d.claim().opensAfterWorkingDays(), months), d.noticeDays(),
                d.holidays());
    }

    private static String reason(Harness h, KinesisEvent event, int i) {
        StreamRecord r = WindowedIngestHandler.toStreamRecord(event.getRecords().get(i));
        Map<String, AttributeValue> item = h.quarantine().get(DynamoDbQuarantineStore.key(r));
        return item == null ? null : item.get("r").s();
    }

    @Test
    @DisplayName("S7.4 default terms: TOO_OLD once a month may have lost aggregates (April from 2026-10-01T12:00Z), not 190 days after the interval: May is kept, April is not")
    void tooOldFromTheDefaultTerms() {
        Harness h = harness(Clock.fixed(NOW, ZoneOffset.UTC));
        // April's window closed at 2026-07-01T12:00Z (UTC-12), + 92 days = 2026-10-01T12:00Z < now;
        // the old rule (interval + 190 days = 2026-10-22) would have taken it and let it expire
        // with April's partial data. May is kept until 2026-11-01T12:00Z.
        KinesisEvent event = event(at("2026-04-15T10:00:00Z"), at("2026-05-01T11:55:00Z"),
                at("2026-05-01T12:00:00Z"), at("2026-09-30T23:55:00Z"));

        assertThat(h.deliver(event).functionErrors).isZero();

        assertThat(reason(h, event, 0)).isEqualTo("TOO_OLD");
        assertThat(reason(h, event, 1)).isEqualTo("TOO_OLD"); // April at UTC-12: April may be gone
        assertThat(reason(h, event, 2)).isNull();
        assertThat(reason(h, event, 3)).isNull();
        long may = Instant.parse("2026-05-01T12:00:00Z").getEpochSecond();
        long sept30 = Instant.parse("2026-09-30T23:55:00Z").getEpochSecond();
        assertThat(h.aggregates()).containsOnlyKeys("acme@" + may, "acme@" + sept30);
        // TTLs: May's interval until May's inputs may go; September 30th 23:55Z is October at UTC+14
        assertThat(ttl(h, may)).isEqualTo(Instant.parse("2026-08-01T12:00:00Z").plus(Duration.ofDays(92)).getEpochSecond());
        assertThat(ttl(h, sept30)).isEqualTo(Instant.parse("2027-01-01T12:00:00Z").plus(Duration.ofDays(92)).getEpochSecond());
    }

    private static long ttl(Harness h, long interval) {
        return Long.parseLong(h.dynamo.getItem(b -> b.tableName(h.config.aggregatesTable()).key(Map.of(
                "a", AttributeValue.fromS("acme"), "i", AttributeValue.fromN(Long.toString(interval))))).item().get("t").n());
    }

    @Test
    @DisplayName("S7.4 a published version with a longer claim period (6 months) keeps March: accepted by a container reading the terms, with a TTL after its longer window; a running container sees it within the hour")
    void publishedTermsLengthenRetention() {
        SettableClock clock = new SettableClock(NOW);
        Harness h = harness(clock);
        assertThat(h.deliver(event(at("2026-10-03T12:00:00Z"))).functionErrors).isZero(); // terms read: K = 2
        KinesisEvent march = event(at("2026-03-15T10:00:00Z"));
        assertThat(h.deliver(march).functionErrors).isZero();
        assertThat(reason(h, march, 0)).isEqualTo("TOO_OLD");

        assertThat(new DynamoDbTermsRepository(h.dynamo, h.config.ledgerTable(), DefaultTerms.version())
                .publish(longerClaims(6))).isTrue();

        // the running container keeps what it read (once per container) ...
        KinesisEvent again = event(at("2026-03-15T10:00:00Z"));
        assertThat(h.deliver(again).functionErrors).isZero();
        assertThat(reason(h, again, 0)).isEqualTo("TOO_OLD");
        // ... for at most an hour
        clock.advance(Duration.ofHours(1));
        KinesisEvent later = event(at("2026-03-15T10:00:00Z"));
        assertThat(h.deliver(later).functionErrors).isZero();
        assertThat(reason(h, later, 0)).isNull();

        // a new container reads it at once; March's window closes (6 months) at 2026-10-01T12:00Z, + 92 days
        WindowedIngestHandler fresh = new WindowedIngestHandler(new WindowedIngest(
                new IngestWiring(h.config, h.dynamo, clock).service(), WindowedIngest.DEFAULT_BUDGET_BYTES), clock);
        KinesisEvent another = event(at("2026-03-15T10:05:00Z"));
        assertThat(h.deliver(another, fresh).functionErrors).isZero();
        long interval = Instant.parse("2026-03-15T10:05:00Z").getEpochSecond();
        assertThat(h.aggregates()).containsKey("acme@" + interval);
        assertThat(ttl(h, interval)).isEqualTo(Instant.parse("2026-10-01T12:00:00Z").plus(Duration.ofDays(92)).getEpochSecond());
    }

    @Test
    @DisplayName("S7.4 a quarantined record is kept at least as long as any aggregate written with it (no longer 90 days)")
    void quarantineOutlivesAggregates() {
        Harness h = harness(Clock.fixed(NOW, ZoneOffset.UTC));
        KinesisEvent event = event(at("2026-10-03T12:15:00Z"), at("2026-09-30T23:55:00Z"), at("2026-07-15T00:00:00Z"),
                "not json", at("2026-10-03T12:01:00Z"), at("2026-01-01T00:00:00Z"));

        assertThat(h.deliver(event).functionErrors).isZero();

        long latestAggregate = 0;
        for (String key : h.aggregates().keySet()) {
            latestAggregate = Math.max(latestAggregate, ttl(h, Long.parseLong(key.substring(key.indexOf('@') + 1))));
        }
        assertThat(h.quarantine()).hasSize(3); // not json, not an interval start, too old
        for (Map<String, AttributeValue> item : h.quarantine().values()) {
            long t = Long.parseLong(item.get("t").n());
            assertThat(t).isGreaterThanOrEqualTo(latestAggregate);
            assertThat(t).isEqualTo(Instant.parse("2027-01-01T12:00:00Z").plus(Duration.ofDays(92)).getEpochSecond());
        }
    }

    @Test
    @DisplayName("S7.4 S7.5 terms that cannot be read are a transient failure: the invocation fails before writing anything, and the mapping's retry counts the batch")
    void termsUnreadable() {
        Harness h = harness(Clock.fixed(NOW, ZoneOffset.UTC));
        h.faults.refuseWhen(r -> r instanceof QueryRequest q && q.tableName().equals(h.config.ledgerTable()));
        KinesisEvent event = event(at("2026-10-03T12:00:00Z"), "not json");
        List<String> seenBeforeRetry = new ArrayList<>();

        KinesisEsm.Stats stats = new KinesisEsm(KinesisEsm.Settings.deployed(), Harness.source(event), inv -> {
            if (inv.retry()) {
                seenBeforeRetry.add(h.aggregates().size() + "/" + h.quarantine().size());
                h.faults.refuseWhen(r -> false);
            }
            return KinesisEsm.windowed(e -> h.handler.handleRequest(e, null)).invoke(inv);
        }, KinesisEsm.Chaos.NONE).drain();

        assertThat(stats.functionErrors).isEqualTo(1);
        assertThat(seenBeforeRetry).containsExactly("0/0"); // nothing written by the failed invocation
        assertThat(h.aggregates()).hasSize(1);
        assertThat(h.quarantine()).hasSize(1);
    }
}
