package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * Issue 26 item 3: the ingest mapping and the request stream the app deploys are exactly their one
 * definition (functions/ingest kinesis-mapping.json), the one KinesisEsm runs the handler under in the
 * local runtime, the integration tests and the harnesses ({@code KinesisEsmTest#deployedSettingsAreTheDefinition}
 * in tooling/emulators checks that side). A value changed in the file changes here; a setting the app
 * sets another way, or one the file holds that the app ignores, fails this test.
 */
class IngestMappingTest {
    private final Synth synth = Synth.get();

    private static JsonNode definition() throws IOException {
        Path source = Path.of(System.getProperty(FunctionPackages.ROOT_PROPERTY, ".."),
                "functions/ingest/src/main/resources/dev/slaledger/ingest/kinesis-mapping.json");
        JsonNode onClassPath = EventDefinitions.read(IngestMapping.DEFINITION);
        JsonNode inSources = new ObjectMapper().readTree(Files.readString(source));
        assertThat(onClassPath).as("the copy on the class path is the source file").isEqualTo(inSources);
        return inSources;
    }

    @Test
    @DisplayName("Issue 26.3 the deployed Kinesis mapping holds every setting of kinesis-mapping.json, with its value, and the stream its retention")
    void templateIsTheDefinition() throws IOException {
        JsonNode d = definition();
        List<Map<String, Object>> mappings = new ArrayList<>();
        synth.app.findResources("AWS::Lambda::EventSourceMapping").values().forEach(r -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) ((Map<String, Object>) r).get("Properties");
            if (props.containsKey("StartingPosition")) { // the stream's (SQS mappings have none)
                mappings.add(props);
            }
        });
        assertThat(mappings).hasSize(1);
        Map<String, Object> deployed = mappings.get(0);
        Map<String, Object> expected = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "comment", "StreamRetentionPeriodHours" -> { }
                case "FunctionResponseTypes" -> {
                    List<String> types = new ArrayList<>();
                    e.getValue().forEach(t -> types.add(t.asText()));
                    assertThat(deployed.get("FunctionResponseTypes")).as("FunctionResponseTypes")
                            .isEqualTo(types.isEmpty() ? null : types);
                }
                default -> expected.put(e.getKey(), new ObjectMapper().convertValue(e.getValue(), Object.class));
            }
        }
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            assertThat(deployed.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        // nothing else about delivery is set behind the file's back
        List<String> others = new ArrayList<>(deployed.keySet());
        others.removeAll(expected.keySet());
        others.removeAll(List.of("FunctionResponseTypes", "EventSourceArn", "FunctionName", "DestinationConfig", "Tags"));
        assertThat(others).as("settings the file does not hold").isEmpty();

        Template data = synth.data;
        data.hasResourceProperties("AWS::Kinesis::Stream",
                Map.of("RetentionPeriodHours", d.get("StreamRetentionPeriodHours").asInt()));
        // a batch given up on can still be read back: the record age limit is under the retention
        assertThat(d.get("MaximumRecordAgeInSeconds").asLong())
                .isLessThan(d.get("StreamRetentionPeriodHours").asLong() * 3600);
    }
}
