package dev.slaledger.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one log-line writer of the functions: one JSON object per line ({@code level}, {@code message},
 * optional fields), escaped by Jackson so a message holding quotes, backslashes or newlines stays
 * one line of valid JSON. Never pass request payloads or contact data (docs/infrastructure.md).
 * Without a Lambda context (tests, tools) lines go to standard output. Written with jackson-core's
 * generator alone, not databind: every function logs, and databind's first use costs a cold start about
 * 100 ms of CPU (docs/benchmarks.md, issue 32 item 2).
 */
public final class JsonLog {
    private static final JsonFactory JSON = new JsonFactory();

    /** One JSON object written by {@code body}, as one line. */
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

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
        emit(context, object(g -> {
            directive(g, namespace, new String[0]);
            g.writeStartObject();
            g.writeStringField("Name", name);
            g.writeStringField("Unit", "Count");
            g.writeEndObject();
            endDirective(g);
            g.writeNumberField(name, value);
        }));
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
        emit(context, object(g -> {
            directive(g, namespace, dimensions.keySet().toArray(String[]::new));
            for (String name : values.keySet()) {
                g.writeStartObject();
                g.writeStringField("Name", name);
                g.writeStringField("Unit", unit);
                g.writeEndObject();
            }
            endDirective(g);
            for (Map.Entry<String, String> d : dimensions.entrySet()) {
                g.writeStringField(d.getKey(), d.getValue());
            }
            for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
                double v = e.getValue().doubleValue();
                if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                    g.writeNumberField(e.getKey(), (long) v);
                } else {
                    g.writeNumberField(e.getKey(), v);
                }
            }
        }));
    }

    /** The line {@link #info} and friends write, without the newline. */
    public static String line(String level, String message) {
        return object(g -> {
            g.writeStringField("level", level);
            g.writeStringField("message", message);
        });
    }

    /** Opens {@code _aws} and its one directive, up to the open {@code Metrics} array. */
    private static void directive(JsonGenerator g, String namespace, String[] dimensions) throws IOException {
        g.writeObjectFieldStart("_aws");
        g.writeNumberField("Timestamp", System.currentTimeMillis());
        g.writeArrayFieldStart("CloudWatchMetrics");
        g.writeStartObject();
        g.writeStringField("Namespace", namespace);
        g.writeArrayFieldStart("Dimensions");
        g.writeArray(dimensions, 0, dimensions.length);
        g.writeEndArray();
        g.writeArrayFieldStart("Metrics");
    }

    /** Closes what {@link #directive} opened. */
    private static void endDirective(JsonGenerator g) throws IOException {
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    private static String object(Body body) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a log line could not be written", e); // a StringWriter does not fail
        }
        return out.toString();
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
