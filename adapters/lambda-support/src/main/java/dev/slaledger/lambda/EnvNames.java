package dev.slaledger.lambda;



/**
 * The environment variables the infrastructure sets on the functions, named once. The CDK app
 * (infrastructure) and the local runtime use the same names through this class.
 */
public final class EnvNames {
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
    public static final String NOTICE_SERVICE_NAME = "NOTICE_SERVICE_NAME";
    public static final String AGGREGATE_RETENTION_DAYS = "AGGREGATE_RETENTION_DAYS";
    public static final String QUARANTINE_RETENTION_DAYS = "QUARANTINE_RETENTION_DAYS";
    /** The notice work queue (the notifier's dispatcher sends, its workers read; S9.2). */
    public static final String NOTICE_QUEUE_URL = "NOTICE_QUEUE_URL";

    private EnvNames() {
    }
}
