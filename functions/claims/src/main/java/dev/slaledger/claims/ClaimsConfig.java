package dev.slaledger.claims;

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
 */
public record ClaimsConfig(String region, String ledgerTable, String accountsTable, String aggregatesTable,
        String eventBusName, String accountClaim) {

    public static final String DEFAULT_ACCOUNT_CLAIM = "sub";

    public static ClaimsConfig fromEnvironment(Map<String, String> env) {
        String claim = env.get("ACCOUNT_CLAIM");
        return new ClaimsConfig(required(env, "AWS_REGION"), required(env, "LEDGER_TABLE"),
                required(env, "ACCOUNTS_TABLE"), required(env, "AGGREGATES_TABLE"), required(env, "EVENT_BUS_NAME"),
                claim == null || claim.isBlank() ? DEFAULT_ACCOUNT_CLAIM : claim.trim());
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return v;
    }
}
