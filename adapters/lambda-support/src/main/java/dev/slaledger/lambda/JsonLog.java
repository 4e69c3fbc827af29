package dev.slaledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Map;

/**
 * The one log-line writer of the functions: one JSON object per line ({@code level}, {@code message},
 * optional fields), escaped by Jackson so a message holding quotes, backslashes or newlines stays
 * one line of valid JSON. Never pass request payloads or contact data (docs/infrastructure.md).
 * Without a Lambda context (tests, tools) lines go to standard output.
 */
public final class JsonLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLog() {
    }

    public static void info(Context context, String message) {
        write(context, "INFO", message);
    }

    public static void warn(Context context, String message) {
        write(context, "WARN", message);
    }

    public static void error(Context context, String message) {
        write(context, "ERROR", message);
    }

    /**
     * One CloudWatch embedded-metric-format line: {@code value} of metric {@code name} (a count) in
     * {@code namespace}, no dimensions. CloudWatch Logs turns it into a metric an alarm can watch.
     */
    public static void metric(Context context, String namespace, String name, long value) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode aws = n.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray();
        directive.putArray("Metrics").addObject().put("Name", name).put("Unit", "Count");
        n.put(name, value);
        emit(context, n.toString());
    }

    /**
     * One embedded-metric-format line of several metrics of one unit sharing one set of dimensions
     * ({@code dimensions} empty: none), values as given (a count, or an amount as a double: a metric,
     * never money).
     */
    public static void metrics(Context context, String namespace, Map<String, String> dimensions,
            Map<String, ? extends Number> values, String unit) {
        if (values.isEmpty()) {
            return;
        }
        ObjectNode n = JSON.createObjectNode();
        ObjectNode aws = n.putObject("_aws");
        aws.put("Timestamp", System.currentTimeMillis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        com.fasterxml.jackson.databind.node.ArrayNode dims = directive.putArray("Dimensions").addArray();
        dimensions.forEach((name, value) -> {
            dims.add(name);
            n.put(name, value);
        });
        com.fasterxml.jackson.databind.node.ArrayNode metrics = directive.putArray("Metrics");
        values.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", unit);
            double v = value.doubleValue();
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                n.put(name, (long) v);
            } else {
                n.put(name, v);
            }
        });
        emit(context, n.toString());
    }

    /** The line {@link #info} and friends write, without the newline. */
    public static String line(String level, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("level", level);
        n.put("message", message);
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a log line could not be written", e);
        }
    }

    private static void write(Context context, String level, String message) {
        emit(context, line(level, message));
    }

    private static void emit(Context context, String line) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            PrintStream out = System.out;
            out.println(line);
        }
    }
}
