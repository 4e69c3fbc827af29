package dev.slaledger.testkit;

import dev.slaledger.emulators.LocalAws;
import dev.slaledger.emulators.MotoServer;
import java.net.URI;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * The one fixture of the integration tests: the AWS engines they talk to, once per test JVM.
 *
 * <p>Which engines is chosen by the system property {@value #PROPERTY} (the root pom passes it to
 * failsafe; {@code -Plocalstack} sets it):
 * <ul>
 *   <li>{@code emulators} (default; {@code embedded}, the old name, is still accepted): moto in
 *       server mode, single-threaded, as a child process ({@link MotoServer}: DynamoDB), ElasticMQ
 *       in-process (SQS), and the SES v2 emulator (npm {@code aws-ses-v2-local}) as a child
 *       process, each on a free loopback port, started the first time a test asks for it;</li>
 *   <li>{@code localstack}: one LocalStack container (community image {@value LocalStackEngines#DEFAULT_IMAGE},
 *       overridable with {@code -Dslaledger.localstack.image=...}) started through Testcontainers.
 *       Without a Docker engine, test classes (or methods) marked {@link UsesEngines} are disabled
 *       before they run, so they are reported as skipped, and {@link SkipReport} prints one line
 *       with the count; {@link #get()} called from anywhere else aborts the caller (a JUnit
 *       assumption).</li>
 * </ul>
 *
 * <p>Tests get SDK client builders already pointed at the engine (endpoint, region, static
 * credentials, the URLConnection HTTP client), to which they add what they need (execution
 * interceptors, timeouts), or the raw endpoints. Every client they build records the calls Lambda
 * handlers make through it ({@link CallRecorder}: the IAM evidence), whatever the test adds. Everything is HTTP on the wire in both modes, so
 * interceptors and the functions' own client wiring behave as against AWS.
 */
public abstract class Engines {
    /** The system property that selects the engines: {@code emulators} or {@code localstack}. */
    public static final String PROPERTY = "slaledger.engines";
    /** The message of every test skipped for lack of Docker; {@link SkipReport} counts them by it. */
    static final String NO_DOCKER = "LocalStack profile: no Docker engine found";


    private static Engines instance;
    private static String unavailable;

    /** Which engines a run uses. */
    public enum Kind {
        /** moto (DynamoDB), ElasticMQ (SQS), the SES v2 emulator: open-source emulators beside the JVM. */
        EMULATORS,
        /** One LocalStack container. */
        LOCALSTACK;

        static Kind parse(String value) {
            if (value == null || value.isBlank()) {
                return EMULATORS;
            }
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("embedded")) {
                return EMULATORS; // the old name, still accepted
            }
            try {
                return valueOf(v.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                        + " is not one of: emulators, localstack", e);
            }
        }
    }

    Engines() {
    }

    /**
     * The engines of this JVM, started on first use. Under {@code localstack} without Docker this
     * aborts the calling test or class (it is reported as skipped, not failed).
     */
    public static synchronized Engines get() {
        Assumptions.assumeTrue(available(), NO_DOCKER);
        return instance;
    }

    /** Whether the selected engines run here; starts them (once) if so. */
    static synchronized boolean available() {
        if (instance == null && unavailable == null) {
            Kind kind = Kind.parse(System.getProperty(PROPERTY));
            if (kind == Kind.EMULATORS) {
                instance = new EmulatorEngines();
            } else if (!LocalStackEngines.dockerAvailable()) {
                unavailable = NO_DOCKER;
            } else {
                instance = LocalStackEngines.start();
            }
        }
        return instance != null;
    }

    public abstract Kind kind();

    public abstract URI dynamoDbEndpoint();

    public abstract URI sqsEndpoint();

    public abstract URI sesEndpoint();

    /** The sent-mail store of the SES engine, read in the SES v2 emulator's JSON shape in both modes. */
    public abstract Mailbox mailbox();

    public Region region() {
        return LocalAws.REGION;
    }

    public AwsCredentialsProvider credentials() {
        return LocalAws.CREDENTIALS;
    }

    /**
     * A DynamoDB client builder pointed at the engine over HTTP (emulators: the JVM's one moto
     * server), so execution interceptors see real requests; add them, then build.
     */
    public DynamoDbClientBuilder dynamoDb() {
        return LocalAws.on(DynamoDbClient.builder(), dynamoDbEndpoint()).addPlugin(CallRecorder.plugin());
    }

    /**
     * A plain DynamoDB client on the engine, for tests that need no interceptors; the caller closes
     * it. It is {@code dynamoDb().build()}: the same store as every builder's client, which every
     * test class of the JVM shares, so each class uses table names of its own.
     */
    public DynamoDbClient dynamoDbClient() {
        return dynamoDb().build();
    }

    private DynamoDbClient shared;

    /**
     * One plain DynamoDB client on the engine for the whole JVM, closed when the JVM exits: for test
     * classes that would otherwise open one in {@code @BeforeAll} and close it in {@code @AfterAll}.
     */
    public synchronized DynamoDbClient sharedDynamoDbClient() {
        if (shared == null) {
            DynamoDbClient client = dynamoDbClient();
            Runtime.getRuntime().addShutdownHook(new Thread(client::close));
            shared = client;
        }
        return shared;
    }

    /**
     * Where Kinesis answers: the same endpoint as DynamoDB in both modes (moto serves every service
     * on its one port; LocalStack on its edge port).
     */
    public URI kinesisEndpoint() {
        return dynamoDbEndpoint();
    }

    /**
     * A Kinesis client builder pointed at the engine (the {@link dev.slaledger.emulators.KinesisEsm} poller's stream source).
     * The SDK speaks CBOR to Kinesis by default, which moto answers with HTTP 500: this switches the
     * JVM's SDK to JSON ({@code aws.cborEnabled=false}, a test-only setting; AWS accepts both).
     */
    public KinesisClientBuilder kinesis() {
        return LocalAws.kinesis(kinesisEndpoint()).addPlugin(CallRecorder.plugin());
    }

    public SqsClientBuilder sqs() {
        return LocalAws.on(SqsClient.builder(), sqsEndpoint()).addPlugin(CallRecorder.plugin());
    }

    public SesV2ClientBuilder sesV2() {
        return LocalAws.on(SesV2Client.builder(), sesEndpoint()).addPlugin(CallRecorder.plugin());
    }
}
