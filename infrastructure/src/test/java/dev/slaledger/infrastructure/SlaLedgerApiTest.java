package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IFunction;

/**
 * The two hooks the claims API and the notifier will use, on a small stack of their own: a
 * customer route gets the JWT authorizer, an admin route IAM, and a mail sender exactly the
 * identity and configuration set. The handler is an existing function referenced by ARN (no
 * code is deployed by this test).
 */
class SlaLedgerApiTest {
    private static Template template;
    private static SlaLedgerApi api;
    private static IFunction handler;

    @BeforeAll
    static void synth() {
        App app = new App(AppProps.builder().context(Synth.cdkJsonContext()).build());
        Stack stack = new Stack(app, "Hooks", StackProps.builder()
                .env(Environment.builder().account("111122223333").region("eu-west-1").build()).build());
        api = new SlaLedgerApi(stack, "Api", Synth.PARAMETERS);
        handler = Function.fromFunctionArn(stack, "Claims",
                "arn:aws:lambda:eu-west-1:111122223333:function:claims:live");
        api.addCustomerRoute("PostClaims", HttpMethod.POST, "/claims", handler);
        api.addCustomerRoute("GetStatement", HttpMethod.GET, "/statements/{month}", handler);
        api.addAdminRoute("PutTerms", HttpMethod.PUT, "/admin/terms", handler);
        Mail mail = new Mail(stack, "Mail", Synth.PARAMETERS, new Monitoring(stack, "Monitoring"));
        Role notifier = Role.Builder.create(stack, "Notifier")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        mail.grantSend(notifier);
        template = Template.fromStack(stack);
    }

    @Test
    @DisplayName("a customer route carries the JWT authorizer")
    void customerRouteUsesJwt() {
        String jwt = template.findResources("AWS::ApiGatewayV2::Authorizer").keySet().iterator().next();
        for (String key : List.of("POST /claims", "GET /statements/{month}")) {
            template.hasResourceProperties("AWS::ApiGatewayV2::Route", Map.of(
                    "RouteKey", key, "AuthorizationType", "JWT", "AuthorizerId", Map.of("Ref", jwt),
                    "ApiId", Match.anyValue(), "Target", Match.anyValue()));
        }
    }

    @Test
    @DisplayName("an admin route is IAM-authorized")
    void adminRouteUsesIam() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of(
                "RouteKey", "PUT /admin/terms", "AuthorizationType", "AWS_IAM")));
        assertThat(template.findResources("AWS::ApiGatewayV2::Route", Match.objectLike(Map.of("Properties",
                Match.objectLike(Map.of("RouteKey", "PUT /admin/terms", "AuthorizerId", Match.anyValue()))))))
                .isEmpty();
    }

    @Test
    @DisplayName("routes cannot be added on the wrong side of /admin/")
    void pathsAreChecked() {
        assertThatThrownBy(() -> api.addCustomerRoute("X", HttpMethod.GET, "/admin/terms", handler))
                .hasMessageContaining("customer route under /admin/");
        assertThatThrownBy(() -> api.addAdminRoute("Y", HttpMethod.GET, "/vouchers", handler))
                .hasMessageContaining("admin route outside /admin/");
    }

    @Test
    @DisplayName("S6.2 the notifier may send only from the sender (address or domain identity) with the configuration set")
    @SuppressWarnings("unchecked")
    void grantSend() {
        Map<String, Object> policy = (Map<String, Object>) template.findResources("AWS::IAM::Policy")
                .values().iterator().next().get("Properties");
        List<Map<String, Object>> statements = (List<Map<String, Object>>)
                ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0)).containsEntry("Effect", "Allow").containsEntry("Action", "ses:SendEmail");
        List<Object> resources = (List<Object>) statements.get(0).get("Resource");
        assertThat(resources).hasSize(3).contains(
                "arn:aws:ses:eu-west-1:111122223333:identity/sla-notices@provider.example",
                "arn:aws:ses:eu-west-1:111122223333:identity/provider.example");
        assertThat(resources.toString()).contains("configuration-set/", "MailConfigurationSet");
    }

    @Test
    @DisplayName("issue 31 item 8: a stage in the SES sandbox may name its verified test recipients (sesSandboxRecipients); their identities are granted too, nothing else")
    void sandboxRecipients() {
        Map<String, Object> context = new java.util.HashMap<>(Synth.cdkJsonContext());
        context.put("sesSandboxRecipients", "tester@provider.example, qa.provider.example");
        App app = new App(AppProps.builder().context(context).build());
        Stack stack = new Stack(app, "Sandbox", StackProps.builder()
                .env(Environment.builder().account("111122223333").region("eu-west-1").build()).build());
        Mail mail = new Mail(stack, "Mail", Synth.PARAMETERS, new Monitoring(stack, "Monitoring"));
        Role role = Role.Builder.create(stack, "R").assumedBy(new ServicePrincipal("lambda.amazonaws.com")).build();
        mail.grantSend(role);
        String policy = Template.fromStack(stack).findResources("AWS::IAM::Policy").toString();
        assertThat(policy).contains("identity/tester@provider.example", "identity/qa.provider.example",
                "identity/sla-notices@provider.example");
        assertThatThrownBy(() -> new SesParameters(List.of("not an address"))).hasMessageContaining("sesSandboxRecipients");
    }
}
