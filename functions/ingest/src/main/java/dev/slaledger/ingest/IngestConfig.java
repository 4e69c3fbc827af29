package dev.slaledger.ingest;

import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import java.time.Duration;
import java.util.Map;

/**
 * Settings the infrastructure gives the function as environment variables.
 *
 * @param aggregatesTable  AGGREGATES_TABLE
 * @param quarantineTable  QUARANTINE_TABLE
 * @param ledgerTable      LEDGER_TABLE (stale marks live beside the statements, adapter-dynamodb)
 * @param retention        AGGREGATE_RETENTION_DAYS (default 190): TTL of an aggregate after its interval start
 * @param quarantineRetention QUARANTINE_RETENTION_DAYS (default 90)
 */
public record IngestConfig(String aggregatesTable, String quarantineTable, String ledgerTable,
        Duration retention, Duration quarantineRetention) {

    /** Covers the longest claim window (interval on day 1 of M, window closes end of M+2: 92 days) plus 98 days. */
    public static final int DEFAULT_RETENTION_DAYS = 190;
    public static final int DEFAULT_QUARANTINE_RETENTION_DAYS = 90;

    public static IngestConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(new Env(env));
    }

    public static IngestConfig fromEnvironment(Env env) {
        return new IngestConfig(env.required(EnvNames.AGGREGATES_TABLE), env.required(EnvNames.QUARANTINE_TABLE),
                env.required(EnvNames.LEDGER_TABLE),
                Duration.ofDays(days(env, EnvNames.AGGREGATE_RETENTION_DAYS, DEFAULT_RETENTION_DAYS)),
                Duration.ofDays(days(env, EnvNames.QUARANTINE_RETENTION_DAYS, DEFAULT_QUARANTINE_RETENTION_DAYS)));
    }

    private static int days(Env env, String name, int fallback) {
        int days = env.integer(name, fallback);
        if (days < 1) {
            throw new IllegalStateException(name + " must be at least 1, was " + days);
        }
        return days;
    }
}
