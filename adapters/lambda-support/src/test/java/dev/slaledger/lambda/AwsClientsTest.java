package dev.slaledger.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.priming.Priming;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Issue 32 item 2: a client only some invocations need is built on its first use, or by SnapStart's priming. */
class AwsClientsTest {
    @Test
    void aLazyClientIsBuiltOnItsFirstUseAndOnlyOnce() {
        AtomicInteger builds = new AtomicInteger();
        Supplier<Object> client = AwsClients.lazy("Test", counting(builds));

        assertThat(builds).as("nothing built by the constructor that asks for it").hasValue(0);
        Object first = client.get();
        assertThat(client.get()).isSameAs(first);
        assertThat(builds).hasValue(1);
    }

    @Test
    void snapStartPrimingBuildsALazyClientBeforeTheSnapshot() {
        AtomicInteger builds = new AtomicInteger();
        Supplier<Object> client = AwsClients.lazy("Primed", counting(builds));
        List<Priming> hooks = Priming.registered();
        Priming hook = hooks.get(hooks.size() - 1);

        Priming.Report report = hook.run();

        assertThat(report.allCompleted()).isTrue();
        assertThat(report.completed()).containsExactly("build the Primed client");
        assertThat(builds).hasValue(1);
        assertThat(((AwsClients.Lazy<Object>) client).isBuilt()).isTrue();
        client.get();
        assertThat(builds).as("the primed client is the one later invocations use").hasValue(1);
    }

    /** A stand-in client builder that counts its builds. */
    private static Supplier<Object> counting(AtomicInteger builds) {
        return () -> {
            builds.incrementAndGet();
            return new Object();
        };
    }
}
