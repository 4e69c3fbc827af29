package dev.slaledger.emulators;

import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/** ElasticMQ (SQS, open source) in this JVM on a free loopback port. */
public final class ElasticMq implements AutoCloseable {
    private final SQSRestServer server;
    private final URI endpoint;

    private ElasticMq(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    public static ElasticMq start() {
        SQSRestServer server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        return new ElasticMq(server, URI.create("http://127.0.0.1:" + port));
    }

    /** Where SQS answers. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
