package dev.slaledger.local;

import dev.slaledger.adapter.eventbridge.Schedules;
import dev.slaledger.emulators.ScheduleExpression;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.scheduler.model.FlexibleTimeWindowMode;
import software.amazon.awssdk.services.scheduler.model.GetScheduleResponse;
import software.amazon.awssdk.services.scheduler.model.ScheduleSummary;

/**
 * The schedules the CDK app deploys ({@link Schedules}: month-end, restatement, notifier, outbox
 * sweep), created through the Scheduler API on moto, which stores them but never fires them. This
 * class fires them on the simulated clock: it reads them back from the engine (expression, zone,
 * target) and evaluates each expression as Scheduler does ({@link ScheduleExpression}, DST
 * included); a rate counts from the instant the schedules were created, as Scheduler starts a rate
 * schedule without a start date at once. On the memory engine ({@link #inMemory}) nothing stores
 * them: the definitions are read as the CDK app deploys them, and fired the same way.
 */
final class LocalScheduler implements AutoCloseable {
    static final String FUNCTION_ARN_PREFIX = "arn:aws:lambda:eu-west-1:123456789012:function:sla-local-";
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/sla-local-scheduler";

    /** One schedule firing: when, which schedule, which target (the definition's target name). */
    record Firing(Instant at, String schedule, String target) {
    }

    /** One schedule as stored on the engine. */
    record Stored(String name, String expression, ZoneId zone, String target) {
    }

    /** moto's Scheduler; null on the memory engine. */
    private final SchedulerClient scheduler;
    private final Instant createdAt;
    /** The schedules of the memory engine; empty on moto (read back from it). */
    private final List<Stored> defined;

    private LocalScheduler(List<Stored> defined, Instant createdAt) {
        this.scheduler = null;
        this.defined = defined;
        this.createdAt = createdAt;
    }

    /** The deployed schedules in this process, in the terms' zone where a definition takes it. */
    static LocalScheduler inMemory(ZoneId termsZone, Instant createdAt) {
        List<Stored> defined = new ArrayList<>();
        for (Schedules.Definition d : Schedules.all()) {
            defined.add(new Stored(d.name(), d.expression(), d.zone(termsZone).orElse(ZoneOffset.UTC), d.target()));
        }
        defined.sort(Comparator.comparing(Stored::name)); // ListSchedules answers in name order
        return new LocalScheduler(List.copyOf(defined), createdAt);
    }

    LocalScheduler(URI motoEndpoint, ZoneId termsZone, Instant createdAt) {
        this.defined = List.of();
        this.scheduler = SchedulerClient.builder().endpointOverride(motoEndpoint).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        this.createdAt = createdAt;
        for (Schedules.Definition d : Schedules.all()) {
            scheduler.createSchedule(b -> {
                b.name(d.name()).description(d.description()).scheduleExpression(d.expression())
                        .flexibleTimeWindow(w -> w.mode(FlexibleTimeWindowMode.OFF))
                        .target(t -> t.arn(FUNCTION_ARN_PREFIX + d.target()).roleArn(ROLE_ARN).input("{}"));
                d.zone(termsZone).ifPresent(z -> b.scheduleExpressionTimezone(z.getId()));
            });
        }
    }

    /** The schedules as the engine holds them (ListSchedules, then GetSchedule of each). */
    List<Stored> stored() {
        if (scheduler == null) {
            return defined;
        }
        List<Stored> out = new ArrayList<>();
        for (ScheduleSummary s : scheduler.listSchedulesPaginator(b -> { }).schedules()) {
            GetScheduleResponse g = scheduler.getSchedule(b -> b.name(s.name()));
            ZoneId zone = g.scheduleExpressionTimezone() == null ? ZoneOffset.UTC
                    : ZoneId.of(g.scheduleExpressionTimezone());
            String arn = g.target().arn();
            if (!arn.startsWith(FUNCTION_ARN_PREFIX)) {
                throw new IllegalStateException("schedule " + g.name() + " targets " + arn + ", not a local function");
            }
            out.add(new Stored(g.name(), g.scheduleExpression(), zone, arn.substring(FUNCTION_ARN_PREFIX.length())));
        }
        return out;
    }

    /** Every firing in {@code (from, to]} of the stored schedules, in time order (ties: name order). */
    List<Firing> due(Instant from, Instant to) {
        List<Firing> out = new ArrayList<>();
        for (Stored s : stored()) {
            for (Instant at : ScheduleExpression.parse(s.expression()).firings(createdAt, s.zone(), from, to)) {
                out.add(new Firing(at, s.name(), s.target()));
            }
        }
        out.sort(Comparator.comparing(Firing::at).thenComparing(Firing::schedule));
        return out;
    }

    Instant createdAt() {
        return createdAt;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.close();
        }
    }
}
