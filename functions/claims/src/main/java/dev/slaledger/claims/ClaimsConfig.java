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
 */
public record ClaimsConfig(String region, String ledgerTable, String accountsTable, String aggregatesTable,
        String eventBusName, String accountClaim) {

    public static final String DEFAULT_ACCOUNT_CLAIM = "sub";

    public static ClaimsConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(new Env(env));
    }

    public static ClaimsConfig fromEnvironment(Env env) {
        return new ClaimsConfig(env.required(EnvNames.AWS_REGION), env.required(EnvNames.LEDGER_TABLE),
                env.required(EnvNames.ACCOUNTS_TABLE), env.required(EnvNames.AGGREGATES_TABLE),
                env.required(EnvNames.EVENT_BUS_NAME), env.optional(EnvNames.ACCOUNT_CLAIM).orElse(DEFAULT_ACCOUNT_CLAIM));
    }
}
