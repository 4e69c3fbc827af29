package dev.slaledger.benchmarks.rehearsal.aws;

/**
 * What a simulated process is doing, attached to it: the job it works for (the report's row) and,
 * inside a Lambda invocation, that invocation (its deadline, its injected faults).
 */
public final class Activity {
    private final String job;
    private SimLambda.Invocation invocation;

    public Activity(String job) {
        this.job = job;
    }

    public String job() {
        return job;
    }

    public SimLambda.Invocation invocation() {
        return invocation;
    }

    void invocation(SimLambda.Invocation value) {
        invocation = value;
    }
}
