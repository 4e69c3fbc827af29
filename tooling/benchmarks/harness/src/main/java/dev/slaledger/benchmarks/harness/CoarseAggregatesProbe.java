package dev.slaledger.benchmarks.harness;

import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.ingest.IngestConfig;
import dev.slaledger.ingest.IngestService;
import dev.slaledger.ingest.IngestWiring;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Issue 32 item 4, a design probe, not the product: what a month of aggregates would weigh and cost to read
 * if ingest wrote one item per account and three hours (36 intervals, their counts varint-packed in one
 * binary attribute) instead of one item per account and interval. Both layouts hold the same counts on moto:
 * the interval items are written by the real ingest ({@code IngestService}, as {@code MonthEndHarness} seeds),
 * the three-hour items are built from what a Query of those returns (the same counts, TTL and high-water mark
 * the last interval item of the block carries), and both are read back with a strongly consistent Query of
 * the month. Reports items, bytes (DynamoDB's item size, {@link RequestTally#itemSize}), storage per
 * (account, interval) with DynamoDB's 100 bytes of per-item overhead, and read units of the month's Query
 * (billed on the items' total size: moto's own figure is a constant per request); and checks that every
 * interval's counts decode from the packed items as written.
 *
 * <p>What it does not show: the write path. A three-hour item would be written by a read and a conditional
 * write on the marks read (counts in a binary attribute cannot be added in place); its writes per key are
 * derived in docs/benchmarks.md, not measured here.
 *
 * <p>Arguments: {@code [accounts=4]}. Run from the repository root after packaging (docs/benchmarks.md).
 */
public final class CoarseAggregatesProbe {
    private static final YearMonth MONTH = YearMonth.of(2026, 10);
    /** Intervals per packed item: three hours. */
    static final int SLOTS = 36;
    private static final long BLOCK_SECONDS = 300L * SLOTS;
    /** DynamoDB's storage overhead per item (its pricing page: 100 bytes per item). */
    private static final long ITEM_OVERHEAD = 100;
    private static final String[] COUNTS = {"v", "e", "u", "x", "xm", "xc", "xb"};

    private CoarseAggregatesProbe() {
    }

    public static void main(String[] args) throws Exception {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        try (MotoServer moto = MotoServer.start(); DynamoDbClient dynamo = moto.dynamo(new RequestCounter())) {
            System.out.printf("engine: moto %s (server mode, single-threaded)%n", moto.version());
            DynamoDbAggregateStore.createTable(dynamo, "aggregates");
            DynamoDbAggregateStore.createTable(dynamo, "coarse");
            DynamoDbAggregateStore.createTable(dynamo, "slots");
            LedgerTable.create(dynamo, "ledger");
            DynamoDbQuarantineStore.createTable(dynamo, "quarantine");
            seed(dynamo, accounts);
            Layout interval = new Layout("one item per interval (today, written by the real ingest)");
            Layout coarse = new Layout("one item per three hours, counts packed in one binary attribute (probe)");
            Layout slots = new Layout("one item per three hours, a number attribute per count and interval (probe)");
            long keys = 0;
            for (int a = 0; a < accounts; a++) {
                List<Map<String, AttributeValue>> items = query(dynamo, "aggregates", account(a));
                keys += items.size();
                interval.add(items);
                check(items, coarse.add(write(dynamo, "coarse", account(a), pack(items).values())));
                checkSlots(items, slots.add(write(dynamo, "slots", account(a), bySlot(items).values())));
            }
            System.out.printf("accounts: %d, (account, interval) keys: %d (a full month each)%n", accounts, keys);
            System.out.println("| layout | items per account-month | bytes per account-month | storage per key"
                    + " (bytes, with 100 per item) | read units per account-month (strongly consistent Query) |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (Layout layout : List.of(interval, coarse, slots)) {
                layout.print(keys, accounts);
            }
            System.out.println("every interval's counts read back from both three-hour layouts as written: yes");
        }
    }

    /** What one layout's account-months weigh and cost to read, summed over the accounts. */
    private static final class Layout {
        private final String name;
        private long items;
        private long bytes;
        private double readUnits;

        Layout(String name) {
            this.name = name;
        }

        /** Adds one account-month as a strongly consistent Query returned it; returns the items. */
        List<Map<String, AttributeValue>> add(List<Map<String, AttributeValue>> monthItems) {
            long size = bytes(monthItems);
            items += monthItems.size();
            bytes += size;
            readUnits += (size + 4095) / 4096;
            return monthItems;
        }

        void print(long keys, int accounts) {
            System.out.printf("| %s | %.0f | %.0f | %.1f | %.1f |%n", name, items / (double) accounts,
                    bytes / (double) accounts, (bytes + ITEM_OVERHEAD * items) / (double) keys, readUnits / accounts);
        }
    }

    /** Puts the items into {@code table}, then reads the account's month back from it. */
    private static List<Map<String, AttributeValue>> write(DynamoDbClient dynamo, String table, String accountId,
            java.util.Collection<Map<String, AttributeValue>> items) {
        for (Map<String, AttributeValue> item : items) {
            dynamo.putItem(p -> p.tableName(table).item(item));
        }
        return query(dynamo, table, accountId);
    }

    /** The three-hour items holding the interval items' counts, keyed by block start. */
    static Map<Long, Map<String, AttributeValue>> pack(List<Map<String, AttributeValue>> items) {
        Map<Long, TreeMap<Long, Map<String, AttributeValue>>> blocks = new TreeMap<>();
        for (Map<String, AttributeValue> item : items) {
            long start = Long.parseLong(item.get("i").n());
            blocks.computeIfAbsent(Math.floorDiv(start, BLOCK_SECONDS) * BLOCK_SECONDS, k -> new TreeMap<>())
                    .put(start, item);
        }
        Map<Long, Map<String, AttributeValue>> out = new TreeMap<>();
        blocks.forEach((blockStart, members) -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(1); // format version
            varint(b, members.size());
            long previous = -1;
            Map<String, AttributeValue> last = null;
            for (Map.Entry<Long, Map<String, AttributeValue>> e : members.entrySet()) {
                long slot = (e.getKey() - blockStart) / 300;
                varint(b, slot - previous - 1);
                previous = slot;
                int flags = 0;
                for (int f = 1; f < COUNTS.length; f++) {
                    if (count(e.getValue(), COUNTS[f]) != 0) {
                        flags |= 1 << (f - 1);
                    }
                }
                b.write(flags);
                varint(b, count(e.getValue(), "v"));
                for (int f = 1; f < COUNTS.length; f++) {
                    if ((flags & (1 << (f - 1))) != 0) {
                        varint(b, count(e.getValue(), COUNTS[f]));
                    }
                }
                last = e.getValue();
            }
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("a", last.get("a"));
            item.put("i", AttributeValue.fromN(Long.toString(blockStart)));
            item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(b.toByteArray())));
            for (Map.Entry<String, AttributeValue> attribute : last.entrySet()) {
                String name = attribute.getKey();
                if (name.equals("t") || name.startsWith("h")) {
                    item.put(name, attribute.getValue()); // the TTL and the shard's high-water mark, as the last interval has them
                }
            }
            out.put(blockStart, item);
        });
        return out;
    }

    /**
     * The three-hour items with one top-level number attribute per non-zero count and interval ({@code v17},
     * {@code e17}: the count's name and the interval's slot in the block), which a conditional UpdateItem can
     * add to in place ({@code ADD v17 :v}), as ingest adds to an interval item today.
     */
    static Map<Long, Map<String, AttributeValue>> bySlot(List<Map<String, AttributeValue>> items) {
        Map<Long, Map<String, AttributeValue>> out = new TreeMap<>();
        Map<Long, Long> lastStart = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            long start = Long.parseLong(item.get("i").n());
            long blockStart = Math.floorDiv(start, BLOCK_SECONDS) * BLOCK_SECONDS;
            long slot = (start - blockStart) / 300;
            Map<String, AttributeValue> block = out.computeIfAbsent(blockStart, k -> {
                Map<String, AttributeValue> b = new HashMap<>();
                b.put("a", item.get("a"));
                b.put("i", AttributeValue.fromN(Long.toString(blockStart)));
                return b;
            });
            for (String c : COUNTS) {
                long n = count(item, c);
                if (n != 0) {
                    block.put(c + slot, AttributeValue.fromN(Long.toString(n)));
                }
            }
            if (start >= lastStart.getOrDefault(blockStart, Long.MIN_VALUE)) {
                lastStart.put(blockStart, start);
                for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
                    if (attribute.getKey().equals("t") || attribute.getKey().matches("h.*")) {
                        block.put(attribute.getKey(), attribute.getValue());
                    }
                }
            }
        }
        return out;
    }

    /** Every interval's counts, read from the per-slot attributes, equal those of the interval items. */
    private static void checkSlots(List<Map<String, AttributeValue>> items, List<Map<String, AttributeValue>> blocks) {
        Map<Long, Map<String, AttributeValue>> byStart = new HashMap<>();
        for (Map<String, AttributeValue> block : blocks) {
            byStart.put(Long.parseLong(block.get("i").n()), block);
        }
        for (Map<String, AttributeValue> item : items) {
            long start = Long.parseLong(item.get("i").n());
            long blockStart = Math.floorDiv(start, BLOCK_SECONDS) * BLOCK_SECONDS;
            Map<String, AttributeValue> block = byStart.get(blockStart);
            for (String c : COUNTS) {
                if (block == null || count(block, c + (start - blockStart) / 300) != count(item, c)) {
                    throw new IllegalStateException("the per-slot items do not hold the interval items' counts");
                }
            }
        }
    }

    /** Every interval's counts, decoded from the packed items, equal those of the interval items. */
    private static void check(List<Map<String, AttributeValue>> items, List<Map<String, AttributeValue>> packed) {
        Map<Long, List<Long>> expected = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            List<Long> counts = new ArrayList<>();
            for (String c : COUNTS) {
                counts.add(count(item, c));
            }
            expected.put(Long.parseLong(item.get("i").n()), counts);
        }
        Map<Long, List<Long>> decoded = new HashMap<>();
        for (Map<String, AttributeValue> item : packed) {
            long blockStart = Long.parseLong(item.get("i").n());
            byte[] b = item.get("b").b().asByteArray();
            int[] at = {1};
            long n = readVarint(b, at);
            long slot = -1;
            for (long k = 0; k < n; k++) {
                slot += readVarint(b, at) + 1;
                int flags = b[at[0]++] & 0xff;
                List<Long> counts = new ArrayList<>();
                counts.add(readVarint(b, at));
                for (int f = 1; f < COUNTS.length; f++) {
                    counts.add((flags & (1 << (f - 1))) != 0 ? readVarint(b, at) : 0L);
                }
                decoded.put(blockStart + 300 * slot, counts);
            }
            if (at[0] != b.length) {
                throw new IllegalStateException("trailing bytes in the packed item of " + blockStart);
            }
        }
        if (!decoded.equals(expected)) {
            throw new IllegalStateException("the packed items do not hold the interval items' counts");
        }
    }

    private static long count(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : Long.parseLong(v.n());
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long readVarint(byte[] b, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = b[at[0]++] & 0xff;
            value |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalStateException("varint too long");
    }

    private static long bytes(List<Map<String, AttributeValue>> items) {
        long total = 0;
        for (Map<String, AttributeValue> item : items) {
            total += RequestTally.itemSize(item);
        }
        return total;
    }

    /** Every item of the account-month, whole (no projection: storage and read units count every attribute). */
    private static List<Map<String, AttributeValue>> query(DynamoDbClient dynamo, String table, String accountId) {
        long from = MONTH.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        long to = MONTH.plusMonths(1).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) - 1;
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("a = :a AND i BETWEEN :f AND :t")
                    .expressionAttributeValues(Map.of(":a", AttributeValue.fromS(accountId),
                            ":f", AttributeValue.fromN(Long.toString(from)),
                            ":t", AttributeValue.fromN(Long.toString(to))))
                    .consistentRead(true).exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    private static String account(int a) {
        return "probe-" + a;
    }

    /** A full month per account through the real ingest: the traffic of {@code MonthEndHarness}'s seed. */
    private static void seed(DynamoDbClient dynamo, int accounts) {
        Clock clock = Clock.fixed(Instant.parse("2026-11-01T00:05:00Z"), ZoneOffset.UTC);
        IngestService ingest = new IngestWiring(IngestConfig.of("aggregates", "quarantine", "ledger"), dynamo, clock)
                .service();
        SplittableRandom random = new SplittableRandom(20261101);
        BigInteger sequence = MonthEndHarness.FIRST_SEQUENCE;
        for (int a = 0; a < accounts; a++) {
            sequence = MonthEndHarness.ingestMonth(ingest, account(a), MONTH, random, sequence, clock);
        }
    }
}
