package dev.slaledger.benchmarks.rehearsal;

import dev.slaledger.benchmarks.rehearsal.aws.Aws;
import dev.slaledger.benchmarks.rehearsal.aws.Deployment;
import dev.slaledger.benchmarks.rehearsal.aws.Faults;
import dev.slaledger.benchmarks.rehearsal.jobs.RehearsalJob;
import dev.slaledger.benchmarks.rehearsal.jobs.Report;
import dev.slaledger.benchmarks.rehearsal.model.LatencyModel;
import dev.slaledger.benchmarks.rehearsal.model.Meter;
import dev.slaledger.benchmarks.rehearsal.model.Prices;
import dev.slaledger.benchmarks.rehearsal.sim.Sim;
import dev.slaledger.benchmarks.rehearsal.world.SyntheticWorld;
import dev.slaledger.core.terms.TermsVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a rehearsal: a suite of jobs, one after the other, on one {@link RehearsalStack} over a
 * synthetic world, and reports each job's figures, checks and targets. {@link #main} is the
 * command (tooling/benchmarks/rehearse, docs/benchmarks.md).
 */
public final class Rehearsal {
    /** What a run is given. */
    public record Params(int accounts, long seed, double latencyScale, double sesRate, long sesDaily,
            double killPerRequest, double duplicatePerReceive, boolean timeoutFirstRuns, int compensableEvery,
            int bounceEvery, int workerConcurrency) {
        public static Params defaults(int accounts) {
            return new Params(accounts, 27, 1.0, 14, 50_000, 0, 0, false, 20, 500, 0);
        }

        /** The statement workers' concurrency instead of the deployed one (choosing the cap; 0: deployed). */
        public Params withWorkerConcurrency(int n) {
            return new Params(accounts, seed, latencyScale, sesRate, sesDaily, killPerRequest, duplicatePerReceive,
                    timeoutFirstRuns, compensableEvery, bounceEvery, n);
        }

        public Params withFaults(double kill, double duplicate, boolean timeouts) {
            return new Params(accounts, seed, latencyScale, sesRate, sesDaily, kill, duplicate, timeouts,
                    compensableEvery, bounceEvery, workerConcurrency);
        }

        public Params withLatencyScale(double scale) {
            return new Params(accounts, seed, scale, sesRate, sesDaily, killPerRequest, duplicatePerReceive,
                    timeoutFirstRuns, compensableEvery, bounceEvery, workerConcurrency);
        }

        public Params withSes(double rate, long daily) {
            return new Params(accounts, seed, latencyScale, rate, daily, killPerRequest, duplicatePerReceive,
                    timeoutFirstRuns, compensableEvery, bounceEvery, workerConcurrency);
        }

        public Params withSeed(long s) {
            return new Params(accounts, s, latencyScale, sesRate, sesDaily, killPerRequest, duplicatePerReceive,
                    timeoutFirstRuns, compensableEvery, bounceEvery, workerConcurrency);
        }
    }

    /** One job's outcome. */
    public record Outcome(String job, Meter.Job figures, List<RehearsalJob.Check> checks,
            List<RehearsalJob.Check> targets, boolean finished) {
        public boolean passed() {
            return finished && checks.stream().allMatch(RehearsalJob.Check::passed);
        }

        public boolean targetsMet() {
            return targets.stream().allMatch(RehearsalJob.Check::passed);
        }
    }

    /** A run's outcomes and its report. */
    public record Result(List<Outcome> outcomes, String report, RehearsalStack stack) {
        public boolean passed() {
            return outcomes.stream().allMatch(Outcome::passed);
        }

        public Outcome outcome(String job) {
            return outcomes.stream().filter(o -> o.job().equals(job)).findFirst().orElseThrow();
        }
    }

    private Rehearsal() {
    }

