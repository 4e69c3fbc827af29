package dev.slaledger.core.traffic;



/**
 * A record that broke D1, with why, kept at its stream position.
 *
 * @param origin null for a stream record that is one D1 record; for one log event of a CloudWatch
 *               Logs subscription payload, which event ({@code record} then holds the event's message)
 */
public record QuarantineEntry(StreamRecord record, QuarantineReason reason, String detail, int recordIndex,
        LogEventOrigin origin) {

    /** A whole stream record. */
    public QuarantineEntry(StreamRecord record, QuarantineReason reason, String detail, int recordIndex) {
        this(record, reason, detail, recordIndex, null);
    }
}
