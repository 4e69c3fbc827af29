package dev.slaledger.claims;

import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import java.util.Map;

/**
 * Settings the infrastructure gives the claims function as environment variables.
 *
 * @param region          AWS_REGION (set by Lambda)
 * @param ledgerTable     LEDGER_TABLE: statements, claims, idempotency keys, terms, notices, windows
 * @param accountsTable   ACCOUNTS_TABLE
 * @param aggregatesTable AGGREGATES_TABLE
 * @param eventBusName    EVENT_BUS_NAME: where VoucherIssued goes
 * @param accountClaim    ACCOUNT_CLAIM (default {@code sub}): the JWT claim holding the caller's account id,
 *                        e.g. {@code custom:accountId} with a Cognito user pool
 * @param ratePerMinute   CLAIMS_RATE_PER_MINUTE (default {@value #DEFAULT_RATE_PER_MINUTE}): requests one account
 *                        may make per clock minute, all claims routes together (issue 15); at least 1
 */
public record ClaimsConfig(String region, String ledgerTable, String accountsTable, String aggregatesTable,
        String eventBusName, String accountClaim, int ratePerMinute) {

    public static final String DEFAULT_ACCOUNT_CLAIM = "sub";
    public static final int DEFAULT_RATE_PER_MINUTE = 60;

    public ClaimsConfig {
        if (ratePerMinute < 1) {
            throw new IllegalArgumentException("the rate limit is at least 1 request per minute: " + ratePerMinute);
        }
    }

    /** With the default rate limit. */
    public ClaimsConfig(String region, String ledgerTable, String accountsTable, String aggregatesTable,
            String eventBusName, String accountClaim) {
        this(region, ledgerTable, accountsTable, aggregatesTable, eventBusName, accountClaim,
                DEFAULT_RATE_PER_MINUTE);
    }

    /** The same settings with another rate limit. */
    public ClaimsConfig withRatePerMinute(int perMinute) {
        return new ClaimsConfig(region, ledgerTable, accountsTable, aggregatesTable, eventBusName, accountClaim,
                perMinute);
    }

    public static ClaimsConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(new Env(env));
    }

    public static ClaimsConfig fromEnvironment(Env env) {
        int rate = env.integer(EnvNames.CLAIMS_RATE_PER_MINUTE, DEFAULT_RATE_PER_MINUTE);
        if (rate < 1) {
            throw new IllegalStateException("environment variable " + EnvNames.CLAIMS_RATE_PER_MINUTE
                    + " must be at least 1: " + rate);
        }
        return new ClaimsConfig(env.required(EnvNames.AWS_REGION), env.required(EnvNames.LEDGER_TABLE),
                env.required(EnvNames.ACCOUNTS_TABLE), env.required(EnvNames.AGGREGATES_TABLE),
                env.required(EnvNames.EVENT_BUS_NAME), env.optional(EnvNames.ACCOUNT_CLAIM).orElse(DEFAULT_ACCOUNT_CLAIM),
                rate);
    }
}