    /** Runs {@code jobs} (built on the stack) from {@code start}, on a world the params describe. */
    public static Result run(Params p, Instant start, TermsVersion originalTerms,
            Function<RehearsalStack, List<RehearsalJob>> jobs) {
        long wallStart = System.nanoTime();
        Sim sim = new Sim(start);
        Meter meter = new Meter();
        Faults faults = new Faults(p.seed(), p.killPerRequest(), p.duplicatePerReceive());
        Aws aws = new Aws(sim, new LatencyModel(p.latencyScale()), meter, faults);
        Deployment deployment = p.workerConcurrency() > 0
                ? Deployment.load().withConcurrency(RehearsalStack.WORK_QUEUE, p.workerConcurrency()) : Deployment.load();
        if (p.timeoutFirstRuns()) {
            faults.timeoutFirstInvocation("month-end", 40).timeoutFirstInvocation("restatement", 20)
                    .timeoutFirstInvocation("notifier", 200);
        }
        SyntheticWorld world = new SyntheticWorld(p.accounts(), originalTerms, p.compensableEvery(), p.bounceEvery());
        RehearsalStack stack = new RehearsalStack(sim, aws, deployment, world, p.sesRate(), p.sesDaily())
                .startMappings();
        List<Outcome> outcomes = new ArrayList<>();
        Report report = new Report();
        for (RehearsalJob job : jobs.apply(stack)) {
            Instant after = sim.now();
            job.start(stack, after);
            boolean running = sim.runWhile(() -> !job.finished(stack), Duration.ofMinutes(1), after.plus(job.limit()));
            Meter.Job figures = meter.job(job.name());
            List<RehearsalJob.Check> checks = new ArrayList<>(job.checks(stack));
            if (running) {
                checks.add(0, RehearsalJob.Check.of("finished within " + Report.duration(job.limit()), false,
                        "still running at " + sim.now()));
            }
            List<RehearsalJob.Check> targets = job.targets(stack, figures);
            outcomes.add(new Outcome(job.name(), figures, checks, targets, !running));
        }
        // every job's row, including the ones jobs caused (SES feedback, draining sweeps)
        for (Meter.Job j : meter.jobs().values()) {
            if ("polling".equals(j.name)) {
                continue;
            }
            Outcome o = outcomes.stream().filter(x -> x.job().equals(j.name)).findFirst()
                    .orElse(new Outcome(j.name, j, List.of(), List.of(), true));
            report.job(j, o.checks(), o.targets());
        }
        long wallMillis = (System.nanoTime() - wallStart) / 1_000_000;
        Runtime rt = Runtime.getRuntime();
        report.line("").line(String.format(Locale.ROOT,
                "Run: %,d accounts, seed %d, latency x%.1f, SES %s/s and %,d per 24 h; faults: %s; %,d events, %,d"
                        + " process switches; %.1f s of real time, heap in use at the end %,d MB.",
                p.accounts(), p.seed(), p.latencyScale(), p.sesRate(), p.sesDaily(), faults.describe()
                        + String.format(Locale.ROOT, " (injected: %d kills, %d duplicate deliveries, %d timeouts)",
                                faults.kills(), faults.duplicates(), faults.timeouts()),
                sim.events(), sim.switches(), wallMillis / 1000.0, (rt.totalMemory() - rt.freeMemory()) >> 20));
        return new Result(outcomes, report.toString(), stack);
    }

    /** The model's parameters with their sources, for the report. */
    public static String parameters(Deployment deployment) {
        StringBuilder b = new StringBuilder("Latencies (per request, as the calling function waits):\n\n");
        LatencyModel.sources().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\nPrices:\n\n");
        Prices.table().forEach((k, v) -> b.append("- ").append(k).append(": ").append(v).append('\n'));
        b.append("\nDeployed settings (deployment.json, as the CDK app deploys them):\n\n");
        deployment.functions().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append("- `")
                .append(e.getKey()).append("`: ").append(e.getValue().memoryMb()).append(" MB, timeout ")
                .append(e.getValue().timeout().toSeconds()).append(" s, reserved concurrency ")
                .append(e.getValue().reservedConcurrency().isPresent() ? e.getValue().reservedConcurrency().getAsInt()
                        : "none")
                .append('\n'));
        deployment.queues().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append("- queue `")
                .append(e.getKey()).append("` -> `").append(e.getValue().consumer()).append("`: batch ")
                .append(e.getValue().batchSize()).append(", maxConcurrency ").append(e.getValue().maxConcurrency())
                .append(", visibility ").append(e.getValue().visibilityTimeout().toSeconds()).append(" s, maxReceiveCount ")
                .append(e.getValue().maxReceiveCount()).append('\n'));
        return b.toString();
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--") || !a.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, e.g. --accounts=1000000 --suite=monthend;"
                        + " see docs/benchmarks.md");
            }
            opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        }
        int accounts = Integer.parseInt(opts.getOrDefault("accounts", "1000000"));
        Params p = Params.defaults(accounts)
                .withSeed(Long.parseLong(opts.getOrDefault("seed", "27")))
                .withLatencyScale(Double.parseDouble(opts.getOrDefault("latency-scale", "1")))
                .withSes(Double.parseDouble(opts.getOrDefault("ses-rate", "14")),
                        Long.parseLong(opts.getOrDefault("ses-daily", "50000")));
        if (Boolean.parseBoolean(opts.getOrDefault("faults", "false"))) {
            p = p.withFaults(Double.parseDouble(opts.getOrDefault("kill-per-request", "0.0002")),
                    Double.parseDouble(opts.getOrDefault("duplicate-per-receive", "0.001")), true);
        }
        if (opts.containsKey("worker-concurrency")) {
            p = p.withWorkerConcurrency(Integer.parseInt(opts.get("worker-concurrency")));
        }
        String suite = opts.getOrDefault("suite", "monthend");
        Result result = Suites.run(suite, p);
        StringBuilder out = new StringBuilder();
        out.append("## Rehearsal `").append(suite).append("` at ").append(String.format(Locale.ROOT, "%,d", accounts))
                .append(" accounts\n").append(result.report()).append('\n').append(parameters(result.stack().deployment));
        System.out.println(out);
        if (opts.containsKey("out")) {
            Files.writeString(Path.of(opts.get("out")), out.toString());
        }
        System.exit(result.passed() ? 0 : 1);
    }
}
