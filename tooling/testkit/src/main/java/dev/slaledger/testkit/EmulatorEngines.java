package dev.slaledger.testkit;

import dev.slaledger.emulators.MotoServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;

/**
 * The default engines, open-source emulators beside this JVM, each started the first time a test
 * asks for it and stopped when the JVM exits: one moto server (single-threaded, a child process;
 * {@link MotoServer}) for DynamoDB, which every client of the JVM talks HTTP to, ElasticMQ
 * in-process for SQS, the SES v2 emulator (a child process) for SES.
 */
final class EmulatorEngines extends Engines {
    private URI dynamoDb;
    private URI sqs;
    private SesEmulator ses;

    @Override
    public Kind kind() {
        return Kind.EMULATORS;
    }

    @Override
    public synchronized URI dynamoDbEndpoint() {
        if (dynamoDb == null) {
            MotoServer moto = MotoServer.start();
            onExit(moto::close);
            dynamoDb = moto.endpoint();
        }
        return dynamoDb;
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
