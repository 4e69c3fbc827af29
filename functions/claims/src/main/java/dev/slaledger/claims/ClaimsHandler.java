package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.lambda.http.HttpApi;
import dev.slaledger.priming.Priming;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point of the claims API: an API Gateway HTTP API (payload format 2.0) with a JWT
 * authorizer in front. {@link HttpApi} turns the event into a request, {@link ClaimsApi} answers,
 * {@link HttpApi} turns the answer into the HTTP API response. Nothing else.
 *
 * <p>Environment: see {@link ClaimsConfig}.
 */
public final class ClaimsHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ClaimsApi api;

    /** Used by Lambda: builds the SDK clients once per execution environment. */
    public ClaimsHandler() {
        this(ClaimsConfig.fromEnvironment(System.getenv()));
    }

    private ClaimsHandler(ClaimsConfig config) {
        this(config, ClaimsWiring.dynamo(config));
    }

    private ClaimsHandler(ClaimsConfig config, DynamoDbClient dynamo) {
        this(ClaimsWiring.create(config, dynamo, ClaimsWiring.eventBridge(config), Clock.systemUTC()).api());
        Priming.register("claims", ClaimsWiring.priming(config, dynamo));
    }

    public ClaimsHandler(ClaimsApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return HttpApi.handle(event, context, api::handle);
    }
}
