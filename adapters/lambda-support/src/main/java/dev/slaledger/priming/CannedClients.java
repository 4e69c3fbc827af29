package dev.slaledger.priming;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.regions.Region;

/**
 * Builds SDK clients for priming: the same client class, builder and protocol as the function's,
 * answering from memory ({@link CannedHttpClient}), signed with throw-away credentials, so a
 * bundled sample event can go through the whole handler without touching any service.
 */
public final class CannedClients {
    private CannedClients() {
    }

    /** E.g. {@code CannedClients.build(DynamoDbClient.builder(), region)}. */
    public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
            Region region) {
        builder.httpClient(CannedHttpClient.emptyJson());
        return builder.region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .build();
    }
}
