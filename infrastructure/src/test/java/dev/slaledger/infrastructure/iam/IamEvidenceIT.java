package dev.slaledger.infrastructure.iam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.infrastructure.SynthForTests;
import dev.slaledger.infrastructure.iam.PolicyEvaluator.Decision;
import dev.slaledger.infrastructure.iam.PolicyEvaluator.Request;
import dev.slaledger.infrastructure.iam.PolicyEvaluator.Statement;
import dev.slaledger.infrastructure.iam.Templates.Function;
import dev.slaledger.infrastructure.iam.Templates.Reference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * IAM from evidence (issue 31 item 1, docs/infrastructure.md "IAM from evidence"): per deployed
 * function, the AWS calls its handler and its SnapStart priming made in the integration tests
 * (recorded by the testkit's {@code CallRecorder} into {@code <module>/target/aws-calls/*.jsonl})
 * against the role policy the CDK app synthesizes for it, decided by {@link PolicyEvaluator}:
 * every call must be allowed, and every granted (action, resource) must be used by a call or be
 * one Lambda itself uses with the role ({@link #lambdaUses}: logs, event source mappings,
 * on-failure destinations). A function without evidence fails, so a new function or a new call
 * cannot pass by being untested.
 *
 * <p>An integration test: it reads what the function modules' integration tests wrote, so it runs
 * in {@code verify} after them (the reactor builds infrastructure last).
 */
class IamEvidenceIT {
    /** The name each handler registers its SnapStart priming under ({@code Priming.register}). */
    static final Map<String, List<String>> PRIMING = Map.ofEntries(
            Map.entry("dev.slaledger.ingest.WindowedIngestHandler", List.of("ingest-windowed")),
            Map.entry("dev.slaledger.accounts.AccountsHandler", List.of("accounts")),
            Map.entry("dev.slaledger.monthend.MonthEndHandler", List.of("month-end")),
            Map.entry("dev.slaledger.monthend.RestatementHandler", List.of("restatement")),
            Map.entry("dev.slaledger.monthend.OutboxSweepHandler", List.of("outbox-sweep")),
            Map.entry("dev.slaledger.monthend.StatementWorkerHandler", List.of("statement-worker")),
            Map.entry("dev.slaledger.monthend.MaintenanceWindowsHandler", List.of("maintenance-windows")),
            Map.entry("dev.slaledger.monthend.ForecastHandler", List.of("forecast")),
            Map.entry("dev.slaledger.monthend.ForecastWorkerHandler", List.of("forecast-worker")),
            Map.entry("dev.slaledger.monthend.ForecastApiHandler", List.of("forecast-api")),
            Map.entry("dev.slaledger.claims.ClaimsHandler", List.of("claims")),
            Map.entry("dev.slaledger.notifier.PublishTermsHandler", List.of("publish-terms")),
            Map.entry("dev.slaledger.notifier.NotifierHandler", List.of("notifier")),
            Map.entry("dev.slaledger.notifier.NoticeWorkerHandler", List.of("notice-worker")),
            Map.entry("dev.slaledger.notifier.SesEventsHandler", List.of("ses-events")));

    /**
     * Grants no integration test exercises under the handler, each with why it is needed anyway
     * (handler class and action -> reason). Keep it short: each entry is a gap in the evidence.
     */
    static final Map<String, String> GRANTED_WITHOUT_EVIDENCE = Map.of(
            "dev.slaledger.monthend.StatementWorkerHandler events:PutEvents",
            "the worker announces compensable statements (StatementCompensable) through EventBridgeStatementEvents;"
                    + " MonthEndPipelineIT hands it a recording StatementEvents instead, and the PutEvents itself is"
                    + " covered by the claims and outbox-sweep evidence and adapters/eventbridge's tests",
            "dev.slaledger.claims.ClaimsHandler dynamodb:DeleteItem",
            "ClaimsApi releases a request's Idempotency-Key record (IDEM#, the only partition this statement allows)"
                    + " when it answered 5xx, so the retry runs again (docs/claims.md); no integration test sends a"
                    + " keyed request that fails with a 5xx",
            "dev.slaledger.ingest.WindowedIngestHandler dynamodb:GetItem",
            "DynamoDbAggregateStore reads an aggregate back (GetItem) when a conditional write fails without returning"
                    + " the old item; DynamoDB and moto return it (ReturnValuesOnConditionCheckFailure), so no test takes"
                    + " that path",
            "dev.slaledger.ingest.WindowedIngestHandler dynamodb:PutItem",
            "DynamoDbQuarantineStore stores records one PutItem at a time when DynamoDB refuses a batch (an item too"
                    + " large: it is then stored without its payload, S7.5); the per-batch handler's tests take that"
                    + " path (IngestHandlerIT), the windowed handler's do not",
            "dev.slaledger.notifier.PublishTermsHandler events:PutEvents",
            "a publication puts TermsPublished on the bus (EventBridgeNotifierTrigger, which the notifier's rule"
                    + " delivers); the integration tests trigger the notifier in process instead",
            "dev.slaledger.notifier.NoticeWorkerHandler events:PutEvents",
            "the worker's eligibility decisions announce VoucherIssued and StatementCompensable through the EventBridge"
                    + " adapters (S8.3); EligibilityFlowIT records them in process instead",
            "dev.slaledger.notifier.NotifierHandler dynamodb:DeleteItem",
            "the dispatcher removes a parked unit (NOTICEPARK) from the backlog once it handed it back to the queue"
                    + " (S9.2); NoticeCrashProperties parks and hands back on the in-memory twins, no engine test parks");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Templates templates;
    private static String appStack;
    private static List<Function> functions;
    /** Evidence lines, each with the file it came from (table names are per test JVM). */
    private static final List<Evidence> evidence = new ArrayList<>();

    record Evidence(Path file, JsonNode line) {
    }

    @BeforeAll
    static void load() throws IOException {
        SynthForTests synth = SynthForTests.get();
        Map<String, Map<String, Object>> stacks = new LinkedHashMap<>();
        stacks.put(synth.dataStackName(), synth.dataTemplate());
        stacks.put(synth.appStackName(), synth.appTemplate());
        templates = new Templates(stacks);
        appStack = synth.appStackName();
        functions = templates.functions(appStack);
        Path root = Path.of(System.getProperty("slaledger.root", ".."));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root, 5)) {
            files = walk.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("aws-calls")
                    && p.toString().endsWith(".jsonl") && !p.toString().contains("node_modules")).sorted().toList();
        }
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    evidence.add(new Evidence(file, JSON.readTree(line)));
                }
            }
        }
    }

    @Test
    @DisplayName("the evidence exists: the function modules' integration tests wrote their recorded calls")
    void evidenceExists() {
        assertThat(evidence).as("no target/aws-calls/*.jsonl under the repository: run the function modules'"
                + " integration tests first (./mvnw verify builds them before this module)").isNotEmpty();
    }

    @Test
    @DisplayName("every deployed function has a priming name here and evidence from both its handler and its priming")
    void everyFunctionHasEvidence() {
        List<String> missing = new ArrayList<>();
        for (Function f : functions) {
            if (!PRIMING.containsKey(f.handlerClass())) {
                missing.add(f.logicalId() + " (" + f.handlerClass() + "): add its priming name to IamEvidenceIT.PRIMING");
                continue;
            }
            if (calls(f, true).isEmpty()) {
                missing.add(f.logicalId() + ": no integration test called " + f.handlerClass()
                        + ".handleRequest through clients of the testkit (Engines builders)");
            }
            if (calls(f, false).isEmpty()) {
                missing.add(f.logicalId() + ": no integration test ran its priming " + PRIMING.get(f.handlerClass()));
            }
        }
        assertThat(missing).as("functions without evidence").isEmpty();
    }

    @Test
    @DisplayName("issue 31 item 1: every call a function's handler or priming made in the tests is allowed by the role policy the CDK app synthesizes for it")
    void everyRecordedCallIsAllowed() {
        List<String> denied = new ArrayList<>();
        for (Function f : functions) {
            PolicyEvaluator policy = new PolicyEvaluator(f.statements());
            for (Evidence e : calls(f)) {
                for (Required r : requests(f, e)) {
                    boolean anyAllowed = r.alternatives().stream().anyMatch(req -> policy.decide(req) == Decision.ALLOW);
                    if (!anyAllowed) {
                        Request first = r.alternatives().get(0);
                        denied.add(f.logicalId() + ": " + first.action() + " on " + first.resource()
                                + (first.context().isEmpty() ? "" : " " + first.context()) + " <- " + e.line());
                    }
                }
            }
        }
        assertThat(denied).as("recorded calls the synthesized policies do not allow").isEmpty();
    }

    @Test
    @DisplayName("issue 31 item 1: every granted action and resource is used by a recorded call, or by Lambda itself with the role (logs, event source mappings, on-failure destinations)")
    void everyGrantIsUsed() {
        List<String> unused = new ArrayList<>();
        for (Function f : functions) {
            List<Request> used = new ArrayList<>();
            for (Evidence e : calls(f)) {
                requests(f, e).forEach(r -> used.addAll(r.alternatives()));
            }
            Map<String, String> lambda = lambdaUses(f);
            for (Statement s : f.statements()) {
                if (!s.effect().equals("Allow")) {
                    continue;
                }
                for (String action : s.actions()) {
                    for (String resource : s.resources()) {
                        Statement one = new Statement("Allow", List.of(action), List.of(resource), s.conditions());
                        PolicyEvaluator single = new PolicyEvaluator(List.of(one));
                        boolean byCall = used.stream().anyMatch(r -> single.decide(r) == Decision.ALLOW);
                        boolean byLambda = lambda.containsKey(action + " " + resource);
                        boolean listed = GRANTED_WITHOUT_EVIDENCE.containsKey(f.handlerClass() + " " + action);
                        if (!byCall && !byLambda && !listed) {
                            unused.add(f.logicalId() + ": " + action + " on " + resource
                                    + (s.conditions().isEmpty() ? "" : " " + s.conditions()));
                        }
                    }
                }
            }
        }
        assertThat(unused).as("grants no recorded call and no Lambda service use needs").isEmpty();
    }

    @Test
    @DisplayName("the report of what each function calls (target/iam-evidence.md), for docs/infrastructure.md's permission table")
    void report() throws IOException {
        StringBuilder out = new StringBuilder("# Calls per function (IamEvidenceIT)\n\n");
        for (Function f : functions) {
            Map<String, Set<String>> byAction = new TreeMap<>();
            for (Evidence e : calls(f)) {
                for (Required r : requests(f, e)) {
                    Request q = r.alternatives().get(0);
                    String resource = q.resource().replaceAll("^arn:aws:[a-z]+:" + Templates.REGION + ":" + Templates.ACCOUNT + ":", "");
                    byAction.computeIfAbsent(q.action() + " " + resource, k -> new TreeSet<>())
                            .addAll(leadingPrefixes(q.context().getOrDefault("dynamodb:LeadingKeys", List.of())));
                }
            }
            out.append("## ").append(f.logicalId()).append(" (").append(f.handlerClass()).append(")\n\n");
            byAction.forEach((k, v) -> out.append("- ").append(k).append(v.isEmpty() ? "" : " " + v).append('\n'));
            out.append('\n');
        }
        Path file = Path.of("target", "iam-evidence.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
        assertThat(file).exists();
    }

    /**
     * The family of a Ledger or Accounts leading key (up to and including its first '#', or the whole key:
     * TERMS, MW, TERMEND), "priming probe" for the probe key, and "any" for the other tables' keys
     * (account ids, shard and sequence numbers).
     */
    private static List<String> leadingPrefixes(List<String> keys) {
        return keys.stream().map(k -> k.startsWith("#sla-ledger#priming") ? "priming probe"
                : k.contains("#") ? k.substring(0, k.indexOf('#') + 1) + "*"
                : k.equals(k.toUpperCase(java.util.Locale.ROOT)) && !k.isEmpty() ? k : "any").toList();
    }

    // --- evidence per function -----------------------------------------------------------------

    private static List<Evidence> calls(Function f) {
        List<Evidence> out = new ArrayList<>(calls(f, true));
        out.addAll(calls(f, false));
        return out;
    }

    private static List<Evidence> calls(Function f, boolean handler) {
        Set<String> principals = new LinkedHashSet<>();
        if (handler) {
            principals.add("handler:" + f.handlerClass());
        } else {
            PRIMING.getOrDefault(f.handlerClass(), List.of()).forEach(p -> principals.add("priming:" + p));
        }
        return evidence.stream().filter(e -> principals.contains(e.line().path("function").asText())).toList();
    }

    /** One authorization a call needs: any one of the alternatives allowed suffices. */
    record Required(List<Request> alternatives) {
    }

    private static List<Required> requests(Function f, Evidence e) {
        JsonNode line = e.line();
        String action = line.get("action").asText();
        String prefix = ":" + Templates.REGION + ":" + Templates.ACCOUNT + ":";
        return switch (line.get("service").asText()) {
            case "dynamodb" -> {
                Reference table = table(e);
                String arn = "arn:aws:dynamodb" + prefix + "table/" + table.logicalId()
                        + (line.hasNonNull("index") ? "/index/" + line.get("index").asText() : "");
                Map<String, List<String>> context = line.hasNonNull("leadingKey")
                        ? Map.of("dynamodb:LeadingKeys", List.of(line.get("leadingKey").asText())) : Map.of();
                yield List.of(new Required(List.of(new Request(action, arn, context))));
            }
            case "sqs" -> List.of(new Required(List.of(new Request(action,
                    "arn:aws:sqs" + prefix + only(f, "AWS::SQS::Queue", e).logicalId()))));
            case "events" -> List.of(new Required(List.of(new Request(action,
                    "arn:aws:events" + prefix + "event-bus/" + only(f, "AWS::Events::EventBus", e).logicalId()))));
            case "ses" -> ses(f, e, action, prefix);
            // the stream a test created stands for the deployment's one stream (the request records); a
            // ListShards page after the first names only its NextToken, which continues the same stream's listing
            case "kinesis" -> List.of(new Required(List.of(new Request(action,
                    "stream".equals(line.path("resourceType").asText()) || action.equals("kinesis:ListShards")
                            ? onlyStream() : "*"))));
            default -> List.of(new Required(List.of(new Request(action, line.path("resource").asText("*")))));
        };
    }

    /**
     * SendEmail: SES authorizes the From identity that is verified (the address, or a domain it is
     * under) and the configuration set the function always sends with.
     */
    private static List<Required> ses(Function f, Evidence e, String action, String prefix) {
        if (!action.equals("ses:SendEmail")) {
            return List.of(new Required(List.of(new Request(action, e.line().path("resource").asText("*")))));
        }
        String sender = f.envLiteral("SES_FROM_ADDRESS");
        if (sender == null) {
            throw new AssertionError(f.logicalId() + " sends mail but has no SES_FROM_ADDRESS: " + e.line());
        }
        List<Request> identities = new ArrayList<>();
        identities.add(new Request(action, "arn:aws:ses" + prefix + "identity/" + sender));
        String domain = sender.substring(sender.indexOf('@') + 1);
        while (domain.contains(".")) {
            identities.add(new Request(action, "arn:aws:ses" + prefix + "identity/" + domain));
            domain = domain.substring(domain.indexOf('.') + 1);
        }
        List<Required> out = new ArrayList<>();
        out.add(new Required(identities));
        Object configurationSet = f.environment().get("SES_CONFIGURATION_SET");
        if (configurationSet != null) {
            out.add(new Required(List.of(new Request(action, "arn:aws:ses" + prefix + "configuration-set/"
                    + templates.resolve(appStack, configurationSet)))));
        }
        return out;
    }

    /** The ARN of the deployment's one Kinesis stream. */
    private static String onlyStream() {
        List<String> arns = new ArrayList<>();
        for (String stack : templates.stackNames()) {
            templates.resources(stack).forEach((id, resource) -> {
                if ("AWS::Kinesis::Stream".equals(resource.get("Type"))) {
                    arns.add(templates.arn(stack, id));
                }
            });
        }
        if (arns.size() != 1) {
            throw new AssertionError("expected one Kinesis stream in the deployment, found " + arns);
        }
        return arns.get(0);
    }

    /** The one resource of that type the function's environment names (what its code was given). */
    private static Reference only(Function f, String type, Evidence e) {
        Set<Reference> candidates = templates.environmentReferences(appStack, f, type);
        if (candidates.size() != 1) {
            throw new AssertionError(f.logicalId() + " calls " + e.line() + " but its environment names "
                    + candidates.size() + " resources of type " + type + " " + candidates
                    + ": teach IamEvidenceIT which one the call is for");
        }
        return candidates.iterator().next();
    }

    /** The deployed table a test table stands for: the one with the same keys and indexes. */
    private static Reference table(Evidence e) {
        String name = e.line().get("resourceName").asText();
        if (e.line().path("unknownTable").asBoolean(false)) {
            throw new AssertionError("the call " + e.line() + " is on a table the recorder never saw created in "
                    + e.file() + ": create test tables through the testkit's clients");
        }
        JsonNode shape = evidence.stream()
                .filter(x -> x.file().equals(e.file()) && name.equals(x.line().path("createTable").asText(null)))
                .reduce((a, b) -> b).map(Evidence::line)
                .orElseThrow(() -> new AssertionError("no CreateTable of " + name + " in " + e.file()));
        List<Reference> matches = new ArrayList<>();
        for (String stack : templates.stackNames()) {
            templates.resources(stack).forEach((id, resource) -> {
                if ("AWS::DynamoDB::Table".equals(resource.get("Type")) && sameShape(shape, Templates.properties(resource))) {
                    matches.add(new Reference(stack, id));
                }
            });
        }
        if (matches.size() != 1) {
            throw new AssertionError("test table " + name + " " + shape + " matches " + matches
                    + " deployed tables: create it from tables.json (TableDefinitions)");
        }
        return matches.get(0);
    }

    @SuppressWarnings("unchecked")
    private static boolean sameShape(JsonNode shape, Map<String, Object> table) {
        if (!keys(shape.get("keys")).equals(schema((List<Object>) table.get("KeySchema")))) {
            return false;
        }
        Map<String, List<String>> deployed = new TreeMap<>();
        for (Object i : (List<Object>) table.getOrDefault("GlobalSecondaryIndexes", List.of())) {
            Map<String, Object> index = (Map<String, Object>) i;
            deployed.put((String) index.get("IndexName"), schema((List<Object>) index.get("KeySchema")));
        }
        Map<String, List<String>> recorded = new TreeMap<>();
        shape.path("indexes").fields().forEachRemaining(x -> recorded.put(x.getKey(), keys(x.getValue())));
        return deployed.equals(recorded);
    }

    private static List<String> keys(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(k -> out.add(k.asText()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> schema(List<Object> keySchema) {
        List<String> out = new ArrayList<>();
        for (String type : List.of("HASH", "RANGE")) {
            for (Object k : keySchema) {
                Map<String, Object> key = (Map<String, Object>) k;
                if (type.equals(key.get("KeyType"))) {
                    out.add((String) key.get("AttributeName"));
                }
            }
        }
        return out;
    }

    // --- what Lambda does with the function's role -----------------------------------------------

    /**
     * The grants Lambda itself exercises with the function's role, each with why ("action resource"
     * -> reason): writing the function's log, polling its event source mappings' queue or stream,
     * and sending to the on-failure destinations of its asynchronous invocations and mappings.
     */
    @SuppressWarnings("unchecked")
    static Map<String, String> lambdaUses(Function f) {
        Map<String, String> uses = new LinkedHashMap<>();
        Map<String, Map<String, Object>> resources = templates.resources(appStack);
        Set<String> targets = new LinkedHashSet<>(List.of(f.logicalId()));
        resources.forEach((id, r) -> {
            if ("AWS::Lambda::Alias".equals(r.get("Type"))
                    && Map.of("Ref", f.logicalId()).equals(Templates.properties(r).get("FunctionName"))) {
                targets.add(id);
            }
        });
        Object logGroup = ((Map<String, Object>) Templates.properties(resources.get(f.logicalId())).getOrDefault("LoggingConfig", Map.of())).get("LogGroup");
        templates.reference(appStack, logGroup).ifPresent(group -> {
            String arn = templates.arn(appStack, group.logicalId());
            for (String a : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
                uses.put(a + " " + arn, "Lambda writes the function's log group with its role");
            }
        });
        resources.forEach((id, r) -> {
            Map<String, Object> p = Templates.properties(r);
            // FunctionName may be a Ref of the function or its alias, or a Join built from the alias's ARN
            boolean ours = refs(p.get("FunctionName")).stream().anyMatch(targets::contains);
            if (!ours) {
                return;
            }
            if ("AWS::Lambda::EventSourceMapping".equals(r.get("Type"))) {
                String source = templates.resolve(appStack, p.get("EventSourceArn"));
                List<String> actions = source.startsWith("arn:aws:sqs")
                        ? List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:DeleteMessage",
                                "sqs:GetQueueAttributes")
                        : List.of("kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator",
                                "kinesis:ListShards", "kinesis:SubscribeToShard", "kinesis:DescribeStream", "kinesis:ListStreams",
                                "kinesis:DescribeStreamConsumer");
                for (String a : actions) {
                    uses.put(a + " " + source, "the event source mapping polls its source with the function's role");
                }
                onFailure(p.get("DestinationConfig"), uses, "the event source mapping sends what it gives up on");
            }
            if ("AWS::Lambda::EventInvokeConfig".equals(r.get("Type"))) {
                onFailure(p.get("DestinationConfig"), uses, "asynchronous invocations that failed go to the on-failure destination");
            }
        });
        return uses;
    }

    /** Every logical id a template value refers to (Ref and GetAtt, at any depth). */
    @SuppressWarnings("unchecked")
    static Set<String> refs(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof Map<?, ?> m) {
            ((Map<String, Object>) m).forEach((k, v) -> {
                if (k.equals("Ref") && v instanceof String s) {
                    out.add(s);
                } else if (k.equals("Fn::GetAtt") && v instanceof List<?> l && !l.isEmpty()) {
                    out.add(String.valueOf(l.get(0)));
                } else {
                    out.addAll(refs(v));
                }
            });
        } else if (value instanceof List<?> l) {
            l.forEach(v -> out.addAll(refs(v)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void onFailure(Object destinationConfig, Map<String, String> uses, String reason) {
        if (!(destinationConfig instanceof Map<?, ?> d)) {
            return;
        }
        Object onFailure = ((Map<String, Object>) d).get("OnFailure");
        if (onFailure == null) {
            return;
        }
        String arn = templates.resolve(appStack, ((Map<String, Object>) onFailure).get("Destination"));
        for (String a : List.of("sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl")) {
            uses.put(a + " " + arn, reason + " with the function's role");
        }
    }

    static {
        // fail early and clearly if the evidence directory layout changes
        if (!Path.of("target").isAbsolute() && System.getProperty("slaledger.root") == null) {
            System.err.println("IamEvidenceIT: slaledger.root not set; reading the evidence under ..");
        }
    }

    @SuppressWarnings("unused")
    private static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
