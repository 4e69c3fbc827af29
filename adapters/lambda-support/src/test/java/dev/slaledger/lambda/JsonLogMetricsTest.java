package dev.slaledger.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Embedded metric format lines with dimensions (the forecast's metrics per currency). */
class JsonLogMetricsTest {
    private final List<String> lines = new ArrayList<>();

    private final Context context = new Context() {
        public String getAwsRequestId() { return "r"; }
        public String getLogGroupName() { return "g"; }
        public String getLogStreamName() { return "s"; }
        public String getFunctionName() { return "f"; }
        public String getFunctionVersion() { return "1"; }
        public String getInvokedFunctionArn() { return "arn"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return 1000; }
        public int getMemoryLimitInMB() { return 512; }
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) { lines.add(message); }
                public void log(byte[] message) { lines.add(new String(message)); }
            };
        }
    };

    @Test
    @DisplayName("one line: the dimension's name and value, each metric's name, unit and value")
    void metricsWithDimensions() throws Exception {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("CertainLiability", 1234.5);
        values.put("Accounts", 3L);
        JsonLog.metrics(context, "SlaLedger/Forecast", Map.of("Currency", "EUR"), values, "None");
        assertThat(lines).hasSize(1);
        JsonNode n = new ObjectMapper().readTree(lines.get(0));
        JsonNode directive = n.get("_aws").get("CloudWatchMetrics").get(0);
        assertThat(directive.get("Namespace").asText()).isEqualTo("SlaLedger/Forecast");
        assertThat(directive.get("Dimensions").get(0).get(0).asText()).isEqualTo("Currency");
        assertThat(directive.get("Metrics").get(0).get("Name").asText()).isEqualTo("CertainLiability");
        assertThat(n.get("Currency").asText()).isEqualTo("EUR");
        assertThat(n.get("CertainLiability").asDouble()).isEqualTo(1234.5);
        assertThat(n.get("Accounts").isIntegralNumber()).isTrue();
        JsonLog.metrics(context, "SlaLedger/Forecast", Map.of(), Map.of(), "Count");
        assertThat(lines).hasSize(1);
    }
}
