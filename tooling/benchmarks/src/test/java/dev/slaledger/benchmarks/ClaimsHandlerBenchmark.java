package dev.slaledger.benchmarks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.adapter.eventbridge.EventBridgeVoucherEvents;
import dev.slaledger.adapter.eventbridge.EventRules;
import dev.slaledger.claims.ClaimsConfig;
import dev.slaledger.claims.ClaimsHandler;
import dev.slaledger.claims.ClaimsWiring;
import dev.slaledger.core.traffic.AggregateKey;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.traffic.KeyBatch;
import dev.slaledger.emulators.MotoServer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Issue 6 item 6, re-run for issue 17 item 5: in-process latency of the claims handler's
 * {@code POST /claims} against moto (server mode, single-threaded, on a loopback port, reached over
 * HTTP by the function's own URLConnection client, as in Lambda) for DynamoDB and EventBridge (the
 * bus with the deployed rules; VoucherIssued reaches moto's billing queue), every call through
 * the per-account rate limiter, and the handler's construction time. Baseline, in the same run:
 * one bare GetItem of a missing key on the same engine (one engine round trip). A plain main, not a
 * JMH benchmark: each call changes state (a claim is accepted once), so every measured call is
 * one real request. See docs/benchmarks.md for the command and the figures.
 */
public final class ClaimsHandlerBenchmark {
    /** Defaults; arguments {@code [accounts] [warmup] [repeats]} override them (moto is slow to seed 1,000 accounts). */
    private static int WARMUP = 100;
    private static int ACCOUNTS = 400;
    private static int REPEATS = 2_000;
    private static final int CONSTRUCTIONS = 200;

    private static long baselineP50;
    private static long baselineP99;

    private ClaimsHandlerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        ACCOUNTS = args.length > 0 ? Integer.parseInt(args[0]) : ACCOUNTS;
        WARMUP = args.length > 1 ? Integer.parseInt(args[1]) : WARMUP;
        REPEATS = args.length > 2 ? Integer.parseInt(args[2]) : REPEATS;
        // Construction first, in a fresh JVM: the first one is what a cold start pays (class loading).
        ClaimsConfig prodLike = new ClaimsConfig("eu-west-1", "ledger", "accounts", "aggregates", "bus", "sub");
        long t0 = System.nanoTime();
        ClaimsHandler first = new ClaimsHandler(ClaimsWiring.create(prodLike, Clock.systemUTC()).api());
        long coldNanos = System.nanoTime() - t0;
        long[] warm = new long[CONSTRUCTIONS];
        for (int i = 0; i < CONSTRUCTIONS; i++) {
            long s = System.nanoTime();
            ClaimsWiring.create(prodLike, Clock.systemUTC());
            warm[i] = System.nanoTime() - s;
        }
        System.out.printf("construction: first (cold JVM) %.1f ms; then p50 %.2f ms, p99 %.2f ms over %d%n",
                coldNanos / 1e6, pct(warm, 50) / 1e6, pct(warm, 99) / 1e6, CONSTRUCTIONS);
        if (first == null) {
            throw new IllegalStateException();
        }

        MotoServer server = MotoServer.start();
        int port = server.endpoint().getPort();
        System.out.printf("engine: moto %s (server mode, single-threaded) on %s (DynamoDB, EventBridge, SQS)%n",
                server.version(), server.endpoint());
        try (SqsClient sqs = server.sqs(new ExecutionInterceptor() { })) {
            DynamoDbClient dynamo = DynamoDbClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            EventBridgeClient events = EventBridgeClient.builder()
                    .endpointOverride(server.endpoint())
                    .region(Region.EU_WEST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("l", "l")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
            // Every call takes the rate limiter's UpdateItem as in production, but is never refused:
            // the repeated-claim loop sends 2,500 requests of one account within the fixed clock's minute.
            ClaimsConfig config = new ClaimsConfig("eu-west-1", "bench-ledger", "bench-accounts", "bench-aggregates",
                    "bus", "sub", Integer.MAX_VALUE);
            createTables(dynamo, config);
            events.createEventBus(b -> b.name("bus"));
            EventRules.install(events, "bus", rule -> {
                String url = sqs.createQueue(b -> b.queueName("bench-" + rule.name())).queueUrl();
                return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
            });
            int total = 2 * (WARMUP + ACCOUNTS);
            long seed = System.nanoTime();
            seed(dynamo, config, total);
            System.out.printf("seeded %d accounts (10 failed intervals each) in %.1f s%n", total,
                    (System.nanoTime() - seed) / 1e9);

            Clock clock = Clock.fixed(Instant.parse("2026-11-10T08:00:00Z"), ZoneOffset.UTC);
            ClaimsHandler handler = new ClaimsHandler(ClaimsWiring.create(config, dynamo,
                    new EventBridgeVoucherEvents(events, "bus"), s -> { }, clock,
                    () -> UUID.randomUUID().toString()).api());

            // 0. baseline: one engine round trip (GetItem of a key that does not exist)
            long[] floor = new long[REPEATS];
            for (int i = 0; i < WARMUP * 5 + REPEATS; i++) {
                long s = System.nanoTime();
                dynamo.getItem(b -> b.tableName(config.ledgerTable()).key(Map.of(
                        "pk", AttributeValue.fromS("#bench#none"), "sk", AttributeValue.fromS("#none"))));
                if (i >= WARMUP * 5) {
                    floor[i - WARMUP * 5] = System.nanoTime() - s;
                }
            }
            baselineP50 = pct(floor, 50);
            baselineP99 = pct(floor, 99);
            System.out.printf("%-45s n=%5d  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n",
                    "baseline: bare GetItem (one round trip)", REPEATS, baselineP50 / 1e6, baselineP99 / 1e6,
                    Arrays.stream(floor).max().orElse(0) / 1e6);
            // 1. first claim of an account-month whose statement is missing: recompute + store + accept + announce
            run("first claim, statement computed by the claim", handler, i -> post("a" + i), 0, WARMUP, ACCOUNTS);
            // 2. first claim, statement already stored by the month-end (here: by GET /statements)
            for (int i = WARMUP + ACCOUNTS; i < total; i++) {
                handler.handleRequest(get("a" + i, "/statements/2026-10"), null);
            }
            run("first claim, statement stored", handler, i -> post("a" + i), WARMUP + ACCOUNTS, WARMUP, ACCOUNTS);
            // 3. a repeated claim: the standing accepted claim is returned
            run("repeated claim (200, standing claim)", handler, i -> post("a0"), 0, WARMUP * 5, REPEATS);
            run("GET /vouchers", handler, i -> get("a0", "/vouchers"), 0, WARMUP * 5, REPEATS);
            String billingQueue = sqs.getQueueUrl(b -> b.queueName("bench-" + EventRules.BILLING_OUTBOUND)).queueUrl();
            System.out.println("VoucherIssued events on moto's billing queue (BillingOutbound rule): "
                    + sqs.getQueueAttributes(b -> b.queueUrl(billingQueue)
                            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                            .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
            dynamo.close();
            events.close();
        } finally {
            server.close();
        }
    }

    private static void run(String name, ClaimsHandler handler, IntFunction<APIGatewayV2HTTPEvent> request,
            int offset, int warmup, int measured) {
        for (int i = 0; i < warmup; i++) {
            check(handler.handleRequest(request.apply(offset + i), null));
        }
        long[] nanos = new long[measured];
        for (int i = 0; i < measured; i++) {
            APIGatewayV2HTTPEvent e = request.apply(offset + warmup + i);
            long s = System.nanoTime();
            APIGatewayV2HTTPResponse r = handler.handleRequest(e, null);
            nanos[i] = System.nanoTime() - s;
            check(r);
        }
        System.out.printf("%-45s n=%5d  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms  (p50 %.1fx, p99 %.1fx the"
                + " baseline's)%n", name, measured, pct(nanos, 50) / 1e6, pct(nanos, 99) / 1e6,
                Arrays.stream(nanos).max().orElse(0) / 1e6, pct(nanos, 50) / (double) baselineP50,
                pct(nanos, 99) / (double) baselineP99);
    }

    private static void check(APIGatewayV2HTTPResponse r) {
        if (r.getStatusCode() >= 300) {
            throw new IllegalStateException("unexpected " + r.getStatusCode() + " " + r.getBody());
        }
    }

    private static long pct(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static APIGatewayV2HTTPEvent post(String account) {
        APIGatewayV2HTTPEvent e = event(account, "POST", "/claims");
        e.setBody("{\"month\":\"2026-10\"}");
        e.getHeaders().put("content-type", "application/json");
        return e;
    }

    private static APIGatewayV2HTTPEvent get(String account, String path) {
        return event(account, "GET", path);
    }

    private static APIGatewayV2HTTPEvent event(String account, String method, String path) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(Map.of("sub", account, "token_use", "access"));
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(path);
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        ctx.setHttp(http);
        ctx.setStage("$default");
        ctx.setAuthorizer(authorizer);
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setRawPath(path);
        e.setRequestContext(ctx);
        e.setHeaders(new HashMap<>());
        return e;
    }

    private static void createTables(DynamoDbClient dynamo, ClaimsConfig config) {
        LedgerTable.create(dynamo, config.ledgerTable());
        AccountsTable.create(dynamo, config.accountsTable());
        DynamoDbAggregateStore.createTable(dynamo, config.aggregatesTable());
    }

    /** Accounts a0..a{n-1}: Oct-Dec 2026 term, 1000.00 EUR October fee, 10 failed intervals (A = 99.89%, 10%). */
    private static void seed(DynamoDbClient dynamo, ClaimsConfig config, int n) {
        BillingEventParser parser = new BillingEventParser();
        DynamoDbAccountRepository accounts = new DynamoDbAccountRepository(dynamo, config.accountsTable());
        DynamoDbAggregateStore aggregates = new DynamoDbAggregateStore(dynamo, config.aggregatesTable(),
                Duration.ofDays(3650));
        long sequence = 1_000_000;
        long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
        for (int a = 0; a < n; a++) {
            String id = "a" + a;
            accounts.apply(parser.parse(envelope("SubscriptionPurchased", "{\"billingId\":\"s-" + id
                    + "\",\"billingVersion\":1,\"accountId\":\"" + id + "\",\"subscriptionId\":\"s-" + id
                    + "\",\"start\":\"2026-10-01\",\"end\":\"2026-12-31\"}")));
            accounts.apply(parser.parse(envelope("FeeAssessed", "{\"billingId\":\"f-" + id
                    + "\",\"billingVersion\":1,\"accountId\":\"" + id
                    + "\",\"month\":\"2026-10\",\"amount\":\"1000.00\",\"voucherPaid\":\"0.00\",\"currency\":\"EUR\"}")));
            for (int i = 0; i < 10; i++) {
                KeyBatch batch = new KeyBatch(new AggregateKey(id, start + 300L * i));
                batch.add("shardId-000000000000", Long.toString(++sequence), new IntervalCounts(10, 10, 0, 0), 0);
                aggregates.apply(batch);
            }
        }
    }

    private static String envelope(String type, String detail) {
        return "{\"version\":\"0\",\"id\":\"" + UUID.randomUUID() + "\",\"detail-type\":\"" + type
                + "\",\"source\":\"billing\",\"account\":\"123456789012\",\"time\":\"2026-10-01T00:00:00Z\","
                + "\"region\":\"eu-west-1\",\"resources\":[],\"detail\":" + detail + "}";
    }
}
