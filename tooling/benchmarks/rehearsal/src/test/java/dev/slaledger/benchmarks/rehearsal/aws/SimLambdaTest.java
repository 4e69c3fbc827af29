package dev.slaledger.benchmarks.rehearsal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import dev.slaledger.benchmarks.rehearsal.model.LatencyModel;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.sim.Sim;
import dev.slaledger.emulators.LambdaContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The rehearsal's Lambda model hands its handlers the project's one fake Context (tooling/emulators). */
class SimLambdaTest {

    @Test
    @DisplayName("S9.1: a handler run by the rehearsal gets the emulators' LambdaContext, its time left read from the"
            + " simulated clock, its WARN lines counted per job")
    void handlerGetsTheProjectsLambdaContext() {
        Sim sim = new Sim(Instant.parse("2026-11-02T08:00:00Z"));
        Meter meter = new Meter();
        Aws aws = new Aws(sim, new LatencyModel(1.0), meter, Faults.none());
        SimLambda fn = new SimLambda(aws, "notice-worker", 512, Duration.ofMinutes(5), OptionalInt.empty());
        List<Object> seen = new ArrayList<>();
        List<SimLambda.Outcome<Integer>> out = new ArrayList<>();
        sim.spawn("test", new Activity("job"), () -> out.add(fn.invoke((Context ctx) -> {
            seen.add(ctx);
            int before = ctx.getRemainingTimeInMillis();
            sim.sleep(Duration.ofSeconds(10));
            ctx.getLogger().log("{\"level\":\"WARN\",\"message\":\"x\"}");
            return before - ctx.getRemainingTimeInMillis();
        })));
        sim.runWhile(out::isEmpty, Duration.ofSeconds(1), sim.now().plus(Duration.ofHours(1)));

        assertThat(seen).singleElement().isInstanceOf(LambdaContext.class);
        LambdaContext ctx = (LambdaContext) seen.get(0);
        assertThat(ctx.getFunctionName()).isEqualTo("notice-worker");
        assertThat(ctx.getMemoryLimitInMB()).isEqualTo(512);
        assertThat(ctx.getAwsRequestId()).isEqualTo("notice-worker-1");
        assertThat(out.get(0).ok()).isTrue();
        assertThat(out.get(0).value()).isEqualTo(10_000);
        assertThat(ctx.logged()).isEqualTo(1);
    }
}
