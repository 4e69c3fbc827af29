package dev.slaledger.testkit;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One LocalStack container for the whole test JVM, started through Testcontainers with the
 * services the functions use. Every service answers on the container's one edge endpoint.
 * Testcontainers' Ryuk container removes it when the JVM exits.
 */
final class LocalStackEngines extends Engines {
    /**
     * The last LocalStack community line that runs without an auth token. LocalStack's images
     * published from March 2026 are one image that wants {@code LOCALSTACK_AUTH_TOKEN}; 4.0.3
     * (December 2024) is a pinned community release with DynamoDB, SQS and SES (v1 and v2), and a
     * pinned patch tag, unlike {@code latest} or {@code 4}, never changes under the suite.
     */
    static final String DEFAULT_IMAGE = "localstack/localstack:4.0.3";
    static final String IMAGE_PROPERTY = "slaledger.localstack.image";

    private final LocalStackContainer container;
    private final LocalStackMailbox mailbox;

    private LocalStackEngines(LocalStackContainer container) {
        this.container = container;
        this.mailbox = new LocalStackMailbox(container.getEndpoint(), this);
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static LocalStackEngines start() {
        DockerImageName image = DockerImageName.parse(System.getProperty(IMAGE_PROPERTY, DEFAULT_IMAGE))
                .asCompatibleSubstituteFor("localstack/localstack");
        @SuppressWarnings("resource") // stopped by Testcontainers (Ryuk) when the JVM exits
        LocalStackContainer container = new LocalStackContainer(image).withServices("dynamodb", "sqs", "ses");
        container.start();
        return new LocalStackEngines(container);
    }

    @Override
    public Kind kind() {
        return Kind.LOCALSTACK;
    }

    @Override
    public URI dynamoDbEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI sqsEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public URI sesEndpoint() {
        return container.getEndpoint();
    }

    @Override
    public Mailbox mailbox() {
        return mailbox;
    }
}
