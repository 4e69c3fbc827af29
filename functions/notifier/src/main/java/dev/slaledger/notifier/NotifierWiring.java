package dev.slaledger.notifier;

import dev.slaledger.accounts.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbUndeliverableContacts;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.notifier.aws.EventBridgeNotifierTrigger;
import dev.slaledger.notifier.aws.SesMailSender;
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
 * <li>{@code NOTICE_SERVICE_NAME}: the service's name in notices (default "the API service")</li>
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

    private static DynamoDbClient dynamo() {
        return DynamoDbClient.builder().region(region()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static TermsRepository terms(DynamoDbClient dynamo) {
        return new DynamoDbTermsRepository(dynamo, env("LEDGER_TABLE"), DefaultTerms.version());
    }

    static TermsPublication publication() {
        EventBridgeClient events = EventBridgeClient.builder().region(region())
                .httpClient(UrlConnectionHttpClient.create()).build();
        return new TermsPublication(terms(dynamo()), new EventBridgeNotifierTrigger(events, env("EVENT_BUS_NAME")),
                Clock.systemUTC(), (version, e) -> Log.warn(null, "terms " + version.version()
                        + " published but the notifier was not triggered (the daily run will send): " + e));
    }

    static NoticeCampaign campaign() {
        DynamoDbClient dynamo = dynamo();
        String ledger = env("LEDGER_TABLE");
        DynamoDbNoticeRepository notices = new DynamoDbNoticeRepository(dynamo, ledger);
        var ses = SesV2Client.builder().region(region()).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(SesMailSender.retryStrategy())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)));
        optionalEnv("SES_ENDPOINT").map(URI::create).ifPresent(ses::endpointOverride);
        long leaseHours = Long.parseLong(optionalEnv("NOTICE_LEASE_HOURS").orElse("48"));
        return new NoticeCampaign(terms(dynamo), new DynamoDbAccountRepository(dynamo, env("ACCOUNTS_TABLE")), notices,
                notices, new DynamoDbUndeliverableContacts(dynamo, ledger),
                new SesMailSender(ses.build(), env("SES_FROM_ADDRESS"), optionalEnv("SES_CONFIGURATION_SET")),
                new NoticeRenderer(optionalEnv("NOTICE_SERVICE_NAME").orElse("the API service")), Clock.systemUTC(),
                () -> UUID.randomUUID().toString(), Duration.ofHours(leaseHours));
    }

    static SesEventProcessor sesEvents() {
        DynamoDbClient dynamo = dynamo();
        String ledger = env("LEDGER_TABLE");
        return new SesEventProcessor(new DynamoDbNoticeRepository(dynamo, ledger),
                new DynamoDbUndeliverableContacts(dynamo, ledger));
    }
}
