package dev.slaledger.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PlainJsonTest {
    @Test
    @DisplayName("objects keep document order, a repeated name keeps its last value, and every kind of value reads as its plain type")
    void values() throws Exception {
        Object read = PlainJson.read("""
            {"b":1,"a":[true,false,null,"s",2.50,-7,12345678901,123456789012345678901234567890],"b":{"x":{}}}""");
        assertThat(read).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) read;
        assertThat(object.keySet()).containsExactly("b", "a");
        assertThat(object.get("b")).isEqualTo(Map.of("x", Map.of()));
        @SuppressWarnings("unchecked")
        List<Object> array = (List<Object>) object.get("a");
        assertThat(array.subList(0, 4)).containsExactly(Boolean.TRUE, Boolean.FALSE, PlainJson.NULL, "s");
        PlainJson.Num fraction = (PlainJson.Num) array.get(4);
        assertThat(fraction.integral()).isFalse();
        assertThat(fraction.intValue()).isNull();
        PlainJson.Num small = (PlainJson.Num) array.get(5);
        assertThat(small.intValue()).isEqualTo(-7);
        assertThat(small.longValue()).isEqualTo(-7L);
        PlainJson.Num large = (PlainJson.Num) array.get(6);
        assertThat(large.intValue()).isNull();
        assertThat(large.longValue()).isEqualTo(12345678901L);
        PlainJson.Num huge = (PlainJson.Num) array.get(7);
        assertThat(huge.integral()).isTrue();
        assertThat(huge.longValue()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"b\":1,\"a\":[true,false,null,\"s\",2.50,-7,12345678901,1e2,-0.0]}",
        "[\"quotes \\\" back \\\\ newline \\n tab \\t unicode \\u00e9 \\u0001\"]",
        "\"text\"", "12", "null", "{}", "[]", "{\"x\":{\"y\":[[],{}]}}"})
    @DisplayName("a value is written back as compact JSON exactly as databind's tree printed the same document")
    void writtenAsDatabindPrintedIt(String json) throws Exception {
        assertThat(PlainJson.write(PlainJson.read(json))).isEqualTo(new ObjectMapper().readTree(json).toString());
    }

    @Test
    @DisplayName("an empty document reads as null, content after the first value is not read, and a stream reads like a string")
    void edges() throws Exception {
        assertThat(PlainJson.read("")).isNull();
        assertThat(PlainJson.read("  ")).isNull();
        assertThat(PlainJson.read("{\"a\":1} trailing")).isEqualTo(Map.of("a", new PlainJson.Num("1", 1)));
        assertThat(PlainJson.read(new ByteArrayInputStream("[\"x\"]".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(List.of("x"));
    }

    @Test
    @DisplayName("a document that is not JSON is refused with jackson-core's own message; a value that is not plain is not written")
    void refusals() {
        assertThatThrownBy(() -> PlainJson.read("{bad")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("was expecting double-quote to start field name");
        assertThatThrownBy(() -> PlainJson.read("[1,")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> PlainJson.write(List.of(new Object()))).isInstanceOf(IllegalArgumentException.class);
    }
}
