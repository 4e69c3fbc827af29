package dev.slaledger.benchmarks.rehearsal.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The modeled latency of each request, as seen by the calling Lambda function, in milliseconds:
 * what the simulated clock advances per request. Each figure and its source is in
 * {@link #sources()} (and docs/benchmarks.md); {@code scale} multiplies every figure (a rehearsal
 * run at 2x shows how much margin a target has).
 */
public final class LatencyModel {
    /** DynamoDB GetItem: AWS: "most atomic operations, such as GetItem and PutItem, average single-digit milliseconds". */
    public static final double DYNAMODB_GET_MS = 5;
    /** DynamoDB PutItem, UpdateItem, DeleteItem (a write waits for 2 of 3 replicas): same source. */
    public static final double DYNAMODB_WRITE_MS = 7;
    /** DynamoDB Query returning a few items: a small single-partition read, same source. */
    public static final double DYNAMODB_QUERY_MS = 6;
    /** Added per KB a Query page returns (1 MB page: +25 ms): our assumption, transfer at about 40 MB/s. */
    public static final double DYNAMODB_QUERY_MS_PER_KB = 0.025;
    /** TransactWriteItems: two-phase, about twice a write (AWS: transactions cost 2 WRU per item). */
    public static final double DYNAMODB_TRANSACT_MS = 15;
    /** SQS SendMessageBatch, SendMessage, ReceiveMessage, DeleteMessageBatch: "tens of milliseconds" (published benchmarks). */
    public static final double SQS_MS = 15;
    /** EventBridge PutEvents: AWS publishes no API latency; assumed like SQS, 20 ms. */
    public static final double EVENTBRIDGE_MS = 20;
    /** SES SendEmail (v2): AWS publishes none; assumed 50 ms (an HTTPS call that queues the mail). */
    public static final double SES_SEND_MS = 50;
    /** SES GetAccount (v2): a small read, 30 ms. */
    public static final double SES_READ_MS = 30;
    /** A Lambda invocation's own overhead (the SQS mapping invoking synchronously, the Runtime API): 10 ms. */
    public static final double LAMBDA_INVOKE_MS = 10;
    /** A new execution environment (SnapStart restore, then the first request's warm-up): 500 ms. */
    public static final double LAMBDA_COLD_START_MS = 500;

    private final double scale;

    public LatencyModel(double scale) {
        if (scale <= 0) {
            throw new IllegalArgumentException("latency scale must be > 0");
        }
        this.scale = scale;
    }

    public double scale() {
        return scale;
    }

    public long nanos(Request r) {
        double ms = switch (r.service()) {
            case DYNAMODB -> switch (r.operation()) {
                case "GetItem", "BatchGetItem" -> DYNAMODB_GET_MS;
                case "Query", "Scan" -> DYNAMODB_QUERY_MS + DYNAMODB_QUERY_MS_PER_KB * r.bytes() / 1024.0;
                case "TransactWriteItems", "TransactGetItems" -> DYNAMODB_TRANSACT_MS;
                default -> DYNAMODB_WRITE_MS;
            };
            case SQS -> SQS_MS;
            case EVENTBRIDGE -> EVENTBRIDGE_MS;
            case SES -> "SendEmail".equals(r.operation()) ? SES_SEND_MS : SES_READ_MS;
        };
        return Math.round(ms * scale * 1_000_000);
    }

    public Duration invokeOverhead() {
        return Duration.ofNanos(Math.round(LAMBDA_INVOKE_MS * scale * 1_000_000));
    }

    public Duration coldStart() {
        return Duration.ofNanos(Math.round(LAMBDA_COLD_START_MS * scale * 1_000_000));
    }

    /** Each figure with where it comes from, for the report. */
    public static Map<String, String> sources() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("DynamoDB GetItem " + DYNAMODB_GET_MS + " ms", "AWS Knowledge Center, 'DynamoDB high latency': most atomic"
                + " operations (GetItem, PutItem) average single-digit milliseconds");
        s.put("DynamoDB PutItem/UpdateItem/DeleteItem " + DYNAMODB_WRITE_MS + " ms", "same source (single-digit ms)");
        s.put("DynamoDB Query " + DYNAMODB_QUERY_MS + " ms + " + DYNAMODB_QUERY_MS_PER_KB + " ms/KB",
                "same source for a small Query; the per-KB term is our assumption (a 1 MB page: 31 ms)");
        s.put("DynamoDB TransactWriteItems " + DYNAMODB_TRANSACT_MS + " ms", "assumption: about two writes (two-phase)");
        s.put("SQS any request " + SQS_MS + " ms", "published SQS benchmarks (batches of 10: tens of ms); assumption");
        s.put("EventBridge PutEvents " + EVENTBRIDGE_MS + " ms", "assumption (AWS publishes no API latency)");
        s.put("SES SendEmail " + SES_SEND_MS + " ms, GetAccount " + SES_READ_MS + " ms", "assumption (none published)");
        s.put("Lambda invocation overhead " + LAMBDA_INVOKE_MS + " ms, new environment " + LAMBDA_COLD_START_MS + " ms",
                "assumption: SnapStart restore is sub-second (AWS), the project's cold-start figures in this file");
        return s;
    }
}
