package dev.slaledger.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

/**
 * The IAM evidence of the integration tests (issue 31 item 1, docs/infrastructure.md "IAM from
 * evidence"): an SDK execution interceptor that every client the {@link Engines} builders (and
 * {@link LoopbackEventBridge}) make carries, so every IT records without code of its own.
 *
 * <p>For each call it finds whose call it is from the stack: a Lambda handler's
 * {@code handleRequest} (the class implementing {@code RequestHandler}), or a function's SnapStart
 * priming ({@code Priming.running()} of lambda-support, read reflectively: the testkit depends on no
 * module of ours). Calls of test code itself (seeding, reading back) belong to no function and are
 * not recorded; CreateTable requests are, from anyone, because the evidence needs each test table's
 * key schema to know its leading keys and which deployed table it stands for.
 *
 * <p>One line per distinct (function, action, resource, leading key), as IAM authorizes it: a
 * TransactWriteItems is one {@code dynamodb:PutItem}/{@code UpdateItem}/{@code DeleteItem}/
 * {@code ConditionCheckItem} per item, a Query on an index is on {@code table/<t>/index/<i>} with the
 * index's partition key value as leading key, a PutEvents is one line per bus, a SendEmail names the
 * From identity and the configuration set. Lines go to the file of the system property
 * {@value #FILE_PROPERTY} (the root pom sets {@code target/aws-calls/failsafe.jsonl} for failsafe),
 * else {@code target/aws-calls/calls-<pid>.jsonl}, written when the JVM exits.
 */
public final class CallRecorder implements ExecutionInterceptor {
    public static final String FILE_PROPERTY = "slaledger.calls.file";
    /** The account id the recorded ARNs carry (the engines' own, not a real account). */
    public static final String ACCOUNT = "000000000000";

    private static final CallRecorder INSTANCE = new CallRecorder();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EQUALITY = Pattern.compile("(#?[A-Za-z0-9_]+)\\s*=\\s*(:[A-Za-z0-9_]+)");
    private static final Map<String, String> SERVICE_PREFIX = Map.of("DynamoDb", "dynamodb", "Sqs", "sqs",
            "SesV2", "ses", "EventBridge", "events", "Kinesis", "kinesis", "Scheduler", "scheduler",
            "CloudWatch", "cloudwatch", "Lambda", "lambda");

    /** Key schema of every table created in this JVM: name -> [partition key, sort key or null]. */
    private final Map<String, ObjectNode> tables = new ConcurrentHashMap<>();
    private final Set<String> lines = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile boolean hooked;

    private CallRecorder() {
    }

    /** The one recorder of this JVM. */
    public static CallRecorder get() {
        return INSTANCE;
    }

    /**
     * The plugin the testkit's client builders add: it puts the recorder among the client's
     * interceptors when the client is built, so a test that later replaces the override
     * configuration ({@code overrideConfiguration(c -> c.executionInterceptors(...))}) keeps it.
     */
    public static software.amazon.awssdk.core.SdkPlugin plugin() {
        return config -> config.overrideConfiguration(config.overrideConfiguration().toBuilder()
                .addExecutionInterceptor(INSTANCE).build());
    }

