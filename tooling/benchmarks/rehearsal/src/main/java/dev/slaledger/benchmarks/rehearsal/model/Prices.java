package dev.slaledger.benchmarks.rehearsal.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * On-demand list prices, us-east-1 (N. Virginia), as of 2026-12, without free tiers or savings
 * plans: what a rehearsal's requests cost. The functions run on arm64 (infrastructure JavaFunction).
 */
public final class Prices {
    /** DynamoDB on-demand, per read request unit (since the November 2024 reduction: $0.125 per million). */
    public static final double DYNAMODB_RRU = 0.125e-6;
    /** DynamoDB on-demand, per write request unit ($0.625 per million). */
    public static final double DYNAMODB_WRU = 0.625e-6;
    /** Lambda arm64, per GB-second ($0.0000133334). */
    public static final double LAMBDA_GB_SECOND_ARM = 0.0000133334;
    /** Lambda, per request ($0.20 per million). */
    public static final double LAMBDA_REQUEST = 0.20e-6;
    /** SQS standard queue, per request of up to 64 KB ($0.40 per million). */
    public static final double SQS_REQUEST = 0.40e-6;
    /** EventBridge custom events, per event of up to 64 KB ($1.00 per million). */
    public static final double EVENTBRIDGE_EVENT = 1.00e-6;
    /** SES outbound email, per message ($0.10 per 1,000). */
    public static final double SES_EMAIL = 0.10e-3;
    /** EventBridge Scheduler, per invocation ($1.00 per million). */
    public static final double SCHEDULER_INVOCATION = 1.00e-6;

    private Prices() {
    }

    public static double of(Request r) {
        return switch (r.service()) {
            case DYNAMODB -> r.readUnits() * DYNAMODB_RRU + r.writeUnits() * DYNAMODB_WRU;
            case SQS -> SQS_REQUEST;
            case EVENTBRIDGE -> r.entries() * EVENTBRIDGE_EVENT;
            case SES -> "SendEmail".equals(r.operation()) ? r.entries() * SES_EMAIL : 0;
        };
    }

    public static Map<String, String> table() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("DynamoDB on-demand", "$0.125 per million RRU, $0.625 per million WRU (us-east-1, since Nov 2024)");
        t.put("Lambda arm64", "$0.0000133334 per GB-s, $0.20 per million requests");
        t.put("SQS standard", "$0.40 per million requests");
        t.put("EventBridge custom events", "$1.00 per million events");
        t.put("SES", "$0.10 per 1,000 emails");
        t.put("EventBridge Scheduler", "$1.00 per million invocations");
        return t;
    }
}
