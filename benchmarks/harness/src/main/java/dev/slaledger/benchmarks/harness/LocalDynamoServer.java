package dev.slaledger.benchmarks.harness;

import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as a server on a free loopback port, reached over HTTP by real SDK clients
 * (URLConnection), as a function reaches DynamoDB; with a request counter per operation.
 */
final class LocalDynamoServer implements AutoCloseable {
    /** Counts requests by operation name (they are the bill). */
    static final class RequestCounter implements ExecutionInterceptor {
        final Map<String, AtomicLong> byOperation = new ConcurrentHashMap<>();

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            byOperation.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                    k -> new AtomicLong()).incrementAndGet();
        }

        long count(String operation) {
            AtomicLong n = byOperation.get(operation);
            return n == null ? 0 : n.get();
        }

        long total() {
            return byOperation.values().stream().mapToLong(AtomicLong::get).sum();
        }

        void reset() {
            byOperation.clear();
        }
    }

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    LocalDynamoServer() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = ServerRunner.createServerFromCommandLineArgs(new String[] {"-inMemory", "-port", Integer.toString(port)});
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + port);
    }

    DynamoDbClient client(RequestCounter counter) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
