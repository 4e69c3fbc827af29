package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** The D1 record the mapper writes by hand is the JSON a generator would write, for any id and instant. */
class AccessLogMapperPropertiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AccessLogMapper mapper = new AccessLogMapper(AccessLogMapper.AccountSource.CLAIM);

    private static String line(String claim, long ms, int status) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("claim", claim);
            g.writeNumberField("requestTimeEpoch", ms);
            g.writeNumberField("status", status);
            g.writeEndObject();
        }
        return w.toString();
    }

    @Property(tries = 2000)
    @net.jqwik.api.Label("D1 the record written for an access-log line holds its account id, instant and status exactly")
    void handWrittenD1IsValidJsonWithTheSameValues(@ForAll @StringLength(min = 1, max = 40) String claim,
            @ForAll @LongRange(min = 0, max = 253_402_300_799_999L) long ms,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 100, max = 599) int status) throws IOException {
        boolean validUnicode = claim.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF);
        AccessLogMapper.Mapping m = mapper.map(line(claim, ms, status));
        if (claim.equals("-")) {
            assertThat(m).isInstanceOf(AccessLogMapper.Unmappable.class);
            return;
        }
        if (!validUnicode) {
            assertThat(((AccessLogMapper.Unmappable) m).detail()).contains("lone surrogate");
            return;
        }
        byte[] d1 = Arrays.copyOf(mapper.buffer(), ((AccessLogMapper.Mapped) m).length());
        JsonNode n = JSON.readTree(d1);
        assertThat(n.get("accountId").asText()).isEqualTo(claim);
        assertThat(Instant.parse(n.get("timestamp").asText())).isEqualTo(Instant.ofEpochMilli(ms));
        assertThat(n.get("status").asInt()).isEqualTo(status);
        assertThat(n.get("reached").asBoolean()).isTrue();
        assertThat(n.size()).isEqualTo(4);
    }
}
