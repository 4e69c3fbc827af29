package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbNoticeRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbUndeliverableContacts;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.adapter.ses.SesSendingQuota;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.notice.NoticeRules;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.NoticeDeliveries.State;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.EnvNames;
import dev.slaledger.notifier.notice.NoticeReport;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.Mailbox;
import dev.slaledger.testkit.UsesEngines;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The whole notice flow on real local engines, those of the {@code Engines} fixture: DynamoDB
 * (Ledger and accounts tables: moto), SQS (the notice queue: ElasticMQ) and SES v2 (the
 * aws-ses-v2-local emulator, whose GetAccount gives the quota), or LocalStack: publish through the
 * admin handler, which triggers the dispatcher; the worker handler drains the queue as the event
 * source mapping does; billing events reach the queue as the rule delivers them; read the mail back
 * from the engine's mail store.
 */
@UsesEngines
class NoticeFlowIT {
    private static final String LEDGER = "LedgerNoticesIT";
    private static final String ACCOUNTS = "AccountsNoticesIT";
    private static final String FROM = "sla-notices@provider.example";

    private static DynamoDbClient dynamo;
    private static Mailbox ses;
    private static SqsNoticeQueue queue;

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        LedgerTable.create(dynamo, LEDGER);
        AccountsTable.create(dynamo, ACCOUNTS);
        ses = Engines.get().mailbox();
        ses.allowSender(FROM, "sla-notices");
        queue = new SqsNoticeQueue("NoticeFlowIT");
    }

    @AfterAll
    static void stop() {
        dynamo.close();
    }

    private final SettableClock clock = new SettableClock("2026-11-02T09:00:00Z");
    private final DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, ACCOUNTS);
    private final DynamoDbNoticeRepository notices = new DynamoDbNoticeRepository(dynamo, LEDGER);
    private final DynamoDbUndeliverableContacts undeliverable = new DynamoDbUndeliverableContacts(dynamo, LEDGER);
    private final DynamoDbTermsRepository terms = new DynamoDbTermsRepository(dynamo, LEDGER, DefaultTerms.version());
    private final NotifierWiring wiring = new NotifierWiring(new Env(Map.of(EnvNames.LEDGER_TABLE, LEDGER,
            EnvNames.ACCOUNTS_TABLE, ACCOUNTS, EnvNames.AGGREGATES_TABLE, "AggregatesNoticesIT",
            EnvNames.NOTICE_SERVICE_NAME, "Acme API")), dynamo, clock, DefaultTerms.version());
    private final software.amazon.awssdk.services.sesv2.SesV2Client sesClient = Engines.get().sesV2().build();
    private final NotifierHandler notifier = new NotifierHandler(
            wiring.dispatcher(queue.queue, new SesSendingQuota(sesClient), false), clock);
    private final List<NoticeReport> workerReports = new ArrayList<>();
    private final NoticeWorkerHandler worker = new NoticeWorkerHandler(wiring.worker(
            new SesMailSender(sesClient, FROM, Optional.of("sla-notices")), queue.queue, clock::advanceTo,
            c -> { }, st -> { }), queue.queue, clock, workerReports::add);
    private final SesEventsHandler sesEvents = new SesEventsHandler(wiring.sesEvents());
    private final List<Map<String, Object>> triggeredRuns = new ArrayList<>();
    // the local runtime's trigger: run the dispatcher right away (in AWS: the TermsPublished rule)
    private final PublishTermsHandler admin = new PublishTermsHandler(wiring.publication(
            v -> triggeredRuns.add(notifier.handleRequest(Fixtures.map(Fixtures.json("eventbridge-terms-published.json")), null)),
            (v, e) -> {
                throw new AssertionError(e);
            }, new SesSendingQuota(sesClient)));

    /** What the workers did since the last call: the queue drained through the worker handler. */
    private NoticeReport drain() {
        workerReports.clear();
        queue.drain(worker);
        NoticeReport total = new NoticeReport();
        workerReports.forEach(total::addAll);
        return total;
    }

    /** An hourly run: the dispatcher, then the workers. */
    private NoticeReport hourly() {
        notifier.handleRequest(Fixtures.map(Fixtures.json("scheduler-hourly.json")), null);
        return drain();
    }

    /** A billing event as the NoticeBillingEvents rule delivers it to the notice queue. */
    private void billingEventReachesTheQueue(String detailType, String account) {
        ObjectNode event = (ObjectNode) Fixtures.json("../accounts/contact-changed.json").deepCopy();
        event.put("detail-type", detailType);
        ((ObjectNode) event.get("detail")).put("accountId", account);
        queue.send(event.toString());
    }

    private void subscribe(String account, String start, String end) {
        accounts.apply(new SubscriptionPurchased("ev-" + account, "sub-" + account, 1, account, "sub-" + account,
                new Term(LocalDate.parse(start), LocalDate.parse(end))));
    }

    private void contact(String account, long version, String email, String locale) {
        accounts.apply(new ContactChanged("ev-c-" + account + version, "cust-" + account, version, account, email,
                Optional.ofNullable(locale).map(Locale::forLanguageTag)));
    }

    private static JsonNode mailTo(List<JsonNode> emails, String address) {
        return emails.stream().filter(e -> e.path("destination").path("to").get(0).asText().equals(address))
                .findFirst().orElseThrow(() -> new AssertionError("no mail to " + address + " in " + emails));
    }


    /** The permanent-bounce event of events/notifier, for the message and attempt actually sent. */
    private static Map<String, Object> bounceOf(String messageId, String attemptId, String address) {
        JsonNode event = Fixtures.json("ses-email-bounced-permanent.json").deepCopy();
        ObjectNode mail = (ObjectNode) event.path("detail").path("mail");
        mail.put("messageId", messageId);
        ((ArrayNode) mail.path("tags").path(NoticeMailer.ATTEMPT_TAG)).removeAll().add(attemptId);
        ((ArrayNode) mail.path("destination")).removeAll().add(address);
        ((ObjectNode) event.path("detail").path("bounce").path("bouncedRecipients").get(0)).put("emailAddress", address);
        return Fixtures.map(event);
    }

    @Test
    @DisplayName("S6.1-S6.4: publish, one notice per affected account through SES in its language, nothing on the second run, bounces handled")
    void noticeFlow() {
        subscribe("acme", "2026-03-17", "2027-06-16");
        contact("acme", 1, "ops@acme.example", "zh-CN");
        subscribe("globex", "2027-01-01", "2027-12-31"); // a future term
        contact("globex", 1, "sla@globex.example", null);
        subscribe("initech", "2026-01-01", "2027-12-31"); // no contact yet
        subscribe("hooli", "2025-11-01", "2026-10-31"); // term over: not affected
        contact("hooli", 1, "legal@hooli.example", "en");
        subscribe("umbrella", "2026-01-01", "2027-12-31");
        contact("umbrella", 1, "legal@umbrella.example", "en");
        sesEvents.handleRequest(bounceOf("earlier-message", "not-a-notice", "legal@umbrella.example"), null);
        ses.clear();

        // 1. publish (S6.1, S9.4): stored, and the dispatcher runs right after; the workers send
        APIGatewayV2HTTPResponse published = admin.handleRequest(Fixtures.putTermsEvent(), null);
        assertThat(published.getStatusCode()).isEqualTo(201);
        assertThat(terms.current()).get().extracting(v -> v.version()).isEqualTo("2027-01");
        assertThat(triggeredRuns).hasSize(1);
        assertThat(triggeredRuns.get(0).get("plan").toString()).as("S9.3 the quota read from SES GetAccount")
                .contains("maxSendRate=14").contains("max24HourSend=50000").contains("hourCap=1998");
        NoticeReport firstRun = drain();
        assertThat(firstRun.count(Outcome.SENT)).isEqualTo(2);
        assertThat(firstRun.count(Outcome.NO_CONTACT)).isEqualTo(1);
        assertThat(firstRun.count(Outcome.UNDELIVERABLE)).isEqualTo(1);
        assertThat(firstRun.entries(Outcome.NO_CONTACT).toString()).contains("initech");
        assertThat(firstRun.entries(Outcome.UNDELIVERABLE).toString()).contains("umbrella").contains("Bounce/Permanent");

        // 2. the mail, read back from the emulator (S6.2)
        List<JsonNode> emails = ses.emails();
        assertThat(emails).hasSize(2);
        assertThat(emails).allSatisfy(e -> {
            assertThat(e.path("from").asText()).isEqualTo(FROM);
            assertThat(e.path("destination").path("to")).hasSize(1);
            assertThat(e.path("destination").path("cc")).isEmpty();
            assertThat(e.path("destination").path("bcc")).isEmpty();
        });
        JsonNode acme = mailTo(emails, "ops@acme.example");
        assertThat(acme.path("subject").asText())
                .isEqualTo("Acme API SLA 变更通知：新条款 2027-01 自 2027年1月1日起适用于您的账户");
        assertThat(acme.path("body").path("text").asText())
                .contains("尊敬的客户（账户 acme）")
                .contains("- 服务可用性承诺：每个服务周期的服务可用性不低于 99.90%  →  每个服务周期的服务可用性不低于 99.95%")
                .contains("- 赔偿申请截止：服务周期结束后 2 个月内  →  服务周期结束后 3 个月内")
                .contains("您有权停止使用 Acme API");
        assertThat(acme.path("body").path("html").asText())
                .contains("<html lang=\"zh-CN\">")
                .contains("<time datetime=\"2027-01-01\">2027年1月1日</time>")
                .contains("现行条款（2026-01）").contains("新条款（2027-01）")
                .contains("您停止使用服务的权利（SLA 第 4 条）");
        JsonNode globex = mailTo(emails, "sla@globex.example");
        assertThat(globex.path("subject").asText())
                .isEqualTo("Acme API SLA change: new terms 2027-01 apply to your account from January 1, 2027");
        assertThat(globex.path("body").path("text").asText())
                .contains("Dear customer (account globex)")
                .contains("- Availability commitment: at least 99.90% availability per service period  ->  "
                        + "at least 99.95% availability per service period")
                .contains("you have the right to stop using Acme API")
                .doesNotContain("尊敬");
        assertThat(globex.path("body").path("html").asText()).contains("<html lang=\"en\">")
                .contains("Current terms (2026-01)").contains("New terms (2027-01)");

        // 3. the delivery records (S6.3 reads them)
        assertThat(notices.find("acme", "2027-01")).get().satisfies(d -> {
            assertThat(d.messageId()).isEqualTo(acme.path("messageId").asText());
            assertThat(d.sentOn()).isEqualTo(LocalDate.parse("2026-11-02"));
            assertThat(d.sentAt()).isAfterOrEqualTo(Instant.parse("2026-11-02T09:00:00Z"))
                    .isBefore(Instant.parse("2026-11-02T09:00:10Z")); // a send slot after the dispatch
        });
        assertThat(NoticeRules.governing(terms.published(), notices.sentDates("acme"), LocalDate.parse("2027-01-01"))
                .version()).isEqualTo("2027-01");
        assertThat(NoticeRules.governing(terms.published(), notices.sentDates("initech"), LocalDate.parse("2027-01-01"))
                .version()).as("never notified, never governed").isEqualTo("2026-01");

        // 4. the hourly run the next day lists nothing more and sends nothing (S6.4, S9.2)
        clock.set("2026-11-03T01:00:00Z");
        assertThat(hourly().counts()).isEmpty();
        assertThat(ses.emails()).hasSize(2);

        // 5. an account that joins later is told when billing announces it, and governed later (S6.3)
        clock.set("2026-12-15T01:00:00Z");
        subscribe("wayne", "2026-12-15", "2027-12-14");
        contact("wayne", 1, "sla@wayne.example", "en-GB");
        billingEventReachesTheQueue("SubscriptionPurchased", "wayne");
        assertThat(drain().count(Outcome.SENT)).isEqualTo(1);
        JsonNode wayne = mailTo(ses.emails(), "sla@wayne.example");
        assertThat(wayne.path("subject").asText()).endsWith("apply to your account from January 14, 2027");
        assertThat(wayne.path("body").path("text").asText()).contains("because this notice is sent on December 15, 2026");

        // 6. a hard bounce marks the contact; the account is reported, not retried (S6.4) ...
        String globexAttempt = notices.stored("globex", "2027-01").orElseThrow().attemptId();
        sesEvents.handleRequest(bounceOf(globex.path("messageId").asText(), globexAttempt, "sla@globex.example"), null);
        assertThat(notices.stored("globex", "2027-01")).get().extracting(r -> r.state()).isEqualTo(State.BOUNCED);
        assertThat(notices.sentDates("globex")).isEmpty();
        clock.set("2026-12-16T01:00:00Z");
        assertThat(hourly().counts()).as("nothing parked for a hard bounce").isEmpty();
        billingEventReachesTheQueue("SubscriptionPurchased", "globex"); // a term renewed, same address
        NoticeReport afterBounce = drain();
        assertThat(afterBounce.count(Outcome.UNDELIVERABLE)).isEqualTo(1);
        assertThat(afterBounce.entries(Outcome.UNDELIVERABLE).toString()).contains("globex");
        assertThat(ses.emails()).hasSize(3);

        // ... until the customer gives a new address
        contact("globex", 2, "legal@globex.example", "en");
        clock.set("2026-12-17T01:00:00Z");
        billingEventReachesTheQueue("ContactChanged", "globex");
        assertThat(drain().count(Outcome.SENT)).isEqualTo(1);
        assertThat(ses.emails()).hasSize(4);
        mailTo(ses.emails(), "legal@globex.example");
        assertThat(notices.sentDates("globex")).containsEntry("2027-01", LocalDate.parse("2026-12-17"));
        assertThat(queue.failed).isEmpty();

        // 7. S9.2: a unit on its last receive leaves a rescue record in the Ledger first and removes it once done
        com.amazonaws.services.lambda.runtime.events.SQSEvent last = new com.amazonaws.services.lambda.runtime.events.SQSEvent();
        com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage m =
                new com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage();
        m.setMessageId("last-receive");
        m.setBody("{\"notice\":\"CHANGE\",\"key\":\"2027-01\",\"accountIds\":[\"acme\"],\"attempt\":1,\"versions\":2}");
        m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(NoticeWorkerHandler.Redelivery.deployed()
                .maxReceives())));
        last.setRecords(List.of(m));
        assertThat(worker.handleRequest(last, null).getBatchItemFailures()).isEmpty();
        assertThat(workerReports.get(workerReports.size() - 1).count(Outcome.ALREADY_SENT)).isEqualTo(1);
        assertThat(dynamo.query(b -> b.tableName(LEDGER).keyConditionExpression("pk = :pk").expressionAttributeValues(
                Map.of(":pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("NOTICEPARK"))))
                .items()).as("the rescue record is gone: the unit is done").isEmpty();
    }
}
