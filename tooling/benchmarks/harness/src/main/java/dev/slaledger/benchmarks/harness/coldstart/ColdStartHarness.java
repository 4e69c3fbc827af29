package dev.slaledger.benchmarks.harness.coldstart;

import com.sun.net.httpserver.HttpServer;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbAggregateStore;
import dev.slaledger.adapter.dynamodb.DynamoDbQuarantineStore;
import dev.slaledger.adapter.dynamodb.LedgerTable;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.emulators.ElasticMq;
import dev.slaledger.emulators.MotoServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Issue 11 item 2: cold start of every function, measured on its deployable package.
 *
 * <p>For each function (and a baseline that only builds a DynamoDB client), a fresh JVM (this
 * JVM's {@code java}) runs {@link ColdStartRunner} with the function's {@code -lambda.jar} on the
 * class path; it constructs the handler with its no-argument constructor, as Lambda does, and
 * handles one real event file from {@code events/}; in the first run it then also runs the
 * handler's SnapStart priming steps (outside the measurement), which proves every step runs on
 * the function's own package. The functions reach local engines through
 * the SDK's standard {@code AWS_ENDPOINT_URL_<SERVICE>} variables (no endpoint code in the
 * functions): moto (server mode, single-threaded; {@link MotoServer}) on a loopback port (started here, tables created and
 * seeded afresh before every run), ElasticMQ for SQS, and a loopback stub answering EventBridge
 * PutEvents and SES v2 SendEmail. Runs are interleaved (run 1 of every function, then run 2, ...)
 * so machine noise spreads over all of them.
 *
 * <p>Init is measured from just before the process is started to the handler constructed (JVM
 * start + class loading + the constructor): what Lambda reports as Init Duration. First invoke
 * is the {@code handleRequest} call (event deserialisation shown apart).
 *
 * <p>Arguments: {@code [runs=10]}. Run from the repository root after packaging (see
 * docs/benchmarks.md).
 */
public final class ColdStartHarness {
    private static final String REGION = "eu-west-1";
    private static final String VERSION = "0.1.0-SNAPSHOT";

    private ColdStartHarness() {
    }

    /** One function to measure. */
    record Target(String name, Path jar, String handler, Path event, Consumer<DynamoDbClient> seed) {
        /** Whether the package must register SnapStart priming: every function; not the baseline. */
        boolean primes() {
            return !handler.endsWith(".BaselineHandler");
        }
    }

