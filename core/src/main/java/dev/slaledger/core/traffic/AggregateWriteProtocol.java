package dev.slaledger.core.traffic;

import dev.slaledger.core.port.AggregateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one exactly-once write protocol of a five-minute aggregate (docs/ingest.md, "Exactly once"),
 * over any table that can make a conditional update: which contributions of a key's batch the stored
 * per-shard high-water marks already cover, the conditional request that adds the others, what a
 * failed condition means, and when a write is refused for good (S7.5). {@code DynamoDbAggregateStore}
 * speaks it to DynamoDB, {@code InMemoryAggregates} to process memory: the same decisions and the same
 * requests, so a run on the in-memory table counts what DynamoDB would.
 *
 * <p>A live write ({@link #apply}) is conditional on each contributing shard's mark being below the
 * batch's first record of that shard (first attempt), or on the marks being exactly those just read
 * (after a failed condition showed an item); it sets each mark to the batch's last record. A contribution
 * at or below the mark is a duplicate; a range contribution (a window's folded sums) the mark cuts is
 * {@link AggregateStore.PartlyApplied}: sums cannot be split. A re-ingestion of records the mapping gave
 * up on ({@link #recover}) is conditional on the abandoned range's id not being in the item's recovered
 * set instead, and leaves the marks alone: those records lie below marks that later records moved.
 */
public final class AggregateWriteProtocol {
    /**
     * The D1 names of the count fields, in {@code valid, errors, unreachedErrors, excludedErrors} order,
     * then the excluded errors by kind (S2.4, S9.6: parts of {@code excludedErrors}, so within its bound).
     */
    public static final String[] FIELDS = {"valid", "errors", "unreachedErrors", "excludedErrors",
        "excludedMaintenance", "excludedCustomerCompromised", "excludedContentBan"};
    /** The fields whose stored value the bound condition of a write checks (the kinds are parts of the fourth). */
    public static final int BOUNDED_FIELDS = 4;
    /** Conditional requests on one key before the protocol gives up (a second writer on the shard). */
    public static final int MAX_ATTEMPTS = 4;

    private AggregateWriteProtocol() {
    }

    /** A stored aggregate item, as the protocol reads it. */
    public interface Stored {
        /** A count field (0-6, {@link #FIELDS}), as the reader sees it: absent 0, clamped to {@link CountLimits#PER_INTERVAL}. */
        long count(int field);

        /** The shard's high-water mark, or null. */
        String mark(String shardId);

        /** Whether a re-ingestion of the shard's abandoned range {@code rangeId} was applied to this item. */
        boolean recovered(String shardId, String rangeId);

        /** Whether the shard's record {@code sequenceNumber} was written alone, inside its own invocation. */
        boolean writtenAlone(String shardId, String sequenceNumber);
    }

    /** How one shard's mark conditions a write. */
    public enum MarkCondition {
        /** The mark is absent or below {@code first} (a first attempt: nothing read yet). */
        BELOW_FIRST,
        /** The mark equals {@code seen} (the item was read, or came back with a failed condition). */
        EQUALS_SEEN,
        /** The mark is absent (the item was read and had none). */
        ABSENT
    }

    /** One shard's part of a live write: its condition, and the mark it sets ({@code last}). */
    public record ShardMark(String shardId, String first, String last, MarkCondition condition, String seen) {
    }

    /**
     * One conditional request: add {@code sums} ({@link #FIELDS} order, non-zero fields only) and set the TTL; either set the
     * {@code marks} under their conditions (a live write) or add {@code recoveryId} to the shard's
     * recovered set under the condition that it is not there (a re-ingestion). Every added field is
     * also conditioned on the stored count staying within {@link CountLimits#PER_INTERVAL} (the first
     * {@link #BOUNDED_FIELDS}: a kind's count is at most the excluded total).
     * {@code writtenAlone}: a live write of one stream record inside its own invocation, recorded in the
     * item (null otherwise).
     */
    public record Update(AggregateKey key, long[] sums, List<ShardMark> marks, String recoveryShard,
            String recoveryId, String writtenAlone) {
        public boolean isRecovery() {
            return recoveryId != null;
        }
    }

    /** A write the table refuses for a reason retrying cannot fix (a ValidationException: S7.5). */
    public static final class Refused extends RuntimeException {
        public Refused(String detail) {
            super(detail, null, false, false);
        }
    }

    /** The table the protocol writes to. */
    public interface Table {
        /** The item (strongly consistent read), or null if none. */
        Stored read(AggregateKey key);

        /**
         * Sends one conditional update. Returns {@link #APPLIED} if the condition held; else the
         * stored item the failed condition returned, or {@link #NOT_RETURNED}.
         *
         * @throws Refused for a permanent refusal; anything else thrown is transient (redelivered)
         */
        Stored update(Update update);
    }

    /** {@link Table#update}: the condition held, the update was applied. */
    public static final Stored APPLIED = new Marker();
    /** {@link Table#update}: the condition failed and no item came back with it (read it). */
    public static final Stored NOT_RETURNED = new Marker();

    private static final class Marker implements Stored {
        @Override
        public long count(int field) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String mark(String shardId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean recovered(String shardId, String rangeId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean writtenAlone(String shardId, String sequenceNumber) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Adds the batch's records to the key's item, each record at most once ever (docs/ingest.md):
     * first a write conditional on every contributing shard's mark being below the batch's first
     * record of that shard; if the condition fails, only the contributions above the stored marks,
     * conditional on the marks just seen. A sum that would take the interval above
     * {@link CountLimits#PER_INTERVAL} is refused {@code COUNT_OUT_OF_RANGE} (after one read when the
     * batch alone is above it: which of its records were applied before?), a write the table refuses
     * for good {@code STORE_REFUSED}; both leave the item as it was.
     *
     * @throws AggregateStore.PartlyApplied if a range contribution straddles a stored mark
     */
    public static AggregateStore.ApplyResult apply(Table table, KeyBatch batch) {
        List<KeyBatch.Contribution> all = batch.contributions();
        List<KeyBatch.Contribution> pending = all;
        Stored seen = null; // null: first attempt, "each mark below the batch's first record"
        boolean readFirst = false;
        int writes = 0;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                if (readFirst) {
                    seen = table.read(batch.key());
                    if (seen == null) {
                        seen = Absent.ITEM;
                    }
                    readFirst = false;
                }
                if (seen != null) {
                    pending = notYetApplied(all, seen);
                    if (pending.isEmpty()) {
                        return new AggregateStore.ApplyResult(0, all.size(), writes);
                    }
                }
                long[] sum = sums(pending);
                String over = overLimit(sum, seen);
                if (over != null && seen == null) {
                    readFirst = true; // which of them were applied before? the marks say, then decide
                    continue;
                }
                if (over != null) {
                    return new AggregateStore.ApplyResult(0, all.size() - pending.size(), writes,
                            new AggregateStore.Refusal(QuarantineReason.COUNT_OUT_OF_RANGE, over, pending));
                }
                writes++;
                Stored result = table.update(new Update(batch.key(), sum, marks(pending, seen), null, null,
                        batch.writtenAlone()));
                if (result == APPLIED) {
                    return new AggregateStore.ApplyResult(pending.size(), all.size() - pending.size(), writes);
                }
                if (result == NOT_RETURNED) {
                    readFirst = true;
                } else {
                    seen = result;
                }
            } catch (Refused e) {
                return new AggregateStore.ApplyResult(0, all.size() - pending.size(), writes,
                        new AggregateStore.Refusal(QuarantineReason.STORE_REFUSED, e.getMessage(), pending));
            }
        }
        throw new IllegalStateException("aggregate " + batch.key().accountId() + "@" + batch.key().intervalStart()
                + " kept changing under " + MAX_ATTEMPTS + " conditional writes: is a second writer on the shard?");
    }

    /**
     * Adds the records of the shard's abandoned range {@code rangeId} (records the event source mapping
     * gave up on, re-read from the stream) once: the item is read first, records it shows written alone
     * inside their own invocation are left out (they were applied), and the rest is added by one request
     * conditional on the range's id not being in the item's recovered set, which the same request
     * extends. The marks are not touched: these records lie below marks that later records moved, and
     * no live write ever applied any other of them (docs/ingest.md, "Records Lambda gives up on").
     */
    public static AggregateStore.ApplyResult recover(Table table, KeyBatch batch, String shardId, String rangeId) {
        List<KeyBatch.Contribution> all = batch.contributions();
        int writes = 0;
        Stored seen = orAbsent(table.read(batch.key()));
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (seen.recovered(shardId, rangeId)) {
                return new AggregateStore.ApplyResult(0, all.size(), writes);
            }
            List<KeyBatch.Contribution> pending = new ArrayList<>(all.size());
            for (KeyBatch.Contribution c : all) {
                if (!c.isRange() && !seen.writtenAlone(c.shardId(), c.sequenceNumber())) {
                    pending.add(c);
                }
            }
            if (pending.isEmpty()) {
                return new AggregateStore.ApplyResult(0, all.size(), writes);
            }
            long[] sum = sums(pending);
            String over = overLimit(sum, seen);
            if (over != null) {
                return new AggregateStore.ApplyResult(0, all.size() - pending.size(), writes,
                        new AggregateStore.Refusal(QuarantineReason.COUNT_OUT_OF_RANGE, over, pending));
            }
            try {
                writes++;
                Stored result = table.update(new Update(batch.key(), sum, List.of(), shardId, rangeId, null));
                if (result == APPLIED) {
                    return new AggregateStore.ApplyResult(pending.size(), all.size() - pending.size(), writes);
                }
                seen = orAbsent(result == NOT_RETURNED ? table.read(batch.key()) : result);
            } catch (Refused e) {
                return new AggregateStore.ApplyResult(0, all.size() - pending.size(), writes,
                        new AggregateStore.Refusal(QuarantineReason.STORE_REFUSED, e.getMessage(), pending));
            }
        }
        throw new IllegalStateException("aggregate " + batch.key().accountId() + "@" + batch.key().intervalStart()
                + " kept changing under " + MAX_ATTEMPTS + " recovery writes");
    }

    /**
     * The contributions the stored marks do not cover: a record above its shard's mark (or with no
     * mark) is pending, one at or below it a duplicate.
     *
     * @throws AggregateStore.PartlyApplied if a range contribution (a window's folded sums) has its
     *                                      first record at or below the mark and its last above
     */
    public static List<KeyBatch.Contribution> notYetApplied(List<KeyBatch.Contribution> all, Stored item) {
        Map<String, String> marks = new LinkedHashMap<>();
        List<KeyBatch.Contribution> out = new ArrayList<>(all.size());
        for (KeyBatch.Contribution c : all) {
            String mark = marks.computeIfAbsent(c.shardId(), s -> {
                String m = item.mark(s);
                return m == null ? "" : m;
            });
            if (mark.isEmpty() || SequenceNumbers.compare(c.firstSequenceNumber(), mark) > 0) {
                out.add(c);
            } else if (SequenceNumbers.compare(c.sequenceNumber(), mark) > 0) {
                throw new AggregateStore.PartlyApplied("the stored mark " + mark + " of " + c.shardId()
                        + " falls inside the folded range " + c.firstSequenceNumber() + ".." + c.sequenceNumber()
                        + " of the aggregate: another writer applied part of it");
            }
        }
        return out;
    }

    /** Per shard, in the order first met: the condition and the new mark of a write of {@code records}. */
    static List<ShardMark> marks(List<KeyBatch.Contribution> records, Stored seen) {
        Map<String, String[]> minMax = new LinkedHashMap<>();
        for (KeyBatch.Contribution c : records) {
            String[] mm = minMax.computeIfAbsent(c.shardId(),
                    s -> new String[] {c.firstSequenceNumber(), c.sequenceNumber()});
            if (SequenceNumbers.compare(c.firstSequenceNumber(), mm[0]) < 0) {
                mm[0] = c.firstSequenceNumber();
            }
            if (SequenceNumbers.compare(c.sequenceNumber(), mm[1]) > 0) {
                mm[1] = c.sequenceNumber();
            }
        }
        List<ShardMark> out = new ArrayList<>(minMax.size());
        for (Map.Entry<String, String[]> e : minMax.entrySet()) {
            String stored = seen == null ? null : seen.mark(e.getKey());
            MarkCondition condition = seen == null ? MarkCondition.BELOW_FIRST
                    : stored == null ? MarkCondition.ABSENT : MarkCondition.EQUALS_SEEN;
            out.add(new ShardMark(e.getKey(), e.getValue()[0], e.getValue()[1], condition, stored));
        }
        return out;
    }

    /** Whether a live write's mark conditions hold on {@code item} (null: no item), as the table evaluates them. */
    public static boolean marksHold(List<ShardMark> marks, Stored item) {
        for (ShardMark m : marks) {
            String stored = item == null ? null : item.mark(m.shardId());
            boolean holds = switch (m.condition()) {
                case BELOW_FIRST -> stored == null || SequenceNumbers.compare(stored, m.first()) < 0;
                case EQUALS_SEEN -> stored != null && stored.equals(m.seen());
                case ABSENT -> stored == null;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bound part of an update's condition holds on {@code item} (null: no item). */
    public static boolean boundHolds(long[] sums, Stored item) {
        for (int k = 0; k < BOUNDED_FIELDS; k++) {
            if (sums[k] != 0 && item != null && item.count(k) > CountLimits.PER_INTERVAL - sums[k]) {
                return false;
            }
        }
        return true;
    }

    private static final long OVER = -1;

    /**
     * Per count field, the sum of the contributions' counts, or {@link #OVER} once it exceeds
     * {@link CountLimits#PER_INTERVAL}: never overflows, whatever the counts.
     */
    static long[] sums(List<KeyBatch.Contribution> records) {
        long[] sum = new long[FIELDS.length];
        for (KeyBatch.Contribution c : records) {
            IntervalCounts n = c.counts();
            sum[0] = add(sum[0], n.valid());
            sum[1] = add(sum[1], n.errors());
            sum[2] = add(sum[2], n.unreachedErrors());
            sum[3] = add(sum[3], n.excludedErrors());
            sum[4] = add(sum[4], n.excludedMaintenance());
            sum[5] = add(sum[5], n.excludedCompromised());
            sum[6] = add(sum[6], n.excludedContentBan());
        }
        return sum;
    }

    private static long add(long sum, long n) {
        return sum == OVER || n > CountLimits.PER_INTERVAL - sum ? OVER : sum + n;
    }

    /** Why adding {@code sum} to the {@code stored} item would break the per-interval bound, or null. */
    private static String overLimit(long[] sum, Stored stored) {
        for (int k = 0; k < BOUNDED_FIELDS; k++) {
            long before = stored == null ? 0 : stored.count(k);
            if (sum[k] == OVER || sum[k] > CountLimits.PER_INTERVAL - before) {
                return FIELDS[k] + ": the interval would exceed " + CountLimits.PER_INTERVAL
                        + " (per-interval maximum)";
            }
        }
        return null;
    }

    /** No item: no counts, no marks. */
    private enum Absent implements Stored {
        ITEM;

        @Override
        public long count(int field) {
            return 0;
        }

        @Override
        public String mark(String shardId) {
            return null;
        }

        @Override
        public boolean recovered(String shardId, String rangeId) {
            return false;
        }

        @Override
        public boolean writtenAlone(String shardId, String sequenceNumber) {
            return false;
        }
    }

    /** The stored item a table holds for {@code key}, read as the protocol reads it; never null. */
    public static Stored orAbsent(Stored item) {
        return item == null ? Absent.ITEM : item;
    }
}
