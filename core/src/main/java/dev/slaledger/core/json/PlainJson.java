package dev.slaledger.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document read into plain values with jackson-core's streaming parser, for the small documents
 * of the functions that need no more (the terms, the deployed settings, the work message, the statement, a
 * maintenance window), without Jackson databind: databind's first use costs a cold start about 100 ms of
 * CPU (docs/benchmarks.md, issue 32 item 2).
 *
 * <p>Values: a {@code Map<String, Object>} per object (document order; a repeated name keeps its last
 * value, as databind's tree does), a {@code List<Object>} per array, {@code String}, {@code Boolean},
 * {@link Num}, and {@link #NULL} for a JSON {@code null} (an absent field is a {@code Map} lookup's
 * {@code null}). {@link #write} gives a value back as compact JSON, the way databind's tree printed it; it
 * also writes the {@code Integer}, {@code Long}, {@code BigInteger}, {@code BigDecimal} and {@code Double}
 * of a document built in code.
 */
public final class PlainJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** A JSON {@code null}. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /**
     * A JSON number: its value (an {@code Integer}, {@code Long} or {@code BigInteger} when written as an
     * integer, else the {@code Double} it reads as) and how it is shown (an integer as its value, a fraction as
     * that double, like databind's tree).
     */
    public record Num(String shown, Number value) {
        /** The value when it is an integer that fits an {@code int}, else null. */
        public Integer intValue() {
            return value instanceof Integer i ? i : null;
        }

        /** The value when it is an integer that fits a {@code long}, else null. */
        public Long longValue() {
            return value instanceof Integer || value instanceof Long ? value.longValue() : null;
        }

        /** Whether it was written as an integer (of any size). */
        public boolean integral() {
            return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
        }

        @Override
        public String toString() {
            return shown;
        }
    }

    private PlainJson() {
    }

    /** The document's first value; null when it holds none. Content after that value is not read. */
    public static Object read(String json) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return first(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String does not fail to read
        }
    }

    /** {@link #read(String)} of a stream; a failure to read it is an {@link IOException}. */
    public static Object read(InputStream json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return first(p);
        }
    }

    /**
     * A value as compact JSON: a string quoted and escaped, a {@link Num} as {@link Num#shown}, a number
     * built in code as databind wrote it.
     */
    public static String write(Object value) {
        return generate(g -> write(g, value));
    }

    /** What a document's writer does with the generator it is given. */
    public interface Document {
        void write(JsonGenerator g) throws IOException;
    }

    /** The text {@code document} writes with a jackson-core generator (for documents written field by field). */
    public static String generate(Document document) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            document.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static Object first(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        return first == null ? null : value(p, first);
    }

    private static Object value(JsonParser p, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.put(name, value(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    array.add(value(p, t));
                }
                yield array;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> new Num(p.getNumberValue().toString(), p.getNumberValue());
            case VALUE_NUMBER_FLOAT -> new Num(Double.toString(p.getDoubleValue()), p.getDoubleValue());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> NULL;
            default -> throw new IllegalStateException("unexpected " + token + " at " + p.currentLocation());
        };
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        switch (value) {
            case Map<?, ?> object -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : object.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    write(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> array -> {
                g.writeStartArray();
                for (Object v : array) {
                    write(g, v);
                }
                g.writeEndArray();
            }
            case String s -> g.writeString(s);
            case Num n -> g.writeNumber(n.shown());
            case Integer i -> g.writeNumber(i);
            case Long l -> g.writeNumber(l);
            case BigInteger b -> g.writeNumber(b);
            case java.math.BigDecimal d -> g.writeNumber(d);
            case Double d -> g.writeNumber(d);
            case Boolean b -> g.writeBoolean(b);
            case null -> g.writeNull();
            default -> {
                if (value != NULL) {
                    throw new IllegalArgumentException("not a plain JSON value: " + value.getClass().getName());
                }
                g.writeNull();
            }
        }
    }
}
