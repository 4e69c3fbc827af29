package dev.slaledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 21: the subscription payload CloudWatch Logs puts on the stream, read or refused. */
class CloudWatchLogsPayloadTest {

    private static CloudWatchLogsPayload.Decoded decode(String json) {
        return CloudWatchLogsPayload.decode(AccessLogPayloads.gzip(json));
    }

    private static String unreadable(String json) {
        return ((CloudWatchLogsPayload.Unreadable) decode(json)).detail();
    }

    @Test
    @DisplayName("a data message: group, stream and every event in order")
    void dataMessage() {
        var events = List.of(new AccessLogPayloads.LogEvent("1", 10, "{\"a\":1}"),
                new AccessLogPayloads.LogEvent("2", 11, "line \"two\"\n"));
        var d = (CloudWatchLogsPayload.Data) decode(AccessLogPayloads.dataMessage("g", "s", events));
        assertThat(d.logGroup()).isEqualTo("g");
        assertThat(d.logStream()).isEqualTo("s");
        assertThat(d.events()).containsExactly(new CloudWatchLogsPayload.LogEvent("1", 10, "{\"a\":1}"),
                new CloudWatchLogsPayload.LogEvent("2", 11, "line \"two\"\n"));
    }

    @Test
    @DisplayName("a control message is recognised (nothing to count)")
    void controlMessage() {
        assertThat(decode(AccessLogPayloads.controlMessage(1_791_029_100_000L)))
                .isInstanceOf(CloudWatchLogsPayload.Control.class);
    }

    @Test
    @DisplayName("only gzip bytes are taken for a payload; a D1 record never starts with 1f 8b")
    void gzipMagic() {
        assertThat(CloudWatchLogsPayload.isGzip(AccessLogPayloads.gzip("{}"))).isTrue();
        assertThat(CloudWatchLogsPayload.isGzip("{\"accountId\":\"acme\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(CloudWatchLogsPayload.isGzip(new byte[] {0x1f})).isFalse();
        assertThat(CloudWatchLogsPayload.isGzip(new byte[0])).isFalse();
    }

    @Test
    @DisplayName("D1 what is not a subscription payload is unreadable, with why")
    void unreadablePayloads() {
        byte[] whole = AccessLogPayloads.gzip(AccessLogPayloads.restPayload());
        assertThat(((CloudWatchLogsPayload.Unreadable) CloudWatchLogsPayload.decode(
                java.util.Arrays.copyOf(whole, whole.length / 2))).detail())
                .isEqualTo("subscription payload: not a complete gzip stream");
        assertThat(((CloudWatchLogsPayload.Unreadable) CloudWatchLogsPayload.decode(new byte[] {0x1f, (byte) 0x8b, 1, 2}))
                .detail()).startsWith("subscription payload: ");
        assertThat(unreadable("not json")).isEqualTo("subscription payload: malformed JSON");
        assertThat(unreadable("[]")).isEqualTo("subscription payload: not a JSON object");
        assertThat(unreadable("{\"logGroup\":\"g\",\"logStream\":\"s\",\"logEvents\":[]}"))
                .isEqualTo("subscription payload: messageType absent");
        assertThat(unreadable("{\"messageType\":\"OTHER\"}"))
                .isEqualTo("subscription payload: messageType neither DATA_MESSAGE nor CONTROL_MESSAGE");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logStream\":\"s\",\"logEvents\":[]}"))
                .isEqualTo("subscription payload: logGroup absent");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logEvents\":[]}"))
                .isEqualTo("subscription payload: logStream absent");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\"}"))
                .isEqualTo("subscription payload: logEvents absent");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\",\"logEvents\":{}}"))
                .isEqualTo("subscription payload: logEvents is not an array");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"logEvents\":[{\"id\":\"1\",\"message\":7}]}"))
                .isEqualTo("subscription payload: a log event without a string message");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"logEvents\":[{\"message\":\"m\"}]}"))
                .isEqualTo("subscription payload: a log event without a string id");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"logEvents\":[{\"id\":\"1\",\"message\":\"a\"},{\"id\":\"1\",\"message\":\"b\"}]}"))
                .isEqualTo("subscription payload: a log event id given twice");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"logEvents\":[{\"id\":\"" + "9".repeat(257) + "\",\"message\":\"a\"}]}"))
                .isEqualTo("subscription payload: a log event id longer than 256");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"" + "g".repeat(513)
                + "\",\"logStream\":\"s\",\"logEvents\":[]}"))
                .isEqualTo("subscription payload: logGroup or logStream longer than 512");
        assertThat(unreadable("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"logEvents\":[1]}"))
                .isEqualTo("subscription payload: logEvents holds something other than objects");
    }

    @Test
    @DisplayName("S7.5 a gzip bomb stops at 16 MiB inflated, unreadable instead of exhausting memory")
    void gzipBomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 17; i++) {
                z.write(zeros);
            }
        }
        assertThat(out.size()).isLessThan(100_000);
        assertThat(((CloudWatchLogsPayload.Unreadable) CloudWatchLogsPayload.decode(out.toByteArray())).detail())
                .contains("inflates beyond 16777216 bytes");
    }
}
