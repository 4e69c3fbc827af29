package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbClaimRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbLedger;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbUndeliverableContacts;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeNotifierTrigger;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.NotifierTrigger;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.EligibilityService;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.notifier.notice.EligibilityCampaign;
import dev.slaledger.notifier.notice.EligibilityRenderer;
import dev.slaledger.notifier.notice.NoticeCampaign;
import dev.slaledger.notifier.notice.NoticeRenderer;
import dev.slaledger.notifier.notice.SesEventProcessor;
import dev.slaledger.notifier.notice.TermsPublication;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import dev.slaledger.priming.SampleEvents;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;

/**
 * The notifier's composition root: builds the notice use cases once per execution environment,
 * from the Lambda environment ({@link #fromEnvironment}) or, for other runtimes (the local
 * runtime, tests), from a given environment, DynamoDB client, clock and original terms, with the
 * outbound ports (mailer, trigger) given. Variables:
 * <ul>
 * <li>{@code LEDGER_TABLE}: the Ledger table (terms, deliveries, undeliverable addresses)</li>
 * <li>{@code ACCOUNTS_TABLE}: the account registry</li>
 * <li>{@code EVENT_BUS_NAME}: the bus the TermsPublished event goes to (publication handler)</li>
 * <li>{@code SES_FROM_ADDRESS}: the verified sender identity of notices</li>
 * <li>{@code SES_CONFIGURATION_SET}: the configuration set whose event destination feeds the SES events handler</li>
 * <li>{@code NOTICE_SERVICE_NAME}: the service's name in notices (default: each language's generic wording, "the API service" / "API 服务")</li>
 * <li>{@code NOTICE_LEASE_HOURS}: reservation lease (default 48)</li>
 * <li>{@code SES_ENDPOINT}: optional endpoint override (local runtime, emulator)</li>
 * <li>{@code AGGREGATES_TABLE}: the aggregates the eligibility run recomputes a stale statement from (S8, as a claim does)</li>
 * <li>{@code NOTICE_CLAIM_URL_TEMPLATE}: optional link in eligibility notices, {@code {month}} and {@code {accountId}} replaced</li>
 * </ul>
 */
public final class NotifierWiring {
    private static final String SAMPLES = "/dev/slaledger/notifier/priming/";

    private final Env env;
    /** The real client (Lambda, priming's read of nothing); null when the wiring is on a given ledger. */
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final TermsVersion originalTerms;
    private final Ledger ledger;

    public NotifierWiring(Env env, DynamoDbClient dynamo, Clock clock, TermsVersion originalTerms) {
        this.env = env;
        this.dynamo = dynamo;
        this.clock = clock;
        this.originalTerms = originalTerms;
        this.ledger = new DynamoDbLedger(dynamo, env.required(EnvNames.LEDGER_TABLE),
                env.required(EnvNames.ACCOUNTS_TABLE), env.optional(EnvNames.AGGREGATES_TABLE).orElse(null),
                originalTerms, clock);
    }

    /**
     * For other runtimes (the local runtime's memory engine): the same wiring on a given ledger graph;
     * {@code env} gives the settings (sender, service name, lease), not the tables.
     */
    public NotifierWiring(Env env, Ledger ledger) {
        this.env = env;
        this.dynamo = null;
        this.clock = ledger.clock();
        this.originalTerms = ledger.terms().published().get(0);
        this.ledger = ledger;
    }

    /** Lambda: the process environment, a DynamoDB client from {@link AwsClients}, the system clock, the default terms. */
    static NotifierWiring fromEnvironment() {
        Env env = Env.system();
        return new NotifierWiring(env, AwsClients.build(DynamoDbClient.builder(), env.region()), Clock.systemUTC(),
                DefaultTerms.version());
    }

    private TermsRepository terms() {
        return ledger.terms();
    }

