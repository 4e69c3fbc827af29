package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 31 item 8: each finding of the review of the synthesized templates, as a test that would have caught it. */
class ReviewFindingsTest {
    /**
     * The context variables an HTTP API access log may name (API Gateway developer guide, "Customize
     * HTTP API access logs"); {@code authorizer.claims.*}, {@code authorizer.*} and
     * {@code identity.clientCert.*} take a property name.
     */
    static final Set<String> HTTP_API_VARIABLES = Set.of("accountId", "apiId", "authorizer.error",
            "authorizer.principalId", "awsEndpointRequestId", "awsEndpointRequestId2", "customDomain.basePathMatched",
            "dataProcessed", "domainName", "domainPrefix", "error.message", "error.messageString", "error.responseType",
            "extendedRequestId", "httpMethod", "identity.accountId", "identity.caller",
            "identity.cognitoAuthenticationProvider", "identity.cognitoAuthenticationType", "identity.cognitoIdentityId",
            "identity.cognitoIdentityPoolId", "identity.principalOrgId", "identity.sourceIp", "identity.user",
            "identity.userAgent", "identity.userArn", "integration.error", "integration.integrationStatus",
            "integration.latency", "integration.requestId", "integration.status", "integrationErrorMessage",
            "integrationLatency", "integrationStatus", "path", "protocol", "requestId", "requestTime",
            "requestTimeEpoch", "responseLatency", "responseLength", "routeKey", "stage", "status");
    private static final Pattern VARIABLE = Pattern.compile("\\$context\\.([A-Za-z0-9_.:-]+)");

    static Set<String> unsupported(String format) {
        Set<String> out = new TreeSet<>();
        Matcher m = VARIABLE.matcher(format);
        while (m.find()) {
            String v = m.group(1);
            boolean ok = HTTP_API_VARIABLES.contains(v) || v.startsWith("authorizer.claims.")
                    || v.startsWith("identity.clientCert.")
                    || (v.startsWith("authorizer.") && !v.startsWith("authorizer.claims") && v.split("\\.").length == 2);
            if (!ok) {
                out.add(v);
            }
        }
        return out;
    }

    @Test
    @DisplayName("issue 31 item 8: the HTTP API stage's access log names HTTP API variables only (the REST format's $context.resourcePath makes API Gateway refuse the stage)")
    void accessLogFormatUsesHttpApiVariablesOnly() {
        Map<String, Map<String, Object>> stages = Synth.get().app.findResources("AWS::ApiGatewayV2::Stage");
        assertThat(stages).hasSize(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) DataStackTest.properties(stages.values().iterator().next())
                .get("AccessLogSettings");
        String format = String.valueOf(settings.get("Format"));
        assertThat(format).contains("$context.routeKey");
        assertThat(unsupported(format)).isEmpty();
        // the test itself catches the finding: the REST API's standard fields name resourcePath
        assertThat(unsupported(software.amazon.awscdk.services.apigateway.AccessLogFormat.jsonWithStandardFields()
                .toString())).contains("resourcePath");
        assertThat(unsupported(AccessLogFormat.http("custom:accountId"))).isEmpty();
    }

    @Test
    @DisplayName("issue 31 item 8: the billing archive carries no empty KmsKeyIdentifier (aws-cdk-lib 2.263.0 writes \"\")")
    void archiveHasNoEmptyKmsKey() {
        Map<String, Map<String, Object>> archives = Synth.get().app.findResources("AWS::Events::Archive");
        assertThat(archives).hasSize(1);
        assertThat(DataStackTest.properties(archives.values().iterator().next())).doesNotContainKey("KmsKeyIdentifier")
                .containsKey("RetentionDays");
    }

    @Test
    @DisplayName("issue 31 item 8: the statement worker (and every function) alarms on throttles, pointing to the runbook")
    void statementWorkerThrottlesAlarm() {
        List<String> ids = Synth.get().stacks.app().monitoring().alarms().stream().map(a -> a.getNode().getId()).toList();
        assertThat(ids).contains("StatementWorkerThrottles", "ClaimsThrottles", "IngestThrottles");
    }

    @Test
    @DisplayName("issue 31 item 8: the notifier may send as the sender's address or any domain it is under (a parent domain may be the verified identity), with the configuration set")
    void sesGrantCoversParentDomains() {
        assertThat(Mail.senderIdentities("notices@mail.provider.example"))
                .containsExactly("notices@mail.provider.example", "mail.provider.example", "provider.example");
        String policies = Synth.get().app.findResources("AWS::IAM::Policy").toString();
        assertThat(policies).contains("identity/sla-notices@provider.example").contains("identity/provider.example");
    }

    @Test
    @DisplayName("issue 31 item 8: repeated AccessDenied or unverified-identity refusals of SES sends raise an alarm (sandbox, or a grant that misses the identity)")
    void sesRefusalsAlarm() {
        Map<String, Map<String, Object>> filters = Synth.get().app.findResources("AWS::Logs::MetricFilter");
        assertThat(filters.toString()).contains("AccessDenied").contains("Email address is not verified")
                .contains(Mail.REFUSED_METRIC);
        assertThat(Synth.get().stacks.app().monitoring().alarms()).extracting(a -> a.getNode().getId())
                .contains("SesSendRefused");
    }
}