    /** One measured cold start. */
    record Sample(double initMs, double constructMs, double deserialiseMs, double invokeMs, double initCpuMs,
            String result) {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path root = Path.of("").toAbsolutePath();
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String runnerPath = runnerClassPath();

        List<Target> targets = List.of(
                new Target("baseline (DynamoDB client only)", jar(root, "tooling/benchmarks/coldstart-baseline",
                        "sla-coldstart-baseline"), "dev.slaledger.benchmarks.baseline.BaselineHandler",
                        root.resolve("events/notifier/scheduler-hourly.json"), d -> { }),
                // the deployed handler on the deployed mapping's event (issue 26): a window's first invocation,
                // which also looks the shard's parents up (ListShards) on the stream the harness creates on moto
                new Target("ingest", jar(root, "functions/ingest", "sla-ingest"),
                        "dev.slaledger.ingest.WindowedIngestHandler",
                        root.resolve("events/ingest/window-records.json"), d -> { }),
                new Target("accounts", jar(root, "functions/accounts", "sla-accounts"),
                        "dev.slaledger.accounts.AccountsHandler",
                        root.resolve("events/accounts/subscription-purchased.json"), d -> { }),
                new Target("month-end fan-out", jar(root, "functions/monthend", "sla-monthend", "month-end"),
                        "dev.slaledger.monthend.MonthEndHandler",
                        root.resolve("events/monthend/scheduler-month-end-recompute.json"), ColdStartHarness::seedAccounts),
                new Target("statement worker", jar(root, "functions/monthend", "sla-monthend", "statement-worker"),
                        "dev.slaledger.monthend.StatementWorkerHandler",
                        root.resolve("events/monthend/sqs-statement-work.json"), ColdStartHarness::seedAccounts),
                // S7.6: the sweep of the outbox (its handler takes a Map: any scheduled event; nothing pending here)
                new Target("outbox sweep", jar(root, "functions/monthend", "sla-monthend", "outbox-sweep"),
                        "dev.slaledger.monthend.OutboxSweepHandler",
                        root.resolve("events/notifier/scheduler-hourly.json"), d -> { }),
                new Target("maintenance windows", jar(root, "functions/monthend", "sla-monthend", "maintenance-windows"),
                        "dev.slaledger.monthend.MaintenanceWindowsHandler",
                        root.resolve("events/monthend/admin-put-maintenance-window.json"), d -> { }),
                new Target("claims", jar(root, "functions/claims", "sla-claims"),
                        "dev.slaledger.claims.ClaimsHandler",
                        root.resolve("events/claims/post-claim.json"), ColdStartHarness::seedAccounts),
                new Target("publish terms", jar(root, "functions/notifier", "sla-notifier", "publish-terms"),
                        "dev.slaledger.notifier.PublishTermsHandler",
                        root.resolve("events/notifier/admin-put-terms.json"), d -> { }),
                new Target("notifier", jar(root, "functions/notifier", "sla-notifier", "notifier"),
                        "dev.slaledger.notifier.NotifierHandler",
                        root.resolve("events/notifier/scheduler-hourly.json"), ColdStartHarness::seedAccounts),
                new Target("notice worker", jar(root, "functions/notifier", "sla-notifier", "notice-worker"),
                        "dev.slaledger.notifier.NoticeWorkerHandler",
                        root.resolve("events/notifier/sqs-notice-work.json"), ColdStartHarness::seedAccounts),
                new Target("SES events", jar(root, "functions/notifier", "sla-notifier", "ses-events"),
                        "dev.slaledger.notifier.SesEventsHandler",
                        root.resolve("events/notifier/ses-email-sent.json"), d -> { }));

        MotoServer moto = MotoServer.start();
        int dynamoPort = moto.endpoint().getPort();
        ElasticMq sqsServer = ElasticMq.start();
        int sqsPort = sqsServer.endpoint().getPort();
        HttpServer stub = stubServer();
        try (DynamoDbClient dynamo = client(DynamoDbClient.builder(), "http://127.0.0.1:" + dynamoPort);
                SqsClient sqs = client(SqsClient.builder(), "http://127.0.0.1:" + sqsPort)) {
            String queueUrl = sqs.createQueue(q -> q.queueName("statement-work")).queueUrl();
            String stubUrl = "http://127.0.0.1:" + stub.getAddress().getPort();
            Map<String, String> env = new LinkedHashMap<>();
            env.put("AWS_REGION", REGION);
            env.put("AWS_ACCESS_KEY_ID", "local");
            env.put("AWS_SECRET_ACCESS_KEY", "local");
            env.put("AWS_EC2_METADATA_DISABLED", "true");
            env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + dynamoPort);
            env.put("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:" + sqsPort);
            env.put("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:" + dynamoPort);
            env.put("CBOR_ENABLED", "false"); // moto answers the SDK's default CBOR with HTTP 500; AWS takes JSON too
            createRequestStream(dynamoPort);
            env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", stubUrl);
            env.put("AWS_ENDPOINT_URL_SESV2", stubUrl);
            env.put("TABLE", "ledger");
            env.put("LEDGER_TABLE", "ledger");
            env.put("ACCOUNTS_TABLE", "accounts");
            env.put("AGGREGATES_TABLE", "aggregates");
            env.put("QUARANTINE_TABLE", "quarantine");
            env.put("WORK_QUEUE_URL", queueUrl);
            env.put("NOTICE_QUEUE_URL", sqs.createQueue(q -> q.queueName("notice-work")).queueUrl());
            env.put("EVENT_BUS_NAME", "sla-ledger");
            env.put("SES_FROM_ADDRESS", "sla-notices@provider.example");
            if (System.getenv("PATH") != null) {
                env.put("PATH", System.getenv("PATH"));
            }

            System.out.printf("%s; %d runs per function, interleaved; JVM: %s %s%n", Instant.now(), runs, java,
                    String.join(" ", jvmFlags()));
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                for (Target t : targets) {
                    resetTables(dynamo);
                    t.seed().accept(dynamo);
                    samples.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(measure(java, runnerPath, t, env,
                            run == 1));
                }
                System.out.printf("run %d/%d done%n", run, runs);
            }
            report(targets, samples);
        } finally {
            stub.stop(0);
            sqsServer.close();
            moto.close();
        }
    }

    /** The stream the ingest event names (events/ingest/window-records.json), on moto: the handler lists its shards. */
    private static void createRequestStream(int port) {
        System.setProperty("aws.cborEnabled", "false");
        try (software.amazon.awssdk.services.kinesis.KinesisClient kinesis = client(
                software.amazon.awssdk.services.kinesis.KinesisClient.builder(), "http://127.0.0.1:" + port)) {
            kinesis.createStream(b -> b.streamName("sla-requests").shardCount(1));
        }
    }

    /** Flags of the measured JVMs: those Lambda's Java runtimes start with (C1 only, serial GC). */
    static List<String> jvmFlags() {
        return List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Xmx512m");
    }

    /** One cold start; with {@code prime}, the runner then also runs the handler's priming steps (after the measurement). */
    private static Sample measure(String java, String runnerPath, Target t, Map<String, String> env, boolean prime)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags());
        // for a diagnosis, not a measurement: e.g. -Dcoldstart.diagnose=-Xlog:class+load:file=cl-%p.txt shows
        // which classes a function's cold start loads, and from which of its classes (docs/benchmarks.md)
        String diagnose = System.getProperty("coldstart.diagnose", "");
        if (!diagnose.isBlank()) {
            command.addAll(List.of(diagnose.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", t.jar() + File.pathSeparator + runnerPath,
                ColdStartRunner.class.getName(), t.handler(), t.event().toString()));
        if (prime) {
            command.add("prime");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Instant launched = Instant.now();
        Process p = pb.start();
        String line = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = out.readLine()) != null; ) {
                all.append(l).append('\n');
                if (l.startsWith("COLDSTART ")) {
                    line = l;
                }
            }
        }
        int exit = p.waitFor();
        if (line == null || exit != 0) {
            throw new IllegalStateException(t.name() + " exited " + exit + ":\n" + all);
        }
        // the baseline registers no hook (PRIMING none); every function must have one, and all its steps must complete
        String expected = t.primes() ? "\nPRIMING true" : "\nPRIMING none";
        if (prime && !all.toString().contains(expected)) {
            throw new IllegalStateException(t.name() + ": expected " + expected.trim() + " on its package:\n" + all);
        }
        if (prime) {
            System.out.printf("  %s: %s%n", t.name(), all.substring(all.indexOf("PRIMING")).trim());
            String output = all.toString();
            int databind = output.indexOf("\nDATABIND ");
            System.out.printf("  %s: %s%n", t.name(), databind < 0 ? "DATABIND unknown"
                    : output.substring(databind + 1, output.indexOf('\n', databind + 1)));
        }
        String[] f = line.split(" ", 8);
        long constructed = Long.parseLong(f[1]);
        long mainStart = Long.parseLong(f[2]);
        long launchedMicros = launched.getEpochSecond() * 1_000_000L + launched.getNano() / 1000;
        return new Sample((constructed - launchedMicros) / 1000.0, (constructed - mainStart) / 1000.0,
                Long.parseLong(f[3]) / 1000.0, Long.parseLong(f[4]) / 1000.0, Long.parseLong(f[6]) / 1000.0, f[7]);
    }

    private static void report(List<Target> targets, Map<String, List<Sample>> samples) throws IOException {
        double baseInit = median(samples.get(targets.get(0).name()), Sample::initMs);
        double baseCpu = median(samples.get(targets.get(0).name()), Sample::initCpuMs);
        System.out.println();
        System.out.println("| function | handler | package (MB) | init median (ms) | init / baseline | of which "
                + "constructor (ms) | init CPU median (ms) | init CPU / baseline | first invoke median (ms) "
                + "| event deserialisation (ms) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Target t : targets) {
            List<Sample> s = samples.get(t.name());
            double init = median(s, Sample::initMs);
            double cpu = median(s, Sample::initCpuMs);
            System.out.printf("| %s | `%s` | %.2f | %.0f | %.2fx | %.0f | %.0f | %.2fx | %.0f | %.1f |%n", t.name(),
                    t.handler().substring(t.handler().lastIndexOf('.') + 1), Files.size(t.jar()) / 1_000_000.0, init,
                    init / baseInit, median(s, Sample::constructMs), cpu, cpu / baseCpu, median(s, Sample::invokeMs),
                    median(s, Sample::deserialiseMs));
        }
        System.out.println();
        System.out.println("Results of the first run (proof each event was handled):");
        for (Target t : targets) {
            System.out.println("  " + t.name() + ": " + samples.get(t.name()).get(0).result());
        }
        System.out.println();
        System.out.println("Every run (init ms / init CPU ms / first invoke ms):");
        for (Target t : targets) {
            StringBuilder b = new StringBuilder("  " + t.name() + ":");
            for (Sample s : samples.get(t.name())) {
                b.append(String.format(" %.0f/%.0f/%.0f", s.initMs(), s.initCpuMs(), s.invokeMs()));
            }
            System.out.println(b);
        }
    }

    private static double median(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
        double[] v = samples.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Fresh tables before every run, so every run does the same work. */
    private static void resetTables(DynamoDbClient dynamo) {
        for (String table : dynamo.listTables().tableNames()) {
            dynamo.deleteTable(d -> d.tableName(table));
        }
        LedgerTable.create(dynamo, "ledger");
        AccountsTable.create(dynamo, "accounts");
        DynamoDbAggregateStore.createTable(dynamo, "aggregates");
        DynamoDbQuarantineStore.createTable(dynamo, "quarantine");
    }

    /** The accounts the month-end events name (acme, globex), subscribed over 2026 with an October fee. */
    private static void seedAccounts(DynamoDbClient dynamo) {
        DynamoDbAccountRepository registry = new DynamoDbAccountRepository(dynamo, "accounts");
        for (String id : List.of("acme", "globex")) {
            registry.apply(new SubscriptionPurchased("e-" + id, "s-" + id, 1, id, "s-" + id,
                    new Term(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31))));
            registry.apply(new FeeAssessed("f-" + id, "f-" + id, 1, id, YearMonth.of(2026, 10),
                    MonthlyFee.of("1000.00", "0.00", "EUR")));
        }
    }

    /** Stands in for EventBridge (PutEvents) and SES v2 (SendEmail): both answers satisfy the SDK. */
    private static HttpServer stubServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean ses = exchange.getRequestURI().getPath().startsWith("/v2/");
            byte[] body = (ses ? "{\"MessageId\":\"local-1\"}"
                    : "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"local-1\"}]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", ses ? "application/json" : "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C client(B builder,
                    String endpoint) {
        builder.httpClient(UrlConnectionHttpClient.create());
        return builder.endpointOverride(URI.create(endpoint)).region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
    }

    /** The one {@code <artifactId>-*-lambda.jar} a module with one function packaged. */
    private static Path jar(Path root, String module, String artifactId) throws IOException {
        return jar(root, module, artifactId, null);
    }

    /**
     * The package of {@code function} ({@code <artifactId>-*-<function>-lambda.jar}), one of several
     * functions of a module; with {@code function} null, the module's one {@code -lambda.jar}.
     */
    private static Path jar(Path root, String module, String artifactId, String function) throws IOException {
        String suffix = function == null ? "-lambda.jar" : "-" + function + "-lambda.jar";
        Path target = root.resolve(module).resolve("target");
        Path expected = target.resolve(artifactId + "-" + VERSION + suffix);
        if (Files.isRegularFile(expected)) {
            return expected;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, artifactId + "-*" + suffix)) {
            for (Path p : jars) {
                return p;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new IllegalStateException("no " + artifactId + "-*" + suffix + " in " + target
                + ": package first (docs/benchmarks.md)");
    }

    /** This harness's classes and the runtime's event deserialiser: all the runner needs beside the function. */
    private static String runnerClassPath() {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String classes = entries.stream().filter(e -> e.replace('\\', '/').endsWith("harness/target/classes"))
                .findFirst().orElseThrow(() -> new IllegalStateException("tooling/benchmarks/harness/target/classes not on the class path"));
        String serialization = entries.stream().filter(e -> e.contains("aws-lambda-java-serialization"))
                .findFirst().orElseThrow(() -> new IllegalStateException("aws-lambda-java-serialization not on the class path"));
        return classes + File.pathSeparator + serialization;
    }

}
