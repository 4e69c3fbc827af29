package dev.slaledger.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * How every client of the tests, the local runtime and the harnesses reaches a local engine: one
 * region, static credentials, the URLConnection HTTP client (the functions' own), the engine's
 * loopback endpoint; and a free loopback port for an engine to listen on.
 */
public final class LocalAws {
    public static final Region REGION = Region.EU_WEST_1;
    public static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

    private LocalAws() {
    }

    /** {@code builder} pointed at {@code endpoint}: region, credentials, the URLConnection client. Add what you need, then build. */
    public static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B on(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }

    /**
     * A Kinesis client builder on {@code endpoint}. The SDK speaks CBOR to Kinesis by default, which
     * moto answers with HTTP 500: this switches the JVM's SDK to JSON ({@code aws.cborEnabled=false};
     * AWS accepts both).
     */
    public static KinesisClientBuilder kinesis(URI endpoint) {
        System.setProperty("aws.cborEnabled", "false");
        return on(KinesisClient.builder(), endpoint);
    }

    /** A loopback port free now (an engine started next binds it). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
