package dev.slaledger.testkit;

import java.util.HashSet;
import java.util.Set;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Counts the tests {@link Engines#get()} skipped for lack of Docker and says so once, at the end of
 * the test JVM's run: {@code LocalStack profile: no Docker engine found, N integration tests skipped}.
 * Registered through {@code META-INF/services}, so every module that has the testkit on its test
 * classpath reports it; silent when nothing was skipped.
 */
public final class SkipReport implements TestExecutionListener {
    private TestPlan plan;
    private final Set<String> skipped = new HashSet<>();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        skipped.clear();
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.ABORTED || !noDocker(result)) {
            return;
        }
        if (id.isTest()) {
            skipped.add(id.getUniqueId());
            return;
        }
        for (TestIdentifier d : plan.getDescendants(id)) {
            // a test, or a parameterized/property test whose invocations never got generated
            if (d.isTest() || (d.isContainer() && plan.getChildren(d).isEmpty())) {
                skipped.add(d.getUniqueId());
            }
        }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (reason == null || !reason.contains(Engines.NO_DOCKER)) {
            return;
        }
        if (id.isTest()) {
            skipped.add(id.getUniqueId());
        }
        for (TestIdentifier d : plan.getDescendants(id)) {
            if (d.isTest() || (d.isContainer() && plan.getChildren(d).isEmpty())) {
                skipped.add(d.getUniqueId());
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (!skipped.isEmpty()) {
            System.out.println(message(skipped.size()));
        }
    }

    static String message(int count) {
        return Engines.NO_DOCKER + ", " + count + " integration test" + (count == 1 ? "" : "s") + " skipped";
    }

    private static boolean noDocker(TestExecutionResult result) {
        return result.getThrowable().map(Throwable::getMessage)
                .filter(m -> m.contains(Engines.NO_DOCKER)).isPresent();
    }
}
