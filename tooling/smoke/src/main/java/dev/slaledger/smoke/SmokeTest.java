package dev.slaledger.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.core.port.MailSender;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The smoke test of a deployed stage (issue 31 item 6, docs/infrastructure.md "Smoke test"): with a
 * synthetic account it
 * <ol>
 *   <li>registers the account with a {@code SubscriptionPurchased} billing event on the stage's bus
 *       (term: last month to next month; no fee, so no voucher can ever be owed) and waits for the
 *       accounts function to store it;</li>
 *   <li>puts D1 request records of last month (no errors) on the request stream and waits for their
 *       aggregate in the Aggregates table (up to {@code --timeout}: the deployed mapping writes at
 *       the end of its 15-minute tumbling window);</li>
 *   <li>reads last month's statement through {@code GET /statements/{month}} (the claims function
 *       computes it: 100% available, the records counted);</li>
 *   <li>makes a claim that must be refused ({@code POST /claims}: no fee assessed, and the SLA met);</li>
 *   <li>sends a notice through the notifier's SES adapter, with the stage's sender and configuration
 *       set, to the SES mailbox simulator ({@code success@simulator.amazonses.com});</li>
 *   <li>deletes every item it created (aggregates, the account's items, its statements, claims,
 *       idempotency and rate items), whatever failed before.</li>
 * </ol>
 * Prints one line per step ({@code PASS}/{@code FAIL}) and exits 1 if any failed.
 *
 * <p>The caller's credentials need: {@code events:PutEvents} on the bus, {@code kinesis:PutRecords}
 * on the stream, {@code dynamodb:GetItem/Query/DeleteItem} on the tables, {@code ses:SendEmail} as
 * the sender with the configuration set; and a JWT for the API whose account claim is {@code --account}.
 */
public final class SmokeTest {
    /** The SES mailbox simulator's address that accepts and delivers (no bounce, no reputation effect). */
    public static final String SIMULATOR = "success@simulator.amazonses.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the stage is and who the smoke test acts as. */
    public record Config(Region region, Optional<URI> endpoint, Optional<URI> sesEndpoint, String stream,
            String aggregatesTable, String ledgerTable, String accountsTable, String eventBus, URI apiUrl,
            String sesSender, Optional<String> sesConfigurationSet, String account, String bearerToken,
            Duration timeout, String recipient) {
    }

