package dev.slaledger.lambda;

/**
 * Every environment variable a function reads, named once: the functions read them through
 * {@link Env}, the CDK app (infrastructure) sets them, the local runtime, the harnesses and the tests
 * give them, all through these constants.
 *
 * <p>This file sits alone in its source folder ({@code adapters/lambda-support/src/definitions/java}),
 * with no dependency: lambda-support compiles it into its jar, and the CDK app, which depends on no
 * module of ours (it runs alone under {@code cdk synth}), compiles the same file from the same folder
 * (both poms add it with build-helper's add-source). {@code EnvNamesTest} (infrastructure) holds
 * the CDK app to it: every variable the app sets on a function is one of these.
 */
public final class EnvNames {
    /** Set by Lambda itself. */
    public static final String AWS_REGION = "AWS_REGION";
    public static final String LEDGER_TABLE = "LEDGER_TABLE";
    public static final String ACCOUNTS_TABLE = "ACCOUNTS_TABLE";
    public static final String AGGREGATES_TABLE = "AGGREGATES_TABLE";
    public static final String QUARANTINE_TABLE = "QUARANTINE_TABLE";
    public static final String WORK_QUEUE_URL = "WORK_QUEUE_URL";
    public static final String WORK_BATCH_SIZE = "WORK_BATCH_SIZE";
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    public static final String ACCOUNT_CLAIM = "ACCOUNT_CLAIM";
    public static final String CLAIMS_RATE_PER_MINUTE = "CLAIMS_RATE_PER_MINUTE";
    public static final String SES_FROM_ADDRESS = "SES_FROM_ADDRESS";
    public static final String SES_CONFIGURATION_SET = "SES_CONFIGURATION_SET";
    /** A local SES endpoint (the emulator); never set by the CDK app. */
    public static final String SES_ENDPOINT = "SES_ENDPOINT";
    public static final String NOTICE_SERVICE_NAME = "NOTICE_SERVICE_NAME";
    public static final String NOTICE_CLAIM_URL_TEMPLATE = "NOTICE_CLAIM_URL_TEMPLATE";
    public static final String NOTICE_LEASE_HOURS = "NOTICE_LEASE_HOURS";
    /** Where an API Gateway access-log line holds the account id (ingest, issue 21). */
    public static final String ACCESS_LOG_ACCOUNT_SOURCE = "ACCESS_LOG_ACCOUNT_SOURCE";
    /** Days ingest keeps aggregates after the claim window of their month closes (S7.4; default 92). */
    public static final String RETENTION_MARGIN_DAYS = "RETENTION_MARGIN_DAYS";
    /** No longer read: ingest refuses to start when it is set (retention comes from the terms, S7.4). */
    public static final String AGGREGATE_RETENTION_DAYS = "AGGREGATE_RETENTION_DAYS";
    /** No longer read: ingest refuses to start when it is set (retention comes from the terms, S7.4). */
    public static final String QUARANTINE_RETENTION_DAYS = "QUARANTINE_RETENTION_DAYS";
    /** The notice work queue (the notifier's dispatcher sends, its workers read; S9.2). */
    public static final String NOTICE_QUEUE_URL = "NOTICE_QUEUE_URL";
    /** Optional caps below the SES quota (S9.3) and the notice fan-out's unit size and eligibility start. */
    public static final String NOTICE_MAX_SEND_RATE = "NOTICE_MAX_SEND_RATE";
    public static final String NOTICE_MAX_DAILY_SENDS = "NOTICE_MAX_DAILY_SENDS";
    public static final String NOTICE_UNIT_SIZE = "NOTICE_UNIT_SIZE";
    public static final String NOTICE_ELIGIBILITY_START_HOURS = "NOTICE_ELIGIBILITY_START_HOURS";

    private EnvNames() {
    }
}
