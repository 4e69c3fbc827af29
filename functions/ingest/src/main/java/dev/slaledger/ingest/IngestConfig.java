package dev.slaledger.ingest;

import dev.slaledger.core.traffic.Retention;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings the infrastructure gives the function as environment variables.
 *
 * <p>How long aggregates and quarantined records are kept is not a setting: it is derived from
 * the published terms (S7.4, {@link Retention}); only the margin after the last claim window
 * closes is.
 *
 * @param aggregatesTable  AGGREGATES_TABLE
 * @param quarantineTable  QUARANTINE_TABLE
 * @param ledgerTable      LEDGER_TABLE (stale marks live beside the statements, and the published
 *                         terms, adapter-dynamodb)
 * @param retentionMargin  RETENTION_MARGIN_DAYS (default 92): kept this long after the claim
 *                         window of a month has closed everywhere
 * @param accessLogAccountSource ACCESS_LOG_ACCOUNT_SOURCE ({@code claim}, the default, or
 *                         {@code apiKeyId}): which field of an API Gateway access-log line holds the
 *                         account id (issue 21, docs/ingest.md)
 */
public record IngestConfig(String aggregatesTable, String quarantineTable, String ledgerTable,
        Duration retentionMargin, AccessLogMapper.AccountSource accessLogAccountSource) {

    /** Access-log lines read their account id from {@code claim}. */
    public IngestConfig(String aggregatesTable, String quarantineTable, String ledgerTable, Duration retentionMargin) {
        this(aggregatesTable, quarantineTable, ledgerTable, retentionMargin, AccessLogMapper.AccountSource.CLAIM);
    }

    /** Issue 21: where an access-log line's account id is read ({@code claim} or {@code apiKeyId}). */
    public static final String ACCESS_LOG_ACCOUNT_SOURCE = EnvNames.ACCESS_LOG_ACCOUNT_SOURCE;

    /** Days kept after the claim window of a month closes (S7.4). */
    public static final String RETENTION_MARGIN_DAYS = EnvNames.RETENTION_MARGIN_DAYS;
    public static final int DEFAULT_RETENTION_MARGIN_DAYS = (int) Retention.DEFAULT_MARGIN.toDays();

    public IngestConfig {
        Objects.requireNonNull(aggregatesTable);
        Objects.requireNonNull(quarantineTable);
        Objects.requireNonNull(ledgerTable);
        Objects.requireNonNull(accessLogAccountSource);
        if (retentionMargin.isNegative()) {
            throw new IllegalArgumentException("the retention margin must not be negative: " + retentionMargin);
        }
    }

    /** The three tables with the default margin. */
    public static IngestConfig of(String aggregatesTable, String quarantineTable, String ledgerTable) {
        return new IngestConfig(aggregatesTable, quarantineTable, ledgerTable, Retention.DEFAULT_MARGIN);
    }

    public static IngestConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(new Env(env));
    }

    public static IngestConfig fromEnvironment(Env env) {
        for (String gone : new String[] {EnvNames.AGGREGATE_RETENTION_DAYS, EnvNames.QUARANTINE_RETENTION_DAYS}) {
            if (env.optional(gone).isPresent()) {
                throw new IllegalStateException(gone + " is no longer read: retention is derived from the published"
                        + " terms (docs/ingest.md, S7.4); set " + RETENTION_MARGIN_DAYS
                        + " for the margin after the claim window, or remove it");
            }
        }
        int margin = env.integer(RETENTION_MARGIN_DAYS, DEFAULT_RETENTION_MARGIN_DAYS);
        if (margin < 1) {
            throw new IllegalStateException(RETENTION_MARGIN_DAYS + " must be at least 1, was " + margin);
        }
        AccessLogMapper.AccountSource source = AccessLogMapper.AccountSource.CLAIM;
        if (env.optional(ACCESS_LOG_ACCOUNT_SOURCE).isPresent()) {
            try {
                source = AccessLogMapper.AccountSource.parse(env.optional(ACCESS_LOG_ACCOUNT_SOURCE).get());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(ACCESS_LOG_ACCOUNT_SOURCE + ": " + e.getMessage());
            }
        }
        return new IngestConfig(env.required(EnvNames.AGGREGATES_TABLE), env.required(EnvNames.QUARANTINE_TABLE),
                env.required(EnvNames.LEDGER_TABLE), Duration.ofDays(margin), source);
    }
}
