package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigateway.MockIntegration;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.logs.RetentionDays;

/** Issue 21 item 4: access-log groups subscribed to the request stream, least privilege, cdk-nag clean. */
class AccessLogStackTest {
    private static final List<String> GROUPS = List.of("/aws/apigateway/orders-api/prod/access",
            "API-Gateway-Access-Logs_a1b2c3/prod");
    /** The request stream's ARN, read from the data stack's outputs. */
    private static final Object REQUEST_STREAM_ARN = Match.objectLike(Map.of("Fn::GetStackOutput", Match.objectLike(Map.of(
            "StackName", "SlaLedger-test-Data", "OutputName", Match.stringLikeRegexp(".*RequestRecords.*Arn.*")))));
    private static Stack accessLogs;
    private static Template template;
    private static JsonNode json;

    @BeforeAll
    static void synth() {
        Map<String, Object> context = new HashMap<>(Synth.cdkJsonContext());
        context.put("accessLogGroups", String.join(", ", GROUPS));
        App app = new App(AppProps.builder().context(context).build());
        DataStack data = new DataStack(app, "SlaLedger-test-Data", StackProps.builder().build());
        accessLogs = new AccessLogStack(app, "SlaLedger-test-AccessLogs", StackProps.builder().build(),
                data.requestRecords(), AccessLogParameters.fromContext(app.getNode()));
        Aspects.of(app).add(new AwsSolutionsChecks());
        template = Template.fromStack(accessLogs);
        json = new ObjectMapper().valueToTree(template.toJSON());
    }

    @Test
    @DisplayName("one subscription filter per named group, every line (empty pattern) to the request stream")
    void filtersPerGroup() {
        Map<String, Map<String, Object>> filters = template.findResources("AWS::Logs::SubscriptionFilter");
        assertThat(filters).hasSize(2);
        for (String group : GROUPS) {
            template.hasResourceProperties("AWS::Logs::SubscriptionFilter", Map.of(
                    "LogGroupName", group,
                    "FilterName", AccessLogSubscriptions.FILTER_NAME,
                    "FilterPattern", "",
                    "DestinationArn", REQUEST_STREAM_ARN,
                    "RoleArn", Match.objectLike(Map.of("Fn::GetAtt", Match.anyValue()))));
        }
    }

    @Test
    @DisplayName("least privilege: only CloudWatch Logs, only for these groups of this account, only PutRecord(s) on the one stream")
    void roleIsLeastPrivilege() {
        JsonNode roles = json.at("/Resources");
        List<JsonNode> role = new java.util.ArrayList<>();
        roles.forEach(r -> {
            if (r.path("Type").asText().equals("AWS::IAM::Role")) {
                role.add(r.path("Properties"));
            }
        });
        assertThat(role).hasSize(1);
        JsonNode trust = role.get(0).at("/AssumeRolePolicyDocument/Statement/0");
        assertThat(trust.at("/Principal/Service").asText()).isEqualTo("logs.amazonaws.com");
        assertThat(trust.at("/Action").asText()).isEqualTo("sts:AssumeRole");
        assertThat(trust.at("/Condition/StringEquals/aws:SourceAccount")).isNotNull();
        JsonNode sources = trust.at("/Condition/ArnLike/aws:SourceArn");
        assertThat(sources.size()).isEqualTo(2);
        assertThat(sources.toString()).contains(":log-group:/aws/apigateway/orders-api/prod/access:*")
                .contains(":log-group:API-Gateway-Access-Logs_a1b2c3/prod:*");
        JsonNode policies = role.get(0).at("/Policies");
        assertThat(policies.size()).isEqualTo(1);
        JsonNode statements = policies.get(0).at("/PolicyDocument/Statement");
        assertThat(statements.size()).isEqualTo(1);
        assertThat(statements.get(0).at("/Action").toString()).isEqualTo("[\"kinesis:PutRecord\",\"kinesis:PutRecords\"]");
        assertThat(statements.get(0).at("/Resource/Fn::GetStackOutput/StackName").asText())
                .isEqualTo("SlaLedger-test-Data");
        assertThat(statements.get(0).at("/Resource/Fn::GetStackOutput/OutputName").asText()).contains("RequestRecords");
        assertThat(json.toString()).doesNotContain("\"*\"");
        assertThat(template.findResources("AWS::IAM::Policy")).isEmpty();
        assertThat(template.findResources("AWS::IAM::ManagedPolicy")).isEmpty();
    }

