package dev.slaledger.lambda;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one AWS client factory of the functions: any service's synchronous client, in the given
 * region, on the URLConnection HTTP client (the smallest and fastest to start), credentials from
 * the default chain (under SnapStart, Lambda's container endpoint). The endpoint is the SDK's
 * default, which honours {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>} (how the
 * cold-start harness points a function at local engines). A function builds each client once,
 * in its composition root, and only the clients its handler uses.
 *
 * <p>{@code AwsClients.build(DynamoDbClient.builder(), region)}.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(B builder,
            Region region) {
        return builder.region(region).httpClient(UrlConnectionHttpClient.create()).build();
    }
}
