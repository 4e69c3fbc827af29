package dev.slaledger.adapter.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.emulators.LocalAws;
import dev.slaledger.emulators.MotoServer;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The bus rules on an engine: moto's EventBridge (server mode, single-threaded) with the shared
 * patterns the CDK app deploys (event-rules.json, through {@link EventRules#install}), each rule
 * delivering to a queue of moto's SQS (moto delivers rules to SQS, not to Lambda). The real
 * adapters put the events; what each queue received is what each target would be invoked with.
 * A matching event is delivered once to its rule's target; a non-matching one to none.
 */
class EventRulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUS = "sla-it-bus";
    private static MotoServer moto;
    private static EventBridgeClient events;
    private static SqsClient sqs;
    private static final Map<String, String> queueOfRule = new HashMap<>();

    @BeforeAll
    static void engine() {
        moto = MotoServer.start();
        sqs = moto.sqs(new ExecutionInterceptor() { });
        events = LocalAws.on(EventBridgeClient.builder(), moto.endpoint()).build();
        events.createEventBus(b -> b.name(BUS));
        EventRules.install(events, BUS, rule -> {
            String url = sqs.createQueue(b -> b.queueName("it-" + rule.name())).queueUrl();
            queueOfRule.put(rule.name(), url);
            return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
        });
    }

    @AfterAll
    static void stop() {
        if (events != null) {
            events.close();
            sqs.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void emptyQueues() {
        queueOfRule.values().forEach(url -> sqs.purgeQueue(b -> b.queueUrl(url)));
    }

    /** What each rule's queue holds now: rule name -> delivered event envelopes. */
    private static Map<String, List<JsonNode>> delivered() throws Exception {
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (Map.Entry<String, String> q : queueOfRule.entrySet()) {
            List<JsonNode> bodies = new ArrayList<>();
            for (List<Message> batch = receive(q.getValue()); !batch.isEmpty(); batch = receive(q.getValue())) {
                for (Message m : batch) {
                    bodies.add(JSON.readTree(m.body()));
                    sqs.deleteMessage(b -> b.queueUrl(q.getValue()).receiptHandle(m.receiptHandle()));
                }
            }
            out.put(q.getKey(), bodies);
        }
        return out;
    }

    private static List<Message> receive(String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)).messages();
    }

    @Test
    @DisplayName("S7.2, S4.4: StatementCompensable and VoucherIssued from the real adapters reach the billing queue through the BillingOutbound rule, and nothing else")
    void outboundEventsReachTheBillingQueue() throws Exception {
        Statement statement = EventBridgeStatementEventsIT.compensable();
        new EventBridgeStatementEvents(events, BUS).compensableStatement(statement);
        Claim claim = new Claim("claim-1", "acme", YearMonth.parse("2026-10"), Instant.parse("2026-11-10T08:00:00Z"),
                ClaimDecision.accept(statement));
        new EventBridgeVoucherEvents(events, BUS).voucherIssued(claim);

        Map<String, List<JsonNode>> got = delivered();
        List<JsonNode> billing = got.get(EventRules.BILLING_OUTBOUND);
        assertThat(billing).extracting(e -> e.get("detail-type").asText())
                .containsExactlyInAnyOrder("StatementCompensable", "VoucherIssued");
        assertThat(billing).allSatisfy(e -> assertThat(e.get("source").asText()).isEqualTo("sla-ledger"));
        JsonNode voucher = billing.stream().filter(e -> e.get("detail-type").asText().equals("VoucherIssued"))
                .findFirst().orElseThrow().get("detail");
        assertThat(voucher.get("claimId").asText()).isEqualTo("claim-1");
        assertThat(voucher.get("amount").asText()).isEqualTo("100.00");
        JsonNode d3 = billing.stream().filter(e -> e.get("detail-type").asText().equals("StatementCompensable"))
                .findFirst().orElseThrow().get("detail");
        assertThat(d3.get("voucherAmount").asText()).isEqualTo("100.00");
        assertThat(got.get(EventRules.BILLING_EVENTS)).isEmpty();
        assertThat(got.get(EventRules.TERMS_PUBLISHED)).isEmpty();
    }

    @Test
    @DisplayName("D2: a billing event of any detail-type reaches the accounts target as the envelope Lambda gets; an event of another source does not")
    void billingEventsReachTheAccountsTarget() throws Exception {
        String detail = "{\"billingId\":\"b-1\",\"billingVersion\":1,\"accountId\":\"acme\"}";
        events.putEvents(b -> b.entries(
                e -> e.eventBusName(BUS).source("billing").detailType("SubscriptionPurchased").detail(detail)
                        .time(Instant.parse("2026-11-03T09:00:00Z")),
                e -> e.eventBusName(BUS).source("billing").detailType("SomethingNew").detail(detail),
                e -> e.eventBusName(BUS).source("billing.test").detailType("SubscriptionPurchased").detail(detail),
                e -> e.eventBusName(BUS).source("Billing").detailType("SubscriptionPurchased").detail(detail)));

        Map<String, List<JsonNode>> got = delivered();
        List<JsonNode> accounts = got.get(EventRules.BILLING_EVENTS);
        assertThat(accounts).extracting(e -> e.get("detail-type").asText())
                .containsExactlyInAnyOrder("SubscriptionPurchased", "SomethingNew");
        JsonNode purchased = accounts.stream().filter(e -> e.get("detail-type").asText().equals("SubscriptionPurchased"))
                .findFirst().orElseThrow();
        assertThat(purchased.get("detail").get("billingId").asText()).isEqualTo("b-1");
        assertThat(Instant.parse(purchased.get("time").asText())).isEqualTo(Instant.parse("2026-11-03T09:00:00Z"));
        // moto's envelope has no "account" field (AWS's has): docs/architecture.md, what the emulators prove
        assertThat(purchased.has("id") && purchased.has("region") && purchased.has("version")).isTrue();
        assertThat(got.get(EventRules.BILLING_OUTBOUND)).isEmpty();
        assertThat(got.get(EventRules.TERMS_PUBLISHED)).isEmpty();
    }

    @Test
    @DisplayName("S6.2: TermsPublished reaches the notifier target only; an sla-ledger event of another detail-type reaches nothing")
    void termsPublishedReachesTheNotifierOnly() throws Exception {
        new EventBridgeNotifierTrigger(events, BUS).termsPublished(DefaultTerms.version());
        events.putEvents(b -> b.entries(e -> e.eventBusName(BUS).source("sla-ledger").detailType("StatementStored")
                .detail("{}")));

        Map<String, List<JsonNode>> got = delivered();
        assertThat(got.get(EventRules.TERMS_PUBLISHED)).singleElement()
                .satisfies(e -> assertThat(e.get("detail").get("version").asText())
                        .isEqualTo(DefaultTerms.version().version()));
        assertThat(got.get(EventRules.BILLING_OUTBOUND)).isEmpty();
        assertThat(got.get(EventRules.BILLING_EVENTS)).isEmpty();
    }

    @Test
    @DisplayName("S8.2 S6.2: StatementCompensable reaches the notice queue as well as billing's; of the billing events only a new term or contact does, and not to the accounts target's exclusion")
    void noticeRulesReachTheNoticeQueue() throws Exception {
        new EventBridgeStatementEvents(events, BUS).compensableStatement(EventBridgeStatementEventsIT.compensable());
        String detail = "{\"billingId\":\"b-1\",\"billingVersion\":1,\"accountId\":\"acme\"}";
        events.putEvents(b -> b.entries(
                e -> e.eventBusName(BUS).source("billing").detailType("SubscriptionPurchased").detail(detail),
                e -> e.eventBusName(BUS).source("billing").detailType("ContactChanged").detail(detail),
                e -> e.eventBusName(BUS).source("billing").detailType("FeeAssessed").detail(detail)));

        Map<String, List<JsonNode>> got = delivered();
        assertThat(got.get(EventRules.NOTICE_STATEMENT_EVENTS)).singleElement().satisfies(e -> {
            assertThat(e.get("detail-type").asText()).isEqualTo("StatementCompensable");
            assertThat(e.get("detail").get("accountId").asText()).isEqualTo("acme");
            assertThat(e.get("detail").get("month").asText()).isEqualTo("2026-10");
        });
        assertThat(got.get(EventRules.NOTICE_BILLING_EVENTS)).extracting(e -> e.get("detail-type").asText())
                .containsExactlyInAnyOrder("SubscriptionPurchased", "ContactChanged");
        assertThat(got.get(EventRules.BILLING_EVENTS)).hasSize(3);
        assertThat(got.get(EventRules.BILLING_OUTBOUND)).hasSize(1);
    }
}