    /** What was recorded so far, one JSON object per line (for tests of the recorder). */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (request instanceof CreateTableRequest create) {
            rememberTable(create);
        }
        Optional<String> principal = principal();
        if (principal.isEmpty()) {
            return;
        }
        String prefix = SERVICE_PREFIX.getOrDefault(service, service == null ? "unknown" : service.toLowerCase());
        List<ObjectNode> calls = new ArrayList<>();
        switch (request) {
            case GetItemRequest r -> calls.add(item("dynamodb:GetItem", r.tableName(), r.key()));
            case PutItemRequest r -> calls.add(item("dynamodb:PutItem", r.tableName(), r.item()));
            case UpdateItemRequest r -> calls.add(item("dynamodb:UpdateItem", r.tableName(), r.key()));
            case DeleteItemRequest r -> calls.add(item("dynamodb:DeleteItem", r.tableName(), r.key()));
            case QueryRequest r -> calls.add(query(r));
            case ScanRequest r -> calls.add(resource("dynamodb:Scan", "dynamodb", "table", r.tableName(), r.indexName()));
            case TransactWriteItemsRequest r -> r.transactItems().forEach(t -> {
                if (t.put() != null) {
                    calls.add(item("dynamodb:PutItem", t.put().tableName(), t.put().item()));
                } else if (t.update() != null) {
                    calls.add(item("dynamodb:UpdateItem", t.update().tableName(), t.update().key()));
                } else if (t.delete() != null) {
                    calls.add(item("dynamodb:DeleteItem", t.delete().tableName(), t.delete().key()));
                } else if (t.conditionCheck() != null) {
                    calls.add(item("dynamodb:ConditionCheckItem", t.conditionCheck().tableName(), t.conditionCheck().key()));
                }
            });
            case TransactGetItemsRequest r -> r.transactItems().forEach(t ->
                    calls.add(item("dynamodb:GetItem", t.get().tableName(), t.get().key())));
            case BatchGetItemRequest r -> r.requestItems().forEach((table, keys) ->
                    keys.keys().forEach(k -> calls.add(item("dynamodb:BatchGetItem", table, k))));
            case BatchWriteItemRequest r -> r.requestItems().forEach((table, writes) -> writes.forEach(w ->
                    calls.add(item("dynamodb:BatchWriteItem", table,
                            w.putRequest() != null ? w.putRequest().item() : w.deleteRequest().key()))));
            case PutEventsRequest r -> {
                Set<String> buses = new LinkedHashSet<>();
                for (PutEventsRequestEntry e : r.entries()) {
                    buses.add(e.eventBusName() == null ? "default" : e.eventBusName());
                }
                buses.forEach(bus -> calls.add(resource("events:PutEvents", "events", "event-bus", bus, null)));
            }
            case SendEmailRequest r -> {
                ObjectNode call = resource("ses:SendEmail", "ses", "identity", r.fromEmailAddress(), null);
                if (r.configurationSetName() != null) {
                    call.put("configurationSet", r.configurationSetName());
                }
                ArrayNode recipients = call.putArray("recipients");
                if (r.destination() != null) {
                    r.destination().toAddresses().forEach(recipients::add);
                    r.destination().ccAddresses().forEach(recipients::add);
                    r.destination().bccAddresses().forEach(recipients::add);
                }
                calls.add(call);
            }
            default -> calls.add(generic(prefix, operation, request));
        }
        for (ObjectNode call : calls) {
            ObjectNode line = JSON.createObjectNode();
            line.put("function", principal.get());
            line.put("service", prefix);
            line.put("operation", operation);
            line.setAll(call);
            record(line);
        }
    }

    private void rememberTable(CreateTableRequest create) {
        ObjectNode shape = JSON.createObjectNode();
        shape.put("table", create.tableName());
        shape.set("keys", keys(create.keySchema()));
        ObjectNode indexes = shape.putObject("indexes");
        create.globalSecondaryIndexes().forEach(i -> indexes.set(i.indexName(), keys(i.keySchema())));
        tables.put(create.tableName(), shape);
        ObjectNode line = JSON.createObjectNode();
        line.put("createTable", create.tableName());
        line.setAll(shape);
        record(line);
    }

    private static ArrayNode keys(List<KeySchemaElement> schema) {
        ArrayNode keys = JSON.createArrayNode();
        schema.stream().filter(k -> k.keyType() == KeyType.HASH).forEach(k -> keys.add(k.attributeName()));
        schema.stream().filter(k -> k.keyType() == KeyType.RANGE).forEach(k -> keys.add(k.attributeName()));
        return keys;
    }

    private ObjectNode item(String action, String table, Map<String, AttributeValue> key) {
        ObjectNode call = resource(action, "dynamodb", "table", table, null);
        ObjectNode shape = tables.get(table);
        if (shape == null) {
            call.put("unknownTable", true);
        } else {
            AttributeValue leading = key.get(shape.get("keys").get(0).asText());
            call.put("leadingKey", leading == null ? null : scalar(leading));
        }
        return call;
    }

    private ObjectNode query(QueryRequest r) {
        ObjectNode call = resource("dynamodb:Query", "dynamodb", "table", r.tableName(), r.indexName());
        ObjectNode shape = tables.get(r.tableName());
        if (shape == null) {
            call.put("unknownTable", true);
            return call;
        }
        String partitionKey = r.indexName() == null ? shape.get("keys").get(0).asText()
                : shape.path("indexes").path(r.indexName()).path(0).asText(null);
        String value = null;
        if (r.keyConditionExpression() != null) {
            Matcher m = EQUALITY.matcher(r.keyConditionExpression());
            while (m.find()) {
                String name = m.group(1).startsWith("#") ? r.expressionAttributeNames().get(m.group(1)) : m.group(1);
                if (name != null && name.equals(partitionKey) && r.expressionAttributeValues().containsKey(m.group(2))) {
                    value = scalar(r.expressionAttributeValues().get(m.group(2)));
                }
            }
        } else if (r.keyConditions().containsKey(partitionKey)) {
            value = scalar(r.keyConditions().get(partitionKey).attributeValueList().get(0));
        }
        call.put("leadingKey", value);
        return call;
    }

    private static String scalar(AttributeValue v) {
        return v.s() != null ? v.s() : v.n() != null ? v.n() : String.valueOf(v);
    }

    private static ObjectNode resource(String action, String service, String type, String name, String index) {
        ObjectNode call = JSON.createObjectNode();
        call.put("action", action);
        call.put("resourceType", type);
        call.put("resourceName", name);
        String arn = switch (service) {
            case "sqs" -> "arn:aws:sqs:eu-west-1:" + ACCOUNT + ":" + name;
            default -> "arn:aws:" + service + ":eu-west-1:" + ACCOUNT + ":" + type + "/" + name;
        };
        if (index != null) {
            call.put("index", index);
            arn += "/index/" + index;
        }
        call.put("resource", arn);
        return call;
    }

    /** SQS (the queue from QueueUrl), or any other service: the action, and the resource when the request names one we know. */
    private static ObjectNode generic(String prefix, String operation, SdkRequest request) {
        Optional<String> queueUrl = request.getValueForField("QueueUrl", String.class);
        if (prefix.equals("sqs") && queueUrl.isPresent()) {
            String url = queueUrl.get();
            String operationAction = operation.equals("SendMessageBatch") ? "SendMessage"
                    : operation.equals("DeleteMessageBatch") ? "DeleteMessage"
                    : operation.equals("ChangeMessageVisibilityBatch") ? "ChangeMessageVisibility" : operation;
            return resource("sqs:" + operationAction, "sqs", "queue", url.substring(url.lastIndexOf('/') + 1), null);
        }
        if (prefix.equals("kinesis")) {
            // the stream the request names (StreamARN or StreamName): IAM authorizes stream-level actions on it
            Optional<String> stream = request.getValueForField("StreamARN", String.class)
                    .map(arn -> arn.substring(arn.lastIndexOf('/') + 1))
                    .or(() -> request.getValueForField("StreamName", String.class));
            if (stream.isPresent()) {
                return resource("kinesis:" + operation, "kinesis", "stream", stream.get(), null);
            }
        }
        ObjectNode call = JSON.createObjectNode();
        call.put("action", prefix + ":" + operation);
        call.put("resourceType", "*");
        call.put("resource", "*");
        return call;
    }

    private void record(ObjectNode line) {
        String text = line.toString();
        if (lines.add(text)) {
            hookOnce();
        }
    }

    private void hookOnce() {
        if (!hooked) {
            synchronized (this) {
                if (!hooked) {
                    hooked = true;
                    Runtime.getRuntime().addShutdownHook(new Thread(this::write, "call-recorder"));
                }
            }
        }
    }

    /** Writes every line recorded so far to the file (replacing it). */
    void write() {
        Path file = file();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (String line : lines()) {
                    out.write(line);
                    out.newLine();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the AWS call evidence to " + file, e);
        }
    }

    static Path file() {
        String configured = System.getProperty(FILE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of("target", "aws-calls", "calls-" + ProcessHandle.current().pid() + ".jsonl");
    }

    /**
     * Whose call this is: {@code handler:<class>} for a call under a Lambda handler's
     * {@code handleRequest}, {@code priming:<name>} under a function's SnapStart priming, else none.
     */
    static Optional<String> principal() {
        Optional<String> priming = priming();
        if (priming.isPresent()) {
            return priming.map(p -> "priming:" + p);
        }
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> f.getMethodName().equals("handleRequest") && isHandler(f.getDeclaringClass()))
                .map(f -> "handler:" + f.getDeclaringClass().getName())
                .findFirst()); // the innermost: a handler a test runs inside another's call (an in-process trigger) makes its own calls
    }

    private static final Map<Class<?>, Boolean> HANDLERS = new ConcurrentHashMap<>();

    private static boolean isHandler(Class<?> type) {
        return HANDLERS.computeIfAbsent(type, t -> {
            for (Class<?> c = t; c != null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    if (i.getName().equals("com.amazonaws.services.lambda.runtime.RequestHandler")
                            || i.getName().equals("com.amazonaws.services.lambda.runtime.RequestStreamHandler")) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    private static volatile Method primingRunning;
    private static volatile boolean primingAbsent;

    @SuppressWarnings("unchecked")
    private static Optional<String> priming() {
        if (primingAbsent) {
            return Optional.empty();
        }
        try {
            if (primingRunning == null) {
                primingRunning = Class.forName("dev.slaledger.priming.Priming").getMethod("running");
            }
            return (Optional<String>) primingRunning.invoke(null);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            primingAbsent = true;
            return Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For the recorder's own test: the structured lines. */
    static List<Map<String, Object>> parsed(List<String> lines) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : lines) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = JSON.readValue(line, LinkedHashMap.class);
                out.add(map);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
