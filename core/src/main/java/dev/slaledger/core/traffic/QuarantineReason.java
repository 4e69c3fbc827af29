package dev.slaledger.core.traffic;

/** Why a stream record was quarantined instead of aggregated (D1: quarantined, never dropped). */
public enum QuarantineReason {
    /** Not a single JSON object: malformed, another JSON type, trailing data, a field given twice. */
    NOT_JSON,
    /** {@code accountId} absent, null or empty. */
    MISSING_ACCOUNT_ID,
    /**
     * {@code accountId} not a string, longer than 256 characters, holding control characters, or
     * not valid Unicode (a lone surrogate: DynamoDB would store it as '?', merging distinct ids).
     */
    INVALID_ACCOUNT_ID,
    /** Neither {@code timestamp} (request shape) nor {@code intervalStart} (pre-aggregated shape). */
    MISSING_TIMESTAMP,
    /** Fields of both D1 shapes in one record. */
    MIXED_SHAPE,
    /** {@code timestamp} or {@code intervalStart} is not an ISO-8601 instant. */
    UNPARSEABLE_TIMESTAMP,
    /** More than 15 minutes ahead of the ingest clock. */
    FUTURE_TIMESTAMP,
    /** So old that its aggregate would already be past retention (TTL). */
    TOO_OLD,
    /** {@code intervalStart} not a multiple of five minutes since the epoch (S2.1). */
    NOT_INTERVAL_START,
    /** {@code status} absent on a received request, not an integer, or outside 100-599. */
    BAD_STATUS,
    /** {@code reached} not a boolean. */
    BAD_REACHED,
    /** {@code exclusion} not null and not the wire name of an {@link ExclusionKind}. */
    UNKNOWN_EXCLUSION,
    /** A count below zero. */
    NEGATIVE_COUNT,
    /** A count that is not a JSON integer (1.5, 1e3, "3", true). */
    NON_INTEGER_COUNT,
    /**
     * A count above {@link CountLimits#PER_RECORD} in one record, or a record whose counts would
     * take its stored interval above {@link CountLimits#PER_INTERVAL} (S7.5).
     */
    COUNT_OUT_OF_RANGE,
    /** {@code valid} or {@code errors} absent from a pre-aggregated record. */
    MISSING_COUNT,
    /** {@code errors} greater than {@code valid}. */
    ERRORS_EXCEED_VALID,
    /**
     * The excluded errors a pre-aggregated record gives by kind ({@code excludedMaintenance},
     * {@code excludedCustomerCompromised}, {@code excludedContentBan}) add up to more than its
     * {@code excludedErrors} (S2.4, S9.6).
     */
    EXCLUDED_KINDS_EXCEED_TOTAL,
    /**
     * The table refused to store the record for a reason retrying cannot fix: a DynamoDB
     * ValidationException (an item or a key over DynamoDB's limits) on its aggregate write (S7.5).
     */
    STORE_REFUSED,
    /**
     * A CloudWatch Logs subscription payload (gzip, issue 21) that cannot be read as one: the gzip
     * stream is broken, its JSON is not the subscription shape ({@code messageType},
     * {@code logGroup}, {@code logStream}, {@code logEvents} with {@code id} and {@code message}),
     * or its {@code messageType} is unknown. The whole stream record is quarantined.
     */
    UNREADABLE_LOG_PAYLOAD
}
