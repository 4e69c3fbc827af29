package dev.slaledger.notifier;

import dev.slaledger.adapter.dynamodb.DynamoDbLedger;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeNotifierTrigger;
import dev.slaledger.adapter.eventbridge.EventBridgeStatementEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.adapter.sqs.SqsNoticeWorkQueue;
import dev.slaledger.core.notice.Sleeper;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.NoticeWorkQueue;
import dev.slaledger.core.port.NotifierTrigger;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.SendingQuota;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.EligibilityService;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.notifier.notice.EligibilityRenderer;
import dev.slaledger.notifier.notice.NoticeCapacity;
import dev.slaledger.notifier.notice.NoticeDispatcher;
import dev.slaledger.notifier.notice.NoticeRenderer;
import dev.slaledger.notifier.notice.NoticeSender;
import dev.slaledger.notifier.notice.NoticeWorker;
import dev.slaledger.notifier.notice.SesEventProcessor;
import dev.slaledger.notifier.notice.TermsPublication;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import dev.slaledger.priming.SampleEvents;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.SesV2ClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The notifier's composition root: builds the notice use cases once per execution environment,
 * from the Lambda environment ({@link #fromEnvironment}) or, for other runtimes (the local
 * runtime, the rehearsal, tests), from a given environment, DynamoDB client, clock and original
 * terms, with the outbound ports (mailer, queue, quota, trigger) given. Variables:
 * <ul>
 * <li>{@code LEDGER_TABLE}: the Ledger table (terms, deliveries, cursors, backlog, send schedule, undeliverable addresses)</li>
 * <li>{@code ACCOUNTS_TABLE}: the account registry</li>
 * <li>{@code NOTICE_QUEUE_URL}: the notice work queue (dispatcher and workers)</li>
 * <li>{@code EVENT_BUS_NAME}: the bus of TermsPublished (publication) and of the claim path's events (worker)</li>
 * <li>{@code SES_FROM_ADDRESS}: the verified sender identity of notices</li>
 * <li>{@code SES_CONFIGURATION_SET}: the configuration set whose event destination feeds the SES events handler</li>
 * <li>{@code NOTICE_SERVICE_NAME}: the service's name in notices (default: each language's generic wording, "the API service" / "API 服务")</li>
 * <li>{@code NOTICE_LEASE_HOURS}: reservation lease, an override (default: {@link #DEFAULT_LEASE}, from the deployed retry schedule)</li>
 * <li>{@code NOTICE_MAX_SEND_RATE}, {@code NOTICE_MAX_DAILY_SENDS}: optional caps below the SES quota (S9.3)</li>
 * <li>{@code NOTICE_UNIT_SIZE}: accounts per work unit (default {@value #DEFAULT_UNIT_SIZE})</li>
 * <li>{@code NOTICE_ELIGIBILITY_START_HOURS}: hours after a claim window's opening (00:00) its eligibility sweep starts (default 9)</li>
 * <li>{@code SES_ENDPOINT}: optional endpoint override (local runtime, emulator)</li>
 * <li>{@code AGGREGATES_TABLE}: the aggregates the eligibility decisions recompute a stale statement from (S8, as a claim does)</li>
 * <li>{@code NOTICE_CLAIM_URL_TEMPLATE}: optional link in eligibility notices, {@code {month}} and {@code {accountId}} replaced</li>
 * </ul>
 */
public final class NotifierWiring {
    public static final String NOTICE_MAX_SEND_RATE = EnvNames.NOTICE_MAX_SEND_RATE;
    public static final String NOTICE_MAX_DAILY_SENDS = EnvNames.NOTICE_MAX_DAILY_SENDS;
    public static final String NOTICE_UNIT_SIZE = EnvNames.NOTICE_UNIT_SIZE;
    public static final String NOTICE_ELIGIBILITY_START_HOURS = EnvNames.NOTICE_ELIGIBILITY_START_HOURS;
    public static final String NOTICE_LEASE_HOURS = EnvNames.NOTICE_LEASE_HOURS;
    /** Accounts per work unit: one unit is about 25 x 6 DynamoDB requests and 25 sends at most. */
    public static final int DEFAULT_UNIT_SIZE = 25;
    /** Hours after a claim window's opening (00:00) its eligibility sweep starts: notices in working hours. */
    public static final int DEFAULT_ELIGIBILITY_START_HOURS = 9;
    /**
     * How long a reservation belongs to its attempt, tied to the deployed retry schedule (35 minutes:
     * the notice worker's timeout plus the SES feedback queue's receives x visibility); see
     * docs/notices.md ("the guarantee").
     */
    public static final Duration DEFAULT_LEASE = DeployedSettings.reservationLease();
    private static final String SAMPLES = "/dev/slaledger/notifier/priming/";

    private final Env env;
    /** The real client (Lambda, priming's read of nothing); null when the wiring is on a given ledger. */
    private final DynamoDbClient dynamo;
    private final Clock clock;
    private final TermsVersion originalTerms;
    /** Every store the notices keep their state in: the tables of {@code env}, or a given graph. */
    private final Ledger ledger;
    private SendThrottle throttle;

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
     * {@code env} gives the settings (service name, lease, unit size, caps), not the tables.
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

    public Clock clock() {
        return clock;
    }

    private TermsRepository terms() {
        return ledger.terms();
    }

    private AccountRepository accounts() {
        return ledger.accounts();
    }

    /** The shared send schedule in the Ledger (one per wiring: it remembers the item it last saw). */
    public synchronized SendThrottle throttle() {
        if (throttle == null) {
            throttle = ledger.sendThrottle();
        }
        return throttle;
    }

    /** The configured caps below the SES quota (S9.3). */
    public NoticeDispatcher.Caps caps() {
        return new NoticeDispatcher.Caps(env.optional(NOTICE_MAX_SEND_RATE).map(BigDecimal::new),
                env.optional(NOTICE_MAX_DAILY_SENDS).map(Long::parseLong));
    }

    private NoticeCapacity capacity(SendingQuota quota) {
        return new NoticeCapacity(quota, throttle(), caps(), ledger.noticeCursors(), accounts());
    }

    // ------------------------------------------------------------------ publication (S6.1, S9.4)

    /**
     * The publication use case announcing through {@code trigger}, checking S9.4 against
     * {@code quota}; a failed trigger is reported to {@code onTriggerFailure}.
     */
    public TermsPublication publication(NotifierTrigger trigger, TermsPublication.TriggerFailures onTriggerFailure,
            SendingQuota quota) {
        return new TermsPublication(terms(), trigger, clock, onTriggerFailure, Optional.of(capacity(quota)));
    }

    TermsPublication publication() {
        return publication(lazyEventBridge(), sesClient());
    }

    private TermsPublication publication(Supplier<EventBridgeClient> events, SesV2Client ses) {
        return publication(new EventBridgeNotifierTrigger(events, env.required(EnvNames.EVENT_BUS_NAME)),
                (version, e) -> JsonLog.warn(null, "terms " + version.version()
                        + " published but the notifier was not triggered (the hourly run will send): " + e),
                new SesSendingQuota(ses));
    }

    // ------------------------------------------------------------------ the dispatcher (S9.1-S9.3)

    /** The dispatcher paging onto {@code queue}, reading the quota from {@code quota}. */
    public NoticeDispatcher dispatcher(NoticeWorkQueue queue, SendingQuota quota, boolean eligibilityWired) {
        return new NoticeDispatcher(terms(), accounts(), ledger.noticeCursors(), ledger.noticeBacklog(), queue, quota, throttle(), caps(), eligibilityWired,
                Duration.ofHours(env.integer(NOTICE_ELIGIBILITY_START_HOURS, DEFAULT_ELIGIBILITY_START_HOURS)),
                env.integer(NOTICE_UNIT_SIZE, DEFAULT_UNIT_SIZE), clock);
    }

    NoticeDispatcher dispatcher() {
        return dispatcher(noticeQueue(), new SesSendingQuota(sesClient()), true);
    }

    /** The notice queue of {@code NOTICE_QUEUE_URL} on SQS. */
    NoticeWorkQueue noticeQueue() {
        return new SqsNoticeWorkQueue(AwsClients.build(SqsClient.builder(), env.region()),
                env.required(EnvNames.NOTICE_QUEUE_URL));
    }

    // ------------------------------------------------------------------ the worker (S6.2-S6.4, S8)

    /**
     * A worker sending through {@code mailer}, handing on through {@code queue}, waiting for its send
     * slots with {@code sleeper}; its eligibility decisions take the claim path of the claims API
     * (statements recomputed when stale, claims filed by {@link ClaimService}) with its events going
     * to {@code voucherEvents} and {@code statementEvents}, the aggregates read from {@code aggregates}.
     */
    public NoticeWorker worker(NoticeMailer mailer, NoticeWorkQueue queue, Sleeper sleeper,
            VoucherEvents voucherEvents, StatementEvents statementEvents, AggregateRepository aggregates) {
        NoticeRepository notices = ledger.notices();
        AccountRepository accounts = accounts();
        EligibilityService eligibility = new EligibilityService(
                claimService(voucherEvents, statementEvents, aggregates), ledger.claims(), terms(), accounts, notices,
                clock);
        Duration lease = env.optional(NOTICE_LEASE_HOURS).map(h -> Duration.ofHours(Long.parseLong(h.trim())))
                .orElse(DEFAULT_LEASE);
        NoticeSender sender = new NoticeSender(ledger.noticeDeliveries(), ledger.undeliverableContacts(), mailer,
                throttle(), sleeper, clock, () -> UUID.randomUUID().toString(), lease);
        String serviceName = env.optional(EnvNames.NOTICE_SERVICE_NAME).orElse(null);
        return new NoticeWorker(terms(), accounts, ledger.noticeDeliveries(), eligibility, sender, new NoticeRenderer(serviceName),
                new EligibilityRenderer(serviceName, env.optional(EnvNames.NOTICE_CLAIM_URL_TEMPLATE).orElse(null)), queue,
                ledger.noticeBacklog(), clock);
    }

    /** The same, the aggregates read from {@code AGGREGATES_TABLE}. */
    public NoticeWorker worker(NoticeMailer mailer, NoticeWorkQueue queue, Sleeper sleeper,
            VoucherEvents voucherEvents, StatementEvents statementEvents) {
        env.required(EnvNames.AGGREGATES_TABLE);
        return worker(mailer, queue, sleeper, voucherEvents, statementEvents, ledger.aggregates());
    }

    /** Lambda: SES, the notice queue on SQS, the vouchers and statements announced on the system bus. */
    NoticeWorker worker(NoticeWorkQueue queue) {
        Supplier<EventBridgeClient> events = lazyEventBridge();
        String bus = env.required(EnvNames.EVENT_BUS_NAME);
        return worker(sesMailer(sesClient()), queue, Sleeper.system(clock),
                new EventBridgeVoucherEvents(events, bus), new EventBridgeStatementEvents(events, bus));
    }

    /**
     * The EventBridge client of a Lambda wiring, built on the first event put rather than by the handler's
     * constructor: a publication triggers the notifier once, a notice worker announces only the vouchers and
     * compensable statements its automatic claims produce ({@link AwsClients#lazy}).
     */
    private Supplier<EventBridgeClient> lazyEventBridge() {
        return AwsClients.lazy("EventBridge", () -> AwsClients.build(EventBridgeClient.builder(), env.region()));
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

    // ------------------------------------------------------------------ SES

    /** The SES v2 client of notices: the send retry policy, the endpoint override if any. */
    SesV2Client sesClient() {
        SesV2ClientBuilder ses = SesV2Client.builder()
                .overrideConfiguration(c -> c.retryStrategy(SesMailSender.retryStrategy())
                        .apiCallAttemptTimeout(Duration.ofSeconds(10)));
        env.optional(EnvNames.SES_ENDPOINT).map(URI::create).ifPresent(ses::endpointOverride);
        return AwsClients.build(ses, env.region());
    }

    private SesMailSender sesMailer(SesV2Client ses) {
        return new SesMailSender(ses, env.required(EnvNames.SES_FROM_ADDRESS),
                env.optional(EnvNames.SES_CONFIGURATION_SET));
    }

    public SesEventProcessor sesEvents() {
        return new SesEventProcessor(ledger.noticeDeliveries(), ledger.undeliverableContacts(), ledger.noticeBacklog());
    }

    /*
     * SnapStart priming (issue 11 item 3) of the notice handlers. Each runs its bundled sample event
     * (copies of events/notifier, see pom.xml) through the handler wired as in production but on SDK
     * clients that answer from memory (CannedClients: marshalling, signing, unmarshalling run;
     * nothing leaves the process: no terms stored, no event published, no mail sent, no message
     * queued), then reads a ledger key that cannot exist through the real DynamoDB client.
     */

    private Supplier<EventBridgeClient> cannedEventBridge() {
        EventBridgeClient events = CannedClients.build(EventBridgeClient.builder(), env.region());
        return () -> events;
    }

    Priming.Step[] publicationPriming() {
        return new Priming.Step[] {
            Priming.step("sample admin request on canned DynamoDB, EventBridge and SES", () -> new PublishTermsHandler(
                    canned().publication(cannedEventBridge(), CannedClients.build(SesV2Client.builder(), env.region())))
                    .handleRequest(SampleEvents.httpApi(NotifierWiring.class, SAMPLES + "admin-put-terms.json"), null)),
            missingLedgerItem()
        };
    }

    Priming.Step[] dispatcherPriming() {
        return new Priming.Step[] {
            Priming.step("sample hourly run on canned DynamoDB, SES and SQS", () -> {
                NotifierWiring canned = canned();
                new NotifierHandler(canned.dispatcher(cannedQueue(),
                        new SesSendingQuota(CannedClients.build(SesV2Client.builder(), env.region())), true), clock)
                        .handleRequest(SampleEvents.map(NotifierWiring.class, SAMPLES + "scheduler-hourly.json"), null);
            }),
            missingLedgerItem()
        };
    }

    Priming.Step[] workerPriming() {
        return new Priming.Step[] {
            Priming.step("compile the notice templates (terms changes and eligibility, S8) of every language", () -> {
                NoticeRenderer.compileAll();
                EligibilityRenderer.compileAll();
            }),
            Priming.step("sample work message on canned DynamoDB, SES, SQS and EventBridge", () -> {
                NotifierWiring canned = canned();
                EventBridgeClient events = CannedClients.build(EventBridgeClient.builder(), env.region());
                new NoticeWorkerHandler(canned.worker(canned.sesMailer(CannedClients.build(SesV2Client.builder(),
                        env.region())), cannedQueue(), when -> { }, new EventBridgeVoucherEvents(events, "primed"),
                        new EventBridgeStatementEvents(events, "primed")), cannedQueue(), clock, r -> { })
                        .handleRequest(SampleEvents.sqs(NotifierWiring.class, SAMPLES + "sqs-notice-work.json"),
                                null);
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

    private NoticeWorkQueue cannedQueue() {
        return new SqsNoticeWorkQueue(CannedClients.build(SqsClient.builder(), env.region()),
                "https://sqs.eu-west-1.amazonaws.com/000000000000/primed");
    }

    private NotifierWiring canned() {
        return new NotifierWiring(env, CannedClients.build(DynamoDbClient.builder(), env.region()), clock,
                originalTerms);
    }

    private Priming.Step missingLedgerItem() {
        return MissingItemRead.step(dynamo, env.required(EnvNames.LEDGER_TABLE), LedgerTable.PK, LedgerTable.SK);
    }
}
