package dev.slaledger.benchmarks.baseline;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The least a Java function on DynamoDB does: its no-argument constructor builds one DynamoDB
 * client the way ours do (region from {@code AWS_REGION}, URLConnection HTTP client, default
 * credentials chain, endpoint from the SDK's own {@code AWS_ENDPOINT_URL*} variables), and an
 * invocation reads one item of {@code TABLE} (key {@code pk}, {@code sk}). The cold-start
 * harness measures every function against it.
 */
public final class BaselineHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final DynamoDbClient dynamo;
    private final String table;

    public BaselineHandler() {
        dynamo = DynamoDbClient.builder()
                .region(Region.of(System.getenv("AWS_REGION")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        table = System.getenv("TABLE");
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        boolean found = dynamo.getItem(g -> g.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("baseline"), "sk", AttributeValue.fromS("baseline")))).hasItem();
        return Map.of("found", found);
    }
}
