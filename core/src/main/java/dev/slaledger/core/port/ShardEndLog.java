package dev.slaledger.core.port;

/**
 * Where ingest records how far it has re-applied the last window of a Kinesis shard that ended (split
 * or merged into children, docs/ingest.md "Resharding"), so that the work is done once and resumes
 * after a failure: Lambda does not document a final invocation for a window cut short by its shard's
 * end, so the children's first invocation re-applies the parent's last window from the stream, each
 * record at most once (the aggregates' high-water marks).
 */
public interface ShardEndLog {
    /** How far a shard's end is reconciled. {@code through}: the last record applied (null: none yet). */
    record Progress(boolean done, String through) {
        public static final Progress NONE = new Progress(false, null);
    }

    Progress progress(String shardId);

    /** The shard's records up to {@code sequenceNumber} (of its last window) are applied. */
    void applied(String shardId, String sequenceNumber);

    /** The shard's last window is applied: nothing left to do for it. */
    void done(String shardId);
}
