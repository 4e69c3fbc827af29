package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbMaintenanceWindowRepository;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeForecastEvents;
import dev.slaledger.adapter.sqs.SqsStatementWorkQueue;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.emulators.SqsEsm;
import dev.slaledger.testkit.ApiContract;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.LoopbackEventBridge;
import dev.slaledger.testkit.UsesEngines;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The liability forecast job (S9.8) end to end on the engines, as deployed: the schedule's invocation
 * of {@link ForecastHandler} sends the month under way's accounts to an SQS queue (ElasticMQ), the
 * queue's event source mapping (SqsEsm, the deployed batch) hands them to {@link ForecastWorkerHandler}
 * on DynamoDB (moto), which announces SlaAtRisk on an EventBridge client (loopback) only when a status
 * changes; {@link ForecastApiHandler} then answers GET /admin/forecast from the at-risk list. Four daily
 * runs over dense traffic (every 5-minute interval of every account has an aggregate): the read units
 * per account per day of a run are measured on the worker's client (the target: at most 10).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@UsesEngines
class ForecastJobIT {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    /** October in the default terms' zone (UTC). */
    private static final Instant MONTH_START = Instant.parse("2026-10-01T00:00:00Z");
    /** The schedule fires at 02:00 in the terms' zone: the first run on October 2nd. */
    private static final Instant FIRST_RUN = Instant.parse("2026-10-02T02:00:00Z");
    private static final int RUNS = 4;
    private static final List<String> OK = List.of("ok-1", "ok-2", "ok-3", "ok-4", "ok-5");
    /** 2 failed intervals a day: at risk (projected past the budget) until the sum passes the budget. */
    private static final String RISK = "risk";
    /** 20 failed intervals on its first day: compensable from the first run. */
    private static final String BAD = "bad";
    private static final SqsEsm.Settings MAPPING = new SqsEsm.Settings(5, Duration.ZERO, 1,
            Duration.ofMinutes(12), true, 5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static DynamoDbClient dynamo;
    private static DynamoDbClient workerDynamo;
    private static SqsClient sqs;
    private static String queueUrl;
    private static LoopbackEventBridge bus;
    private static final SettableClock clock = new SettableClock(FIRST_RUN);
    private static final ReadUnits reads = new ReadUnits();
    private static ForecastHandler fanOut;
    private static ForecastWorkerHandler worker;
    private static final List<Double> unitsPerAccountPerRun = new ArrayList<>();
    private static final List<Long> itemsPerAccountPerRun = new ArrayList<>();

    @BeforeAll
    static void start() {
        dynamo = Engines.get().dynamoDbClient();
        workerDynamo = Engines.get().dynamoDb().overrideConfiguration(c -> c.addExecutionInterceptor(reads)).build();
        sqs = Engines.get().sqs().build();
        queueUrl = SqsEsm.createQueue(sqs, "forecast-work", MAPPING).url();
        LedgerTable.create(dynamo, "fc-ledger");
        AccountsTable.create(dynamo, "fc-accounts");
        DynamoDbAggregateStore.createTable(dynamo, "fc-aggregates");
        Map<String, String> env = Map.of("LEDGER_TABLE", "fc-ledger", "ACCOUNTS_TABLE", "fc-accounts",
                "AGGREGATES_TABLE", "fc-aggregates", "WORK_BATCH_SIZE", "3");
        bus = new LoopbackEventBridge();
        MonthEndWiring wiring = new MonthEndWiring(env, dynamo, clock);
        fanOut = new ForecastHandler(wiring.forecastFanOut(new SqsStatementWorkQueue(sqs, queueUrl)), wiring.terms(),
                clock);
        MonthEndWiring workerWiring = new MonthEndWiring(env, workerDynamo, clock);
        worker = new ForecastWorkerHandler(workerWiring.liabilityForecast(
                new EventBridgeForecastEvents(bus.client, "sla-ledger-bus"), workerWiring.ledger().aggregates()));
        seed();
    }

    @AfterAll
    static void stop() {
        bus.close();
        sqs.close();
        workerDynamo.close();
        dynamo.close();
    }

    private static List<String> all() {
        List<String> ids = new ArrayList<>(OK);
        ids.add(RISK);
        ids.add(BAD);
        return ids;
    }

    /** Every interval of every account from the month's start to the last run, with its failures. */
    private static void seed() {
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, "fc-accounts");
        int version = 1;
        for (String account : all()) {
            accounts.apply(new SubscriptionPurchased("e" + version, "sub-" + account, version, account,
                    "sub-" + account, new Term(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))));
            accounts.apply(new FeeAssessed("f" + version, "fee-" + account, version, account, OCTOBER,
                    MonthlyFee.of("1000.00", "0.00", "EUR")));
            version++;
        }
        Map<AggregateKey, IntervalCounts> aggregates = new LinkedHashMap<>();
        Instant end = FIRST_RUN.plus(Duration.ofDays(RUNS));
        for (String account : all()) {
            for (Instant t = MONTH_START; t.isBefore(end); t = t.plusSeconds(300)) {
                long day = Duration.between(MONTH_START, t).toDays();
                long minuteOfDay = Duration.between(MONTH_START.plus(Duration.ofDays(day)), t).toMinutes();
                boolean failed = account.equals(RISK) && (minuteOfDay == 300 || minuteOfDay == 600)
                        || account.equals(BAD) && day == 0 && minuteOfDay >= 120 && minuteOfDay < 220;
                aggregates.put(new AggregateKey(account, t.getEpochSecond()),
                        failed ? new IntervalCounts(100, 100, 0, 0) : new IntervalCounts(1000, 0, 0, 0));
            }
        }
        new DynamoDbAggregateStore(dynamo, "fc-aggregates", Duration.ofDays(3650)).load(aggregates);
    }

    /** One daily run as deployed: the schedule's invocation, then the queue drained into the worker. */
    private static void run() {
        Map<String, Object> out = fanOut.handleRequest(Map.of(), null);
        assertThat(out).containsEntry("month", "2026-10").containsEntry("accounts", (long) all().size());
        reads.reset();
        SqsEsm.Stats stats = new SqsEsm(MAPPING, sqs, queueUrl, ForecastJobIT::invokeWorker).drain();
        assertThat(stats.partialFailures + stats.functionErrors).as("failed invocations").isZero();
        assertThat(stats.messagesDelivered).isEqualTo(3);
        unitsPerAccountPerRun.add(reads.units() / all().size());
        itemsPerAccountPerRun.add(reads.items() / all().size());
    }

    /** What Lambda hands a Map handler for an SQS event, and the partial batch response it reads back. */
    private static SQSBatchResponse invokeWorker(SQSEvent event) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            records.add(Map.of("messageId", m.getMessageId(), "body", m.getBody(), "eventSource", "aws:sqs"));
        }
        Map<String, Object> out = worker.handleRequest(Map.of("Records", records), null);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (Object f : (List<?>) out.get("batchItemFailures")) {
            failures.add(new SQSBatchResponse.BatchItemFailure(String.valueOf(((Map<?, ?>) f).get("itemIdentifier"))));
        }
        return new SQSBatchResponse(failures);
    }

    private static List<String> atRiskEvents() {
        List<String> out = new ArrayList<>();
        for (JsonNode d : bus.details(EventBridgeForecastEvents.DETAIL_TYPE)) {
            out.add(d.get("accountId").asText() + " " + d.get("previousStatus").asText() + "->"
                    + d.get("status").asText());
        }
        return out;
    }

    @Test
    @Order(1)
    @DisplayName("S9.8 daily runs through SQS: statuses, SlaAtRisk only on a change, a window re-reads the month, and the read units per account per day")
    void dailyRuns() {
        MonthEndWiring wiring = new MonthEndWiring(Map.of("LEDGER_TABLE", "fc-ledger", "ACCOUNTS_TABLE", "fc-accounts",
                "AGGREGATES_TABLE", "fc-aggregates"), dynamo, clock);
        run();
        assertThat(wiring.forecasts().find(BAD, OCTOBER).orElseThrow().status()).isEqualTo(ForecastStatus.COMPENSABLE);
        assertThat(wiring.forecasts().find(RISK, OCTOBER).orElseThrow().status()).isEqualTo(ForecastStatus.AT_RISK);
        for (String ok : OK) {
            assertThat(wiring.forecasts().find(ok, OCTOBER).orElseThrow().status()).as(ok).isEqualTo(ForecastStatus.OK);
        }
        assertThat(atRiskEvents()).containsExactlyInAnyOrder("bad ok->compensable", "risk ok->at-risk");
        clock.set(FIRST_RUN.plus(Duration.ofDays(1)));
        run();
        assertThat(atRiskEvents()).as("no status changed: nothing more announced")
                .containsExactlyInAnyOrder("bad ok->compensable", "risk ok->at-risk");
        // A window announced in time over bad's failed intervals (S2.4): the basis changed, the next run reads
        // bad's month again from its start, bad is ok again and leaves the at-risk list
        new DynamoDbMaintenanceWindowRepository(dynamo, "fc-ledger").save(new MaintenanceWindow("mw-bad",
                MONTH_START.plus(Duration.ofMinutes(120)), MONTH_START.plus(Duration.ofMinutes(220)),
                Instant.parse("2026-09-20T00:00:00Z"), Optional.of(Set.of(BAD))));
        for (int day = 2; day < RUNS; day++) {
            clock.set(FIRST_RUN.plus(Duration.ofDays(day)));
            run();
        }
        // risk: 2 per day, the budget at 99.90% of 8,928 intervals is 8.928: passed on the 5th day's intervals
        var risk = wiring.forecasts().find(RISK, OCTOBER).orElseThrow();
        assertThat(risk.errorRateSum()).isEqualByComparingTo("8");
        assertThat(risk.status()).isEqualTo(ForecastStatus.AT_RISK);
        var bad = wiring.forecasts().find(BAD, OCTOBER).orElseThrow();
        assertThat(bad.errorRateSum()).isEqualByComparingTo("0");
        assertThat(bad.status()).isEqualTo(ForecastStatus.OK);
        assertThat(atRiskEvents()).containsExactlyInAnyOrder("bad ok->compensable", "risk ok->at-risk",
                "bad compensable->ok");
        // The first run reads the month so far (1 day and 2 hours); each later run reads one day.
        System.out.printf("ForecastJobIT: read units per account per run (estimated from the items returned): %s;"
                + " items read per account per run: %s%n", unitsPerAccountPerRun, itemsPerAccountPerRun);
        // a day is 288 intervals: each run reads the intervals since the last one, not the month so far
        assertThat(itemsPerAccountPerRun.get(1)).isLessThan(288 + 20);
        assertThat(itemsPerAccountPerRun.get(3)).isLessThan(288 + 20);
        // the third run re-reads bad's month (the window changed its basis): counted in that day's figure
        for (double units : unitsPerAccountPerRun.subList(1, unitsPerAccountPerRun.size())) {
            assertThat(units).as("read units per account per day (S9.8 target: at most 10)").isLessThanOrEqualTo(10.0);
        }
    }

    @Test
    @Order(2)
    @DisplayName("S9.8 GET /admin/forecast on the engines: the at-risk list and its totals, for a month or the one under way")
    void adminRoute() throws Exception {
        ForecastApiHandler api = new ForecastApiHandler(new MonthEndWiring(Map.of("LEDGER_TABLE", "fc-ledger",
                "ACCOUNTS_TABLE", "fc-accounts", "AGGREGATES_TABLE", "fc-aggregates"), dynamo, clock).forecasts(),
                new MonthEndWiring(Map.of("LEDGER_TABLE", "fc-ledger", "ACCOUNTS_TABLE", "fc-accounts"), dynamo, clock)
                        .terms(), clock);
        APIGatewayV2HTTPEvent event = EventLoader.loadApiGatewayHttpEvent("../../events/monthend/admin-get-forecast.json");
        event.setRawQueryString("month=2026-10");
        event.setQueryStringParameters(Map.of("month", "2026-10"));
        APIGatewayV2HTTPResponse response = ApiContract.checked(event, api.handleRequest(event, null));
        assertThat(response.getStatusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.at("/totals/accountsAtRisk").asLong()).isEqualTo(1);
        assertThat(body.at("/totals/accountsCompensable").asLong()).isZero();
        List<String> listed = new ArrayList<>();
        body.get("forecasts").forEach(f -> listed.add(f.get("accountId").asText()));
        assertThat(listed).as("bad left the list when it was ok again").containsExactly(RISK);
        assertThat(body.get("cursor").isNull()).isTrue();

        // without a month: the month under way in the terms' zone
        event.setRawQueryString("");
        event.setQueryStringParameters(null);
        JsonNode current = JSON.readTree(ApiContract.checked(event, api.handleRequest(event, null)).getBody());
        assertThat(current.get("month").asText()).isEqualTo("2026-10");
        assertThat(current.get("forecasts")).hasSize(1);

        event.setRawQueryString("month=2026-10&status=at-risk&limit=1");
        event.setQueryStringParameters(Map.of("month", "2026-10", "status", "at-risk", "limit", "1"));
        JsonNode page = JSON.readTree(ApiContract.checked(event, api.handleRequest(event, null)).getBody());
        assertThat(page.get("forecasts")).hasSize(1);
        assertThat(page.at("/forecasts/0/accountId").asText()).isEqualTo(RISK);
    }

    /**
     * Estimates the read request units of the items DynamoDB returned (Query and GetItem), by DynamoDB's
     * rules: a request is billed its items' total size rounded up to 4 KB (at least one unit), half of
     * it when eventually consistent. Item size: UTF-8 lengths of attribute names plus values. moto's
     * own ConsumedCapacity is a constant, so it is not used.
     */
    static final class ReadUnits implements ExecutionInterceptor {
        private double units;
        private long items;

        @Override
        public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            if (context.response() instanceof QueryResponse q && context.request() instanceof QueryRequest r) {
                units += units(q.items(), Boolean.TRUE.equals(r.consistentRead()));
                items += q.count();
            } else if (context.response() instanceof GetItemResponse g && context.request() instanceof GetItemRequest r) {
                units += units(g.hasItem() ? List.of(g.item()) : List.of(), Boolean.TRUE.equals(r.consistentRead()));
                items += g.hasItem() ? 1 : 0;
            }
        }

        synchronized double units() {
            return units;
        }

        synchronized long items() {
            return items;
        }

        synchronized void reset() {
            units = 0;
            items = 0;
        }

        private static double units(Collection<Map<String, AttributeValue>> items, boolean consistent) {
            long bytes = 0;
            for (Map<String, AttributeValue> item : items) {
                for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
                    bytes += a.getKey().getBytes(StandardCharsets.UTF_8).length + size(a.getValue());
                }
            }
            long blocks = Math.max(1, (bytes + 4095) / 4096);
            return consistent ? blocks : blocks / 2.0;
        }

        private static long size(AttributeValue v) {
            if (v.s() != null) {
                return v.s().getBytes(StandardCharsets.UTF_8).length;
            }
            if (v.n() != null) {
                return v.n().length() / 2 + 1;
            }
            if (v.bool() != null || v.nul() != null) {
                return 1;
            }
            if (v.b() != null) {
                return v.b().asByteArray().length;
            }
            long total = 3;
            if (v.hasM()) {
                for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                    total += 1 + e.getKey().getBytes(StandardCharsets.UTF_8).length + size(e.getValue());
                }
            }
            if (v.hasL()) {
                for (AttributeValue e : v.l()) {
                    total += 1 + size(e);
                }
            }
            if (v.hasSs()) {
                total += v.ss().stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
            }
            if (v.hasNs()) {
                total += v.ns().stream().mapToLong(s -> s.length() / 2 + 1).sum();
            }
            return total;
        }
    }
}
