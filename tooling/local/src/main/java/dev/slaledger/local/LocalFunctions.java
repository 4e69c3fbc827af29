package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.accounts.AccountsHandler;
import dev.slaledger.accounts.AccountsWiring;
import dev.slaledger.adapter.eventbridge.EventBridgeForecastEvents;
import dev.slaledger.adapter.eventbridge.EventBridgeNotifierTrigger;
import dev.slaledger.adapter.sqs.SqsNoticeWorkQueue;
import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.claims.ClaimsConfig;
import dev.slaledger.claims.ClaimsHandler;
import dev.slaledger.claims.ClaimsWiring;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.NotifierTrigger;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.usecase.Ledger;
import dev.slaledger.lambda.Env;
import dev.slaledger.monthend.MaintenanceWindowsHandler;
import dev.slaledger.monthend.MonthEndWiring;
import dev.slaledger.monthend.StatementWorkerHandler;
import dev.slaledger.notifier.NoticeWorkerHandler;
import dev.slaledger.notifier.NotifierHandler;
import dev.slaledger.notifier.NotifierWiring;
import dev.slaledger.notifier.PublishTermsHandler;
import dev.slaledger.notifier.notice.NoticeReport;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Every function's handlers, each composed by the function's own wiring (the class its Lambda entry
 * points use) on the engines' ledger graph, queues, bus and mail: nothing is rewired here by hand.
 */
final class LocalFunctions {
    /** What a function's handlers are wired on. */
    record On(Ledger ledger, AggregateRepository aggregates, LocalEventBus bus, BusEvents events, LocalQueues queues,
            LocalMail mail, SettableClock clock, PrintStream out) {
    }

    final AccountsHandler accounts;
    /** The scheduled jobs of every function wiring, by their name in schedules.json ({@code target}). */
    final Map<String, RequestHandler<Map<String, Object>, Map<String, Object>>> jobs = new LinkedHashMap<>();
    final StatementWorkerHandler worker;
    final MaintenanceWindowsHandler maintenanceWindows;
    final ClaimsHandler claims;
    /** The notice dispatcher (hourly schedule, TermsPublished) and the worker draining its queue. */
    final NotifierHandler notifier;
    final NoticeWorkerHandler noticeWorker;
    final PublishTermsHandler publishTerms;

    /**
     * @param noticeReports   where the notice worker reports each unit it handled
     * @param termsPublished  what a TermsPublished event does once the bus delivered it (runs the notifier)
     */
    LocalFunctions(On on, Consumer<NoticeReport> noticeReports, NotifierTrigger termsPublished) {
        accounts = new AccountsWiring(new Env(Map.of()), on.ledger()).handler();
        MonthEndWiring monthEnd = new MonthEndWiring(Map.of(), on.ledger());
        // the daily forecast (S9.8): its SlaAtRisk goes on the bus (no rule delivers it)
        jobs.putAll(monthEnd.scheduledJobs(new SqsStatementWorkQueue(on.queues().sqs(), on.queues().workQueue().url()),
                on.events(), on.events(), new EventBridgeForecastEvents(on.bus().client(), LocalEventBus.BUS),
                on.aggregates()));
        worker = new StatementWorkerHandler(monthEnd.statementService(on.events(), on.aggregates()));
        maintenanceWindows = new MaintenanceWindowsHandler(monthEnd.maintenanceWindows(), monthEnd.staleMarks());
        claims = new ClaimsHandler(ClaimsWiring.create(new ClaimsConfig("local", LocalEngines.LEDGER,
                LocalEngines.ACCOUNTS, LocalEngines.AGGREGATES, LocalEventBus.BUS, ClaimsConfig.DEFAULT_ACCOUNT_CLAIM),
                on.ledger(), on.aggregates(), on.events(), on.events(), () -> UUID.randomUUID().toString()).api());
        NotifierWiring notices = new NotifierWiring(new Env(Map.of()), on.ledger());
        // The notices fan out through the notice queue (ElasticMQ) as deployed: the dispatcher pages
        // them onto it, the worker drains it. SQS delays run on the wall clock, so the local queue
        // sends every unit at once; a worker waiting for its send slot moves the simulated clock,
        // which the run then puts back (the timeline's instants stay its own). The daily run also
        // sends the eligibility notices and files automatic claims (S8), its VoucherIssued on the bus.
        SqsNoticeWorkQueue noticeQueue = new SqsNoticeWorkQueue(on.queues().sqs(), on.queues().noticeQueueUrl(), false);
        notifier = new NotifierHandler(notices.dispatcher(noticeQueue, on.mail().quota(), true), on.clock());
        noticeWorker = new NoticeWorkerHandler(notices.worker(on.mail().mailer(), noticeQueue, when -> {
            if (when.isAfter(on.clock().instant())) {
                on.clock().set(when);
            }
        }, on.events(), on.events(), on.aggregates()), noticeQueue, on.clock(), noticeReports);
        // TermsPublished goes on the bus; the TermsPublishedRule delivers it, and each delivered event
        // runs the notifier at once, as the rule's Lambda target would
        EventBridgeNotifierTrigger trigger = new EventBridgeNotifierTrigger(on.bus().client(), LocalEventBus.BUS);
        publishTerms = new PublishTermsHandler(notices.publication(version -> {
            trigger.termsPublished(version);
            termsPublished.termsPublished(version);
        }, (version, e) -> on.out().println("  notifier failed after publishing " + version.version() + ": " + e),
                on.mail().quota()));
    }
}