    @Test
    @DisplayName("cdk-nag: no unacknowledged finding in the access-log stack, and none acknowledged either")
    void cdkNagClean() throws IOException {
        Annotations annotations = Annotations.fromStack(accessLogs);
        assertThat(annotations.findError("*", Match.anyValue())).isEmpty();
        assertThat(annotations.findWarning("*", Match.anyValue())).isEmpty();
        Path report = Path.of(Stage.of(accessLogs).getOutdir(), "AwsSolutions-" + accessLogs.getStackName()
                + "-NagReport.csv");
        List<List<String>> rows = CdkNagTest.csv(report);
        List<List<String>> findings = rows.subList(1, rows.size());
        assertThat(findings).isNotEmpty().allSatisfy(r -> assertThat(r.get(2)).as(r.toString()).isIn("Compliant", "N/A"));
        assertThat(findings).anySatisfy(r -> assertThat(r.subList(0, 3)).containsExactly("AwsSolutions-IAM5",
                r.get(1), "Compliant"));
    }

    @Test
    @DisplayName("no accessLogGroups: no access-log stack; the context is validated")
    void parameters() {
        App app = new App(AppProps.builder().context(Map.of()).build());
        assertThat(AccessLogParameters.fromContext(app.getNode()))
                .isEqualTo(new AccessLogParameters(List.of(), "claim"));
        assertThat(Synth.get().stacks.accessLogs()).isEmpty();
        assertThatThrownBy(() -> new AccessLogParameters(List.of("bad name!"), "claim"))
                .hasMessageContaining("accessLogGroups");
        assertThatThrownBy(() -> new AccessLogParameters(List.of("a", "a"), "claim"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new AccessLogParameters(List.of("a"), "sub"))
                .hasMessageContaining("accessLogAccountSource");
        assertThat(new AccessLogParameters(List.of("a"), "apiKeyId").accountSource()).isEqualTo("apiKeyId");
    }

    @Test
    @DisplayName("the ingest function is told where the account id of an access-log line is (default claim)")
    void ingestAccountSource() {
        Map<String, Map<String, Object>> functions = Synth.get().app.findResources("AWS::Lambda::Function",
                Map.of("Properties", Map.of("Handler", "dev.slaledger.ingest.WindowedIngestHandler::handleRequest")));
        assertThat(functions).hasSize(1);
        assertThat(functions.values().iterator().next().toString()).contains("ACCESS_LOG_ACCOUNT_SOURCE=claim");
    }

    @Test
    @DisplayName("an API given to it gets the documented format in a new log group, subscribed: REST and HTTP")
    void enableOnGivenApis() {
        App app = new App(AppProps.builder().context(Synth.cdkJsonContext()).build());
        Stack stack = new Stack(app, "ProviderApis");
        AccessLogSubscriptions subscriptions = new AccessLogSubscriptions(stack, "SlaLedger",
                Stream.fromStreamArn(stack, "Requests", "arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests"));
        RestApi rest = RestApi.Builder.create(stack, "Orders").build();
        rest.getRoot().addMethod("GET", new MockIntegration());
        subscriptions.enable(rest.getDeploymentStage(), "custom:accountId", RetentionDays.ONE_MONTH);
        HttpApi http = HttpApi.Builder.create(stack, "Catalog").build();
        subscriptions.enable(http.getDefaultStage(), "sub", RetentionDays.ONE_MONTH);

        Template t = Template.fromStack(stack);
        t.hasResourceProperties("AWS::ApiGateway::Stage", Map.of("AccessLogSetting", Map.of(
                "Format", AccessLogFormat.rest("custom:accountId"),
                "DestinationArn", Match.objectLike(Map.of("Fn::GetAtt", Match.anyValue())))));
        t.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of("AccessLogSettings", Map.of(
                "Format", AccessLogFormat.http("sub"),
                "DestinationArn", Match.objectLike(Map.of("Fn::GetAtt", Match.anyValue())))));
        t.resourceCountIs("AWS::Logs::LogGroup", 2);
        t.resourceCountIs("AWS::Logs::SubscriptionFilter", 2);
        t.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
        t.hasResourceProperties("AWS::Logs::SubscriptionFilter", Map.of(
                "LogGroupName", Match.objectLike(Map.of("Ref", Match.anyValue())),
                "DestinationArn", "arn:aws:kinesis:eu-west-1:123456789012:stream/sla-requests"));
    }

    @Test
    @DisplayName("docs/ingest.md holds the formats exactly as the app sets them, ready to paste")
    void docsHoldTheFormats() throws IOException {
        String docs = Files.readString(Path.of(System.getProperty(FunctionPackages.ROOT_PROPERTY, ".."), "docs",
                "ingest.md"));
        assertThat(docs).contains(AccessLogFormat.rest("sub")).contains(AccessLogFormat.http("sub"));
        for (String format : List.of(AccessLogFormat.rest("sub"), AccessLogFormat.http("sub"))) {
            assertThat(new ObjectMapper().readTree(format.replace("$", "")).isObject()).isTrue();
        }
    }
}