    /** The publication use case announcing through {@code trigger}; a failed trigger is reported to {@code onTriggerFailure}. */
    public TermsPublication publication(NotifierTrigger trigger, TermsPublication.TriggerFailures onTriggerFailure) {
        return new TermsPublication(terms(), trigger, clock, onTriggerFailure);
    }

    TermsPublication publication() {
        return publication(AwsClients.build(EventBridgeClient.builder(), env.region()));
    }

    private TermsPublication publication(EventBridgeClient events) {
        return publication(new EventBridgeNotifierTrigger(events, env.required(EnvNames.EVENT_BUS_NAME)),
                (version, e) -> JsonLog.warn(null, "terms " + version.version()
                        + " published but the notifier was not triggered (the daily run will send): " + e));
    }

    /** The notice campaign sending through {@code mailer}. */
    public NoticeCampaign campaign(NoticeMailer mailer) {
        long leaseHours = env.integer(EnvNames.NOTICE_LEASE_HOURS, (int) NoticeCampaign.DEFAULT_LEASE.toHours());
        return new NoticeCampaign(terms(), ledger.accounts(), ledger.noticeDeliveries(), ledger.notices(),
                ledger.undeliverableContacts(), mailer,
                new NoticeRenderer(env.optional(EnvNames.NOTICE_SERVICE_NAME).orElse(null)), clock,
                () -> UUID.randomUUID().toString(), Duration.ofHours(leaseHours));
    }

    NoticeCampaign campaign() {
        return campaign(sesMailer());
    }

