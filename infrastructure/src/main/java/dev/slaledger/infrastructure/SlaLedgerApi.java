package dev.slaledger.infrastructure;

import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.HttpAuthorizerType;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteAuthorizerBindOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpRouteAuthorizerConfig;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.HttpStageOptions;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.IHttpRouteAuthorizer;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.constructs.Construct;

/**
 * The HTTP API. Two kinds of route, and no other way to add one:
 * <ul>
 *   <li>customer routes ({@link #addCustomerRoute}) behind the JWT authorizer (issuer and
 *       audience from the parameters; the caller's account comes from the token's claims);</li>
 *   <li>admin routes ({@link #addAdminRoute}) under {@code /admin/}, behind IAM authorization
 *       (SigV4-signed by a principal allowed {@code execute-api:Invoke} on the route).</li>
 * </ul>
 * The default stage logs every request (JSON of HTTP API variables, {@code AccessLogFormat.httpStage()},
 * kept {@value JavaFunction#LOG_RETENTION_DAYS} days) and is throttled.
 */
public final class SlaLedgerApi extends Construct {
    static final String ADMIN_PREFIX = "/admin/";

    private final HttpApi api;
    private final HttpAuthorizer jwtAuthorizer;
    private final HttpStage stage;

    public SlaLedgerApi(Construct scope, String id, Parameters parameters) {
        super(scope, id);
        api = HttpApi.Builder.create(this, "HttpApi")
                .apiName(Aws.STACK_NAME) // CloudFormation requires a name; the stack's own keeps stages apart
                .description("SLA Ledger: customer claims and statements (JWT), administration (IAM)")
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = JavaFunction.logGroup(this, "AccessLogs");
        stage = api.addStage("DefaultStage", HttpStageOptions.builder()
                .stageName("$default")
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder().rateLimit(50).burstLimit(100).build())
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public LogGroupLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }

                    @Override
                    public AccessLogFormat getFormat() {
                        // HTTP API variables only: jsonWithStandardFields() is the REST API format
                        // ($context.resourcePath), which API Gateway refuses on an HTTP API stage
                        return AccessLogFormat.custom(dev.slaledger.infrastructure.AccessLogFormat.httpStage());
                    }
                })
                .build());
        // Created here, not on first use, so that the authorizer exists (and its issuer and
        // audience are checked by CloudFormation) before the first customer route does.
        jwtAuthorizer = HttpAuthorizer.Builder.create(this, "JwtAuthorizer")
                .httpApi(api)
                .type(HttpAuthorizerType.JWT)
                .identitySource(List.of("$request.header.Authorization"))
                .jwtIssuer(parameters.jwtIssuer())
                .jwtAudience(parameters.jwtAudience())
                .build();
    }

    /** A route for customers, authorized by the JWT authorizer. */
    public void addCustomerRoute(String id, HttpMethod method, String path, IFunction handler) {
        if (path.startsWith(ADMIN_PREFIX)) {
            throw new IllegalArgumentException("customer route under " + ADMIN_PREFIX + ": " + path);
        }
        IHttpRouteAuthorizer jwt = new IHttpRouteAuthorizer() {
            @Override
            public HttpRouteAuthorizerConfig bind(HttpRouteAuthorizerBindOptions options) {
                return HttpRouteAuthorizerConfig.builder()
                        .authorizationType("JWT")
                        .authorizerId(jwtAuthorizer.getAuthorizerId())
                        .build();
            }
        };
        route(id, method, path, handler, jwt);
    }

    /** A route for operators, under {@code /admin/}, authorized by IAM (SigV4). */
    public void addAdminRoute(String id, HttpMethod method, String path, IFunction handler) {
        if (!path.startsWith(ADMIN_PREFIX)) {
            throw new IllegalArgumentException("admin route outside " + ADMIN_PREFIX + ": " + path);
        }
        route(id, method, path, handler, new HttpIamAuthorizer());
    }

    private void route(String id, HttpMethod method, String path, IFunction handler, IHttpRouteAuthorizer auth) {
        api.addRoutes(AddRoutesOptions.builder()
                .path(path)
                .methods(List.of(method))
                .integration(new HttpLambdaIntegration(id + "Integration", handler))
                .authorizer(auth)
                .build());
    }

    public HttpApi httpApi() {
        return api;
    }

    /** The API's base URL (the default stage). */
    public String url() {
        return stage.getUrl();
    }
}
