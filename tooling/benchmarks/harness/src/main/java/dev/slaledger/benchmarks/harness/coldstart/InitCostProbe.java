package dev.slaledger.benchmarks.harness.coldstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * What one more thing costs a cold start after the baseline's DynamoDB client (issue 32 item 2): each
 * run is a fresh JVM with Lambda's flags ({@link ColdStartHarness#jvmFlags}) that builds a DynamoDB
 * client the way the functions do, then one of: nothing, an EventBridge client, an SQS client,
 * Jackson databind's first {@code ObjectMapper} reading a small tree, or the same document read by
 * jackson-jr or by jackson-core's streaming parser alone (what a function without databind would pay).
 * It reports the CPU time (all threads, {@code ProcessHandle.info().totalCpuDuration()}, 10 ms
 * resolution on Linux) and the wall time of that second step; the median over the runs, the variants
 * interleaved. No engine is needed: nothing is called, only built.
 *
 * <p>Arguments: {@code [runs=15]}. Run from the repository root after packaging (docs/benchmarks.md).
 */
public final class InitCostProbe {
    private static final List<String> VARIANTS = List.of("nothing", "eventbridge-client", "sqs-client",
            "jackson-databind", "jackson-jr", "jackson-core");
    /** The document every JSON variant reads: a work message's shape. */
    private static final String DOCUMENT = "{\"month\":\"2026-10\",\"accountIds\":[\"acme\",\"globex\"]}";

    private InitCostProbe() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length > 1 && "child".equals(args[0])) {
            child(args[1]);
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = System.getProperty("java.class.path");
        Map<String, List<long[]>> samples = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (String variant : VARIANTS) {
                List<String> command = new ArrayList<>(List.of(java));
                command.addAll(ColdStartHarness.jvmFlags());
                command.addAll(List.of("-cp", classPath, InitCostProbe.class.getName(), "child", variant));
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0 || !out.contains("PROBE ")) {
                    throw new IllegalStateException(variant + " failed:\n" + out);
                }
                String[] f = out.substring(out.indexOf("PROBE ")).trim().split("\\s+");
                samples.computeIfAbsent(variant, k -> new ArrayList<>()).add(new long[] {
                    Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])});
            }
        }
        System.out.printf("%d runs per variant, interleaved; JVM flags: %s%n", runs,
                String.join(" ", ColdStartHarness.jvmFlags()));
        System.out.println("| after the DynamoDB client | DynamoDB client CPU (ms) | then CPU (ms) | then wall (ms) |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, List<long[]>> e : samples.entrySet()) {
            System.out.printf("| %s | %d | %d | %d |%n", e.getKey(), median(e.getValue(), 0), median(e.getValue(), 2),
                    median(e.getValue(), 3));
        }
    }

    private static long median(List<long[]> samples, int field) {
        long[] v = samples.stream().mapToLong(s -> s[field]).sorted().toArray();
        return v[v.length / 2];
    }

    private static void child(String variant) throws IOException {
        long c0 = cpuMillis();
        long t0 = System.nanoTime();
        DynamoDbClient dynamo = DynamoDbClient.builder().region(Region.EU_WEST_1)
                .httpClient(UrlConnectionHttpClient.create()).build();
        long c1 = cpuMillis();
        long t1 = System.nanoTime();
        Object built = switch (variant) {
            case "nothing" -> null;
            case "eventbridge-client" -> EventBridgeClient.builder().region(Region.EU_WEST_1)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            case "sqs-client" -> SqsClient.builder().region(Region.EU_WEST_1)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            case "jackson-databind" -> new com.fasterxml.jackson.databind.ObjectMapper().readTree(DOCUMENT);
            // the lighter binder on jackson-core, and jackson-core's streaming parser alone: what replacing
            // databind would leave of its cost (none of the functions uses either today)
            case "jackson-jr" -> com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(DOCUMENT);
            case "jackson-core" -> streamedAccounts(DOCUMENT);
            default -> throw new IllegalArgumentException(variant);
        };
        long c2 = cpuMillis();
        long t2 = System.nanoTime();
        System.out.println("PROBE " + (c1 - c0) + " " + (t1 - t0) / 1_000_000 + " " + (c2 - c1) + " "
                + (t2 - t1) / 1_000_000 + " " + (built != null) + " " + (dynamo != null));
    }

    /** The document read with jackson-core's streaming parser: its month and account ids, as a binder would. */
    private static List<String> streamedAccounts(String json) throws IOException {
        List<String> read = new ArrayList<>();
        try (com.fasterxml.jackson.core.JsonParser p = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
            for (com.fasterxml.jackson.core.JsonToken t; (t = p.nextToken()) != null; ) {
                if (t == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    read.add(p.getText());
                }
            }
        }
        if (read.size() != 3) {
            throw new IllegalStateException("read " + read);
        }
        return read;
    }

    private static long cpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toMillis();
    }
}
