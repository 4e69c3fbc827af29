package dev.slaledger.notifier;

import dev.slaledger.lambda.JsonLog;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbUndeliverableContacts;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.adapter.eventbridge.EventBridgeNotifierTrigger;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import dev.slaledger.priming.SampleEvents;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.notifier.notice.NoticeCampaign;
import dev.slaledger.notifier.notice.NoticeRenderer;
import dev.slaledger.notifier.notice.SesEventProcessor;
import dev.slaledger.notifier.notice.TermsPublication;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Builds the notice use cases from the Lambda environment, once per execution environment:
 * <ul>
 * <li>{@code LEDGER_TABLE}: the Ledger table (terms, deliveries, undeliverable addresses)</li>
 * <li>{@code ACCOUNTS_TABLE}: the account registry</li>
 * <li>{@code EVENT_BUS_NAME}: the bus the TermsPublished event goes to (publication handler)</li>
 * <li>{@code SES_FROM_ADDRESS}: the verified sender identity of notices</li>
 * <li>{@code SES_CONFIGURATION_SET}: the configuration set whose event destination feeds the SES events handler</li>
 * <li>{@code NOTICE_SERVICE_NAME}: the service's name in notices (default: each language's generic wording, "the API service" / "API 服务")</li>
 * <li>{@code NOTICE_LEASE_HOURS}: reservation lease (default 48)</li>
 * <li>{@code SES_ENDPOINT}: optional endpoint override (local runtime, emulator)</li>
 * </ul>
 */
final class NotifierWiring {
    private NotifierWiring() {
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static Optional<String> optionalEnv(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    private static Region region() {
        return Region.of(env("AWS_REGION"));
    }

    static DynamoDbClient dynamo() {
        return DynamoDbClient.builder().region(region()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static TermsRepository terms(DynamoDbClient dynamo) {
        return new DynamoDbTermsRepository(dynamo, env("LEDGER_TABLE"), DefaultTerms.version());
    }

    static TermsPublication publication(DynamoDbClient dynamo) {
        return publication(dynamo, EventBridgeClient.builder().region(region())
                .httpClient(UrlConnectionHttpClient.create()).build());
    }

    static TermsPublication publication(DynamoDbClient dynamo, EventBridgeClient events) {
        return new TermsPublication(terms(dynamo), new EventBridgeNotifierTrigger(events, env("EVENT_BUS_NAME")),
                Clock.systemUTC(), (version, e) -> JsonLog.warn(null, "terms " + version.version()
                        + " published but the notifier was not triggered (the daily run will send): " + e));
    }

    static NoticeCampaign campaign(DynamoDbClient dynamo) {
        var ses = SesV2Client.builder().region(region()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(SesMailSender.retryStrategy())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)));
        optionalEnv("SES_ENDPOINT").map(URI::create).ifPresent(ses::endpointOverride);
        return campaign(dynamo, ses.build());
    }

    static NoticeCampaign campaign(DynamoDbClient dynamo, SesV2Client ses) {
        String ledger = env("LEDGER_TABLE");
        DynamoDbNoticeRepository notices = new DynamoDbNoticeRepository(dynamo, ledger);
        long leaseHours = Long.parseLong(optionalEnv("NOTICE_LEASE_HOURS").orElse("48"));
        return new NoticeCampaign(terms(dynamo), new DynamoDbAccountRepository(dynamo, env("ACCOUNTS_TABLE")), notices,
                notices, new DynamoDbUndeliverableContacts(dynamo, ledger),
                new SesMailSender(ses, env("SES_FROM_ADDRESS"), optionalEnv("SES_CONFIGURATION_SET")),
                new NoticeRenderer(optionalEnv("NOTICE_SERVICE_NAME").orElse(null)), Clock.systemUTC(),
                () -> UUID.randomUUID().toString(), Duration.ofHours(leaseHours));
    }

    static SesEventProcessor sesEvents(DynamoDbClient dynamo) {
        String ledger = env("LEDGER_TABLE");
        return new SesEventProcessor(new DynamoDbNoticeRepository(dynamo, ledger),
                new DynamoDbUndeliverableContacts(dynamo, ledger));
    }

    /*
     * SnapStart priming (issue 11 item 3) of the three notice handlers. Each runs its bundled sample
     * event (copies of events/notifier, see pom.xml) through the handler wired as in production but
     * on SDK clients that answer from memory (CannedClients: marshalling, signing, unmarshalling
     * run; nothing leaves the process: no terms stored, no event published, no mail sent), then
     * reads a ledger key that cannot exist through the real DynamoDB client.
     */

    static Priming.Step[] publicationPriming(DynamoDbClient dynamo) {
        return new Priming.Step[] {
            Priming.step("sample admin request on canned DynamoDB and EventBridge", () -> new PublishTermsHandler(
                    publication(canned(), CannedClients.build(EventBridgeClient.builder(), region())))
                    .handleRequest(SampleEvents.httpApi(NotifierWiring.class, SAMPLES + "admin-put-terms.json"), null)),
            missingLedgerItem(dynamo)
        };
    }

    static Priming.Step[] campaignPriming(DynamoDbClient dynamo) {
        return new Priming.Step[] {
            Priming.step("sample daily run on canned DynamoDB and SES", () -> new NotifierHandler(
                    campaign(canned(), CannedClients.build(SesV2Client.builder(), region())))
                    .handleRequest(SampleEvents.map(NotifierWiring.class, SAMPLES + "scheduler-daily.json"), null)),
            Priming.step("compile the notice templates of every language",
                    NoticeRenderer::compileAll),
            missingLedgerItem(dynamo)
        };
    }

    static Priming.Step[] sesEventsPriming(DynamoDbClient dynamo) {
        return new Priming.Step[] {
            Priming.step("sample SES event on canned DynamoDB", () -> new SesEventsHandler(sesEvents(canned()))
                    .handleRequest(SampleEvents.map(NotifierWiring.class, SAMPLES + "ses-email-sent.json"), null)),
            missingLedgerItem(dynamo)
        };
    }

    private static final String SAMPLES = "/dev/slaledger/notifier/priming/";

    private static DynamoDbClient canned() {
        return CannedClients.build(DynamoDbClient.builder(), region());
    }

    private static Priming.Step missingLedgerItem(DynamoDbClient dynamo) {
        return MissingItemRead.step(dynamo, env("LEDGER_TABLE"), LedgerTable.PK, LedgerTable.SK);
    }
}
