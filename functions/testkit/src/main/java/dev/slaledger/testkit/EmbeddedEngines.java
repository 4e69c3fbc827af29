package dev.slaledger.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.shared.access.AmazonDynamoDBLocal;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * The default engines, all in or beside this JVM, each started the first time a test asks for it
 * and stopped when the JVM exits: DynamoDB Local in-process for plain clients and as a loopback
 * server for builders (so a real SDK client, with its interceptors, talks HTTP to it), ElasticMQ
 * for SQS, the SES v2 emulator for SES.
 */
final class EmbeddedEngines extends Engines {
    private URI dynamoDb;
    private DynamoDbClient inProcess;
    private URI sqs;
    private SesEmulator ses;

    @Override
    public Kind kind() {
        return Kind.EMBEDDED;
    }

    @Override
    public synchronized URI dynamoDbEndpoint() {
        if (dynamoDb == null) {
            int port = freePort();
            DynamoDBProxyServer server;
            try {
                server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-port", Integer.toString(port)});
                server.start();
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
            }
            onExit(() -> {
                try {
                    server.stop();
                } catch (Exception e) {
                    // the JVM is going away anyway
                }
            });
            dynamoDb = URI.create("http://127.0.0.1:" + port);
        }
        return dynamoDb;
    }

    @Override
    public synchronized DynamoDbClient dynamoDbClient() {
        if (inProcess == null) {
            AmazonDynamoDBLocal local = DynamoDBEmbedded.create();
            onExit(local::shutdown);
            inProcess = local.dynamoDbClient();
        }
        return unclosable(inProcess);
    }

    /** The shared in-process client, with close() a no-op: the store lives as long as the JVM. */
    private static DynamoDbClient unclosable(DynamoDbClient shared) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    try {
                        return method.invoke(shared, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public synchronized URI sqsEndpoint() {
        if (sqs == null) {
            SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
            int port = server.waitUntilStarted().localAddress().getPort();
            onExit(server::stopAndWait);
            sqs = URI.create("http://127.0.0.1:" + port);
        }
        return sqs;
    }

    @Override
    public URI sesEndpoint() {
        return mailbox().endpoint();
    }

    @Override
    public synchronized Mailbox mailbox() {
        if (ses == null) {
            SesEmulator started = SesEmulator.start();
            onExit(started::close);
            ses = started;
        }
        return ses;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void onExit(Runnable stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(stop));
    }
}
