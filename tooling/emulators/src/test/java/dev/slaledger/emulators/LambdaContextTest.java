package dev.slaledger.emulators;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LambdaContextTest {

    @Test
    @DisplayName("keeps each log line without its newline, in order, and echoes it; names the function")
    void keepsAndEchoes() {
        List<String> echoed = new ArrayList<>();
        LambdaContext context = new LambdaContext("sla-ingest", echoed::add);
        context.getLogger().log("{\"_aws\":{}}\n");
        context.getLogger().log("second".getBytes(StandardCharsets.UTF_8));

        assertThat(context.lines()).containsExactly("{\"_aws\":{}}", "second");
        assertThat(echoed).containsExactly("{\"_aws\":{}}", "second");
        assertThat(context.logged()).isEqualTo(2);
        assertThat(context.getFunctionName()).isEqualTo("sla-ingest");
        assertThat(context.getInvokedFunctionArn()).endsWith(":function:sla-ingest");
        assertThat(context.getRemainingTimeInMillis()).isEqualTo(15 * 60 * 1000);
        assertThat(context.getAwsRequestId()).isNotBlank();
    }

    @Test
    @DisplayName("counting: a harness's context counts the lines and keeps none")
    void counting() {
        LambdaContext context = LambdaContext.counting("ingest", 300_000);
        for (int i = 0; i < 3; i++) {
            context.getLogger().log("line " + i);
        }
        assertThat(context.logged()).isEqualTo(3);
        assertThat(context.lines()).isEmpty();
        assertThat(context.getRemainingTimeInMillis()).isEqualTo(300_000);
    }

    @Test
    @DisplayName("simulated: the time left comes from a supplier on each call, the request id is the caller's, lines are"
            + " echoed and counted, none kept")
    void simulated() {
        int[] left = {300_000};
        List<String> echoed = new ArrayList<>();
        LambdaContext context = LambdaContext.simulated("notice-worker", "notice-worker-7", 512, () -> left[0],
                echoed::add);
        assertThat(context.getRemainingTimeInMillis()).isEqualTo(300_000);
        left[0] = 1_000;
        assertThat(context.getRemainingTimeInMillis()).isEqualTo(1_000);
        context.getLogger().log("warn\n");
        assertThat(echoed).containsExactly("warn");
        assertThat(context.lines()).isEmpty();
        assertThat(context.logged()).isEqualTo(1);
        assertThat(context.getAwsRequestId()).isEqualTo("notice-worker-7");
        assertThat(context.getMemoryLimitInMB()).isEqualTo(512);
    }
}
