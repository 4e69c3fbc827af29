package dev.slaledger.core.traffic;



/** A record that broke D1, with why, kept at its stream position. */
public record QuarantineEntry(StreamRecord record, QuarantineReason reason, String detail, int recordIndex) {
}