    /** The SES mailer of notices (one client per execution environment: both daily campaigns share it). */
    SesMailSender sesMailer() {
        SesV2ClientBuilder ses = SesV2Client.builder()
                .overrideConfiguration(c -> c.retryStrategy(SesMailSender.retryStrategy())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)));
        env.optional(EnvNames.SES_ENDPOINT).map(URI::create).ifPresent(ses::endpointOverride);
        return sesMailer(AwsClients.build(ses, env.region()));
    }

    private SesMailSender sesMailer(SesV2Client ses) {
        return new SesMailSender(ses, env.required(EnvNames.SES_FROM_ADDRESS),
                env.optional(EnvNames.SES_CONFIGURATION_SET));
    }

    private NoticeCampaign campaign(SesV2Client ses) {
        return campaign(sesMailer(ses));
    }

    /**
     * The eligibility run (S8) sending through {@code mailer}: the claim path of the claims API
     * (statements recomputed when stale, claims filed by {@link ClaimService}) with its events
     * going to {@code voucherEvents} and {@code statementEvents}.
     */
    public EligibilityCampaign eligibility(NoticeMailer mailer, VoucherEvents voucherEvents,
            StatementEvents statementEvents) {
        env.required(EnvNames.AGGREGATES_TABLE);
        return eligibility(mailer, voucherEvents, statementEvents, ledger.aggregates());
    }

    /**
     * The same run reading the aggregates from {@code aggregates} (the local runtime's in-process
     * engine keeps them in memory), so its recomputations see the traffic the statements were built on.
     */
    public EligibilityCampaign eligibility(NoticeMailer mailer, VoucherEvents voucherEvents,
            StatementEvents statementEvents, AggregateRepository aggregates) {
        return new EligibilityCampaign(new EligibilityService(claimService(voucherEvents, statementEvents, aggregates),
                ledger.claims(), terms(), ledger.accounts(), ledger.notices(), clock),
                ledger.accounts(), new EligibilityRenderer(env.optional(EnvNames.NOTICE_SERVICE_NAME).orElse(null),
                        env.optional(EnvNames.NOTICE_CLAIM_URL_TEMPLATE).orElse(null)),
                campaign(mailer), message -> JsonLog.warn(null, message));
    }

    /**
     * The notifier package's scheduled jobs by their name in schedules.json ({@code target}): the daily
     * run sending through {@code mailer}, its eligibility run's events to the given senders, its
     * recomputations reading {@code aggregates}. What the local runtime fires on its simulated clock.
     */
    public Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> scheduledJobs(NoticeMailer mailer,
            VoucherEvents voucherEvents, StatementEvents statementEvents, AggregateRepository aggregates) {
        Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> jobs = new LinkedHashMap<>();
        jobs.put("notifier", new NotifierHandler(campaign(mailer),
                eligibility(mailer, voucherEvents, statementEvents, aggregates)));
        return jobs;
    }

    /**
     * The claim path S8.3 files through: the claims API's {@link ClaimService} on the same tables
     * (a stale or missing statement recomputed first, one accepted claim per account-month).
     */
    public ClaimService claimService(VoucherEvents voucherEvents, StatementEvents statementEvents) {
        env.required(EnvNames.AGGREGATES_TABLE);
        return claimService(voucherEvents, statementEvents, ledger.aggregates());
    }

    private ClaimService claimService(VoucherEvents voucherEvents, StatementEvents statementEvents,
            AggregateRepository aggregates) {
        return ledger.claimService(statementEvents, voucherEvents, aggregates, () -> UUID.randomUUID().toString());
    }

    /** Lambda: sending through {@code mailer}, the vouchers and statements announced on the system bus. */
    EligibilityCampaign eligibility(NoticeMailer mailer) {
        EventBridgeClient events = AwsClients.build(EventBridgeClient.builder(), env.region());
        String bus = env.required(EnvNames.EVENT_BUS_NAME);
        return eligibility(mailer, new EventBridgeVoucherEvents(events, bus),
                new EventBridgeStatementEvents(events, bus));
    }

    public SesEventProcessor sesEvents() {
        return new SesEventProcessor(ledger.noticeDeliveries(), ledger.undeliverableContacts());
    }

    /*
     * SnapStart priming (issue 11 item 3) of the three notice handlers. Each runs its bundled sample
     * event (copies of events/notifier, see pom.xml) through the handler wired as in production but
     * on SDK clients that answer from memory (CannedClients: marshalling, signing, unmarshalling
     * run; nothing leaves the process: no terms stored, no event published, no mail sent), then
     * reads a ledger key that cannot exist through the real DynamoDB client.
     */

    Priming.Step[] publicationPriming() {
        return new Priming.Step[] {
            Priming.step("sample admin request on canned DynamoDB and EventBridge", () -> new PublishTermsHandler(
                    canned().publication(CannedClients.build(EventBridgeClient.builder(), env.region())))
                    .handleRequest(SampleEvents.httpApi(NotifierWiring.class, SAMPLES + "admin-put-terms.json"), null)),
            missingLedgerItem()
        };
    }

    Priming.Step[] campaignPriming() {
        return new Priming.Step[] {
            Priming.step("sample daily run on canned DynamoDB and SES", () -> new NotifierHandler(
                    canned().campaign(CannedClients.build(SesV2Client.builder(), env.region())))
                    .handleRequest(SampleEvents.map(NotifierWiring.class, SAMPLES + "scheduler-daily.json"), null)),
            Priming.step("compile the notice templates (terms changes and eligibility, S8) of every language", () -> {
                NoticeRenderer.compileAll();
                EligibilityRenderer.compileAll();
            }),
            missingLedgerItem()
        };
    }

    Priming.Step[] sesEventsPriming() {
        return new Priming.Step[] {
            Priming.step("sample SES event on canned DynamoDB", () -> new SesEventsHandler(canned().sesEvents())
                    .handleRequest(SampleEvents.map(NotifierWiring.class, SAMPLES + "ses-email-sent.json"), null)),
            missingLedgerItem()
        };
    }

    private NotifierWiring canned() {
        return new NotifierWiring(env, CannedClients.build(DynamoDbClient.builder(), env.region()), clock,
                originalTerms);
    }

    private Priming.Step missingLedgerItem() {
        return MissingItemRead.step(dynamo, env.required(EnvNames.LEDGER_TABLE), LedgerTable.PK, LedgerTable.SK);
    }
}