    /** One step's outcome. */
    public record Step(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
        }
    }

    private final Config config;
    private final Clock clock;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<Step> steps = new ArrayList<>();

    public SmokeTest(Config config, Clock clock, PrintStream out) {
        this.config = config;
        this.clock = clock;
        this.out = out;
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("smoke: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<Step> result = new SmokeTest(config, Clock.systemUTC(), System.out).run();
        System.exit(result.stream().allMatch(Step::passed) ? 0 : 1);
    }

    static final String USAGE = """
            usage: smoke --outputs cdk-outputs.json --stage STAGE --ses-sender ADDRESS --account ID --token JWT
                         [--region eu-west-1] [--timeout PT20M] [--recipient success@simulator.amazonses.com]
                         [--endpoint URL --ses-endpoint URL (local engines only)]
              cdk-outputs.json: written by `cdk deploy --all --outputs-file cdk-outputs.json`
              --account/--token: a synthetic account id and a JWT of the stage's issuer whose account claim is that id""";

    /** The steps, in order; every step after a failed one that needs it is skipped as failed. Cleans up always. */
    public List<Step> run() {
        YearMonth month = YearMonth.now(clock.withZone(ZoneOffset.UTC)).minusMonths(1);
        String subscription = "smoke-" + UUID.randomUUID();
        try (DynamoDbClient dynamo = build(DynamoDbClient.builder());
                KinesisClient kinesis = build(KinesisClient.builder());
                EventBridgeClient events = build(EventBridgeClient.builder());
                SesV2Client ses = sesClient()) {
            try {
                boolean registered = step("register the account", () -> register(events, dynamo, subscription, month));
                long interval = month.atDay(2).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                boolean aggregated = step("put records and wait for the aggregate", () -> ingest(kinesis, dynamo, interval));
                if (registered && aggregated) {
                    step("read the statement", () -> statement(month));
                    step("a claim that must be refused", () -> refusedClaim(month));
                } else {
                    steps.add(report(new Step("read the statement", false, "skipped: the account or its traffic is missing")));
                    steps.add(report(new Step("a claim that must be refused", false, "skipped")));
                }
                step("a notice to the SES mailbox simulator", () -> notice(ses));
            } finally {
                step("remove what the smoke test created", () -> cleanUp(dynamo, subscription, month));
            }
        }
        return List.copyOf(steps);
    }

    private interface Action {
        String run() throws Exception;
    }

    private boolean step(String name, Action action) {
        Step s;
        try {
            s = new Step(name, true, action.run());
        } catch (Exception | AssertionError e) {
            s = new Step(name, false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        steps.add(report(s));
        return s.passed();
    }

    private Step report(Step s) {
        out.println(s);
        return s;
    }

    private String register(EventBridgeClient events, DynamoDbClient dynamo, String subscription, YearMonth month)
            throws Exception {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("billingId", subscription);
        detail.put("billingVersion", 1);
        detail.put("accountId", config.account());
        detail.put("subscriptionId", subscription);
        detail.put("start", month.atDay(1).toString());
        detail.put("end", month.plusMonths(2).atEndOfMonth().toString());
        PutEventsResponse put = events.putEvents(b -> b.entries(e -> e.eventBusName(config.eventBus()).source("billing")
                .detailType("SubscriptionPurchased").detail(json(detail))));
        if (put.failedEntryCount() != null && put.failedEntryCount() > 0) {
            throw new IllegalStateException("the bus refused the billing event: " + put.entries().get(0).errorCode());
        }
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("ACCOUNT#" + config.account()),
                "sk", AttributeValue.fromS("SUB#" + subscription));
        waitFor("the subscription in the Accounts table", () -> dynamo.getItem(b -> b.tableName(config.accountsTable())
                .key(key).consistentRead(true)).hasItem());
        return "SubscriptionPurchased " + subscription + " stored for " + config.account();
    }

    private String ingest(KinesisClient kinesis, DynamoDbClient dynamo, long interval) throws Exception {
        List<PutRecordsRequestEntry> records = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String record = json(Map.of("accountId", config.account(),
                    "intervalStart", Instant.ofEpochSecond(interval + 300L * i).toString(), "valid", 100, "errors", 0));
            records.add(PutRecordsRequestEntry.builder().partitionKey(config.account())
                    .data(SdkBytes.fromString(record, StandardCharsets.UTF_8)).build());
        }
        var put = kinesis.putRecords(b -> b.streamName(config.stream()).records(records));
        if (put.failedRecordCount() != null && put.failedRecordCount() > 0) {
            throw new IllegalStateException(put.failedRecordCount() + " records refused by the stream");
        }
        Map<String, AttributeValue> key = Map.of("a", AttributeValue.fromS(config.account()),
                "i", AttributeValue.fromN(Long.toString(interval)));
        waitFor("the aggregate of " + Instant.ofEpochSecond(interval), () -> dynamo.getItem(b -> b
                .tableName(config.aggregatesTable()).key(key).consistentRead(true)).hasItem());
        return "3 records put, the aggregate of " + Instant.ofEpochSecond(interval) + " is stored";
    }

    private String statement(YearMonth month) throws Exception {
        HttpResponse<String> r = api("GET", "statements/" + month, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /statements/" + month + " answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode s = JSON.readTree(r.body());
        if (!config.account().equals(s.path("accountId").asText()) || !s.path("availability").asText().equals("100.0000")) {
            throw new IllegalStateException("unexpected statement: " + r.body());
        }
        return "statement of " + month + ": availability " + s.get("availability").asText() + ", "
                + s.path("intervals").asLong() + " intervals, revision " + s.path("revision").asInt();
    }

    private String refusedClaim(YearMonth month) throws Exception {
        HttpResponse<String> r = api("POST", "claims", "{\"month\":\"" + month + "\"}");
        JsonNode claim = JSON.readTree(r.body());
        if (r.statusCode() != 201 || !"REFUSED".equals(claim.path("status").asText())) {
            throw new IllegalStateException("POST /claims answered " + r.statusCode() + " " + r.body()
                    + " (expected 201 REFUSED)");
        }
        return "refused: " + claim.path("reason").asText();
    }

    private String notice(SesV2Client ses) {
        SesMailSender sender = new SesMailSender(ses, config.sesSender(), config.sesConfigurationSet());
        String id = sender.send(new MailSender.Mail(config.recipient(), "SLA Ledger smoke test",
                "The smoke test of an SLA Ledger stage sent this notice to the SES mailbox simulator.",
                "<p>The smoke test of an SLA Ledger stage sent this notice to the SES mailbox simulator.</p>"),
                Map.of("sla-ledger", "smoke"));
        return "sent to " + config.recipient() + " as " + config.sesSender()
                + config.sesConfigurationSet().map(c -> " with " + c).orElse("") + ", message " + id;
    }

    private String cleanUp(DynamoDbClient dynamo, String subscription, YearMonth month) {
        int deleted = 0;
        String a = config.account();
        deleted += deletePartition(dynamo, config.aggregatesTable(), "a", a, "i");
        for (int m = -1; m <= 2; m++) {
            deleted += deletePartition(dynamo, config.ledgerTable(), "pk", "ST#" + a + "#" + month.plusMonths(m), "sk");
        }
        for (String pk : List.of("CLAIM#" + a, "IDEM#" + a, "RATE#" + a, "NOTICE#" + a)) {
            deleted += deletePartition(dynamo, config.ledgerTable(), "pk", pk, "sk");
        }
        deleted += deletePartition(dynamo, config.accountsTable(), "pk", "ACCOUNT#" + a, "sk");
        for (YearMonth m = month; !m.isAfter(month.plusMonths(2)); m = m.plusMonths(1)) {
            deleted += deleteItem(dynamo, config.accountsTable(), "MONTH#" + m, a + "#" + subscription);
        }
        LocalDate end = month.plusMonths(2).atEndOfMonth();
        deleted += deleteItem(dynamo, config.accountsTable(), "TERMEND", end + "#" + a + "#" + subscription);
        int left = countPartition(dynamo, config.aggregatesTable(), "a", a) + countPartition(dynamo, config.accountsTable(), "pk", "ACCOUNT#" + a)
                + countPartition(dynamo, config.ledgerTable(), "pk", "CLAIM#" + a);
        if (left > 0) {
            throw new IllegalStateException(left + " items of the synthetic account are still there");
        }
        return deleted + " items deleted";
    }

    private static int deletePartition(DynamoDbClient dynamo, String table, String pk, String value, String sk) {
        int n = 0;
        QueryRequest query = QueryRequest.builder().tableName(table).keyConditionExpression("#p = :v")
                .expressionAttributeNames(Map.of("#p", pk)).expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value)))
                .consistentRead(true).build();
        for (var page : dynamo.queryPaginator(query)) {
            for (Map<String, AttributeValue> item : page.items()) {
                dynamo.deleteItem(b -> b.tableName(table).key(Map.of(pk, item.get(pk), sk, item.get(sk))));
                n++;
            }
        }
        return n;
    }

    private static int countPartition(DynamoDbClient dynamo, String table, String pk, String value) {
        return dynamo.query(b -> b.tableName(table).keyConditionExpression("#p = :v").expressionAttributeNames(Map.of("#p", pk))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))).consistentRead(true)).count();
    }

    private static int deleteItem(DynamoDbClient dynamo, String table, String pk, String sk) {
        var r = dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk)))
                .returnValues("ALL_OLD"));
        return r.hasAttributes() ? 1 : 0;
    }

    private HttpResponse<String> api(String method, String path, String body) throws Exception {
        String base = config.apiUrl().toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.endsWith("/") ? base + path : base + "/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + config.bearerToken());
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private void waitFor(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        long pause = 200;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not there after " + config.timeout() + ": " + what);
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 10_000);
        }
    }

    private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        builder.region(config.region());
        builder.httpClient(UrlConnectionHttpClient.create());
        config.endpoint().ifPresent(e -> {
            builder.endpointOverride(e);
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
        });
        return builder.build();
    }

    private SesV2Client sesClient() {
        var builder = SesV2Client.builder().region(config.region()).httpClient(UrlConnectionHttpClient.create());
        config.sesEndpoint().ifPresent(e -> builder.endpointOverride(e)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))));
        return builder.build();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration from the command line (and the stack outputs file of {@code cdk deploy --outputs-file}). */
    static Config parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        String stage = required(options, "stage");
        JsonNode outputs;
        try {
            outputs = JSON.readTree(Files.readString(Path.of(required(options, "outputs"))));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --outputs: " + e.getMessage());
        }
        JsonNode data = outputs.path("SlaLedger-" + stage + "-Data");
        JsonNode app = outputs.path("SlaLedger-" + stage + "-App");
        return new Config(Region.of(options.getOrDefault("region", "eu-west-1")),
                Optional.ofNullable(options.get("endpoint")).map(URI::create),
                Optional.ofNullable(options.get("ses-endpoint")).map(URI::create),
                output(data, "RequestStreamName"), output(data, "AggregatesTableName"), output(data, "LedgerTableName"),
                output(data, "AccountsTableName"), output(app, "EventBusName"), URI.create(output(app, "ApiUrl")),
                required(options, "ses-sender"), Optional.ofNullable(app.path("MailConfigurationSet").asText(null)),
                required(options, "account"), required(options, "token"),
                Duration.parse(options.getOrDefault("timeout", "PT20M")),
                options.getOrDefault("recipient", SIMULATOR));
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    private static String output(JsonNode stack, String name) {
        JsonNode v = stack.get(name);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("the outputs file has no " + name + " (deploy with --outputs-file)");
        }
        return v.asText();
    }
}
