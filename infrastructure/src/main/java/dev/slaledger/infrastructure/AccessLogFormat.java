package dev.slaledger.infrastructure;

/**
 * The API Gateway access-log formats ingest maps to D1 request records (issue 21, docs/ingest.md
 * "API Gateway access logs"; the mapping is {@code AccessLogMapper} in functions/ingest). One JSON
 * object per request, every variable quoted (API Gateway writes {@code -} for a variable without a
 * value, which would not be JSON unquoted); ingest reads {@code requestTimeEpoch}, {@code status}
 * and the account id from {@code claim} or {@code apiKeyId}; the other fields are for operators.
 */
public final class AccessLogFormat {
    private AccessLogFormat() {
    }

    /**
     * A REST API stage's format. {@code claim}: {@code $context.authorizer.claims.<claim>} (a Cognito
     * user pool authorizer); with a Lambda authorizer put its context key instead, e.g.
     * {@code $context.authorizer.accountId}.
     */
    public static String rest(String accountClaim) {
        return "{\"requestId\":\"$context.requestId\",\"requestTimeEpoch\":\"$context.requestTimeEpoch\","
                + "\"httpMethod\":\"$context.httpMethod\",\"resourcePath\":\"$context.resourcePath\","
                + "\"status\":\"$context.status\",\"claim\":\"$context.authorizer.claims." + accountClaim + "\","
                + "\"apiKeyId\":\"$context.identity.apiKeyId\",\"responseType\":\"$context.error.responseType\","
                + "\"integrationStatus\":\"$context.integration.status\","
                + "\"integrationError\":\"$context.integration.error\"}";
    }

    /** An HTTP API stage's format ({@code claim} from the JWT authorizer; HTTP APIs have no API keys). */
    public static String http(String accountClaim) {
        return "{\"requestId\":\"$context.requestId\",\"requestTimeEpoch\":\"$context.requestTimeEpoch\","
                + "\"httpMethod\":\"$context.httpMethod\",\"routeKey\":\"$context.routeKey\","
                + "\"status\":\"$context.status\",\"claim\":\"$context.authorizer.claims." + accountClaim + "\","
                + "\"responseType\":\"$context.error.responseType\","
                + "\"integrationStatus\":\"$context.integration.status\","
                + "\"integrationError\":\"$context.integration.error\"}";
    }

    /**
     * SLA Ledger's own HTTP API stage format (issue 31 item 8): HTTP API variables only (API Gateway
     * refuses to create an HTTP API stage whose format names a REST-only variable such as
     * {@code $context.resourcePath}, which the CDK's {@code jsonWithStandardFields()} does), and
     * nothing personal (no source IP, no user agent, no caller identity).
     */
    public static String httpStage() {
        return "{\"requestId\":\"$context.requestId\",\"requestTime\":\"$context.requestTime\","
                + "\"httpMethod\":\"$context.httpMethod\",\"routeKey\":\"$context.routeKey\","
                + "\"status\":\"$context.status\",\"protocol\":\"$context.protocol\","
                + "\"responseLength\":\"$context.responseLength\",\"responseLatency\":\"$context.responseLatency\","
                + "\"integrationStatus\":\"$context.integrationStatus\","
                + "\"integrationLatency\":\"$context.integrationLatency\","
                + "\"integrationError\":\"$context.integrationErrorMessage\","
                + "\"authorizerError\":\"$context.authorizer.error\","
                + "\"errorResponseType\":\"$context.error.responseType\"}";
    }
}
