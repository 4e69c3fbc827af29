package dev.slaledger.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.emulators.ElasticMq;
import dev.slaledger.emulators.MotoServer;
import dev.slaledger.emulators.SesEmulator;
import java.net.URI;
import java.util.List;

/**
 * The default engines, open-source emulators beside this JVM (launched by tooling/emulators), each
 * started the first time a test asks for it and stopped when the JVM exits: one moto server
 * (single-threaded, a child process; {@link MotoServer}) for DynamoDB, which every client of the
 * JVM talks HTTP to, ElasticMQ in-process for SQS ({@link ElasticMq}), the SES v2 emulator (a child
 * process; {@link SesEmulator}) for SES.
 */
final class EmulatorEngines extends Engines {
    private URI dynamoDb;
    private URI sqs;
    private Mailbox ses;

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
            ElasticMq server = ElasticMq.start();
            onExit(server::close);
            sqs = server.endpoint();
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
            ses = new Mailbox() {
                @Override
                public URI endpoint() {
                    return started.endpoint();
                }

                @Override
                public void allowSender(String from, String configurationSet) {
                    // the emulator accepts any sender and configuration set
                }

                /** {@code GET /store}: the emulator's own shape, which is the shape {@link Mailbox} promises. */
                @Override
                public List<JsonNode> emails() {
                    return started.emails();
                }

                @Override
                public void clear() {
                    started.clear();
                }
            };
        }
        return ses;
    }

    private static void onExit(Runnable stop) {
        Runtime.getRuntime().addShutdownHook(new Thread(stop));
    }
}
