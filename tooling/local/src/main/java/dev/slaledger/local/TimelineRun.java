package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.port.memory.SettableClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a D6 timeline on the local runtime: every event at its instant (the clock set to it) through
 * the handler it reaches in AWS, interleaved with the D1 traffic (each record when it arrives), the
 * month-end and the daily restatement runs ({@link Timeline.Plan}).
 *
 * <p>At the same instant: D1 records arriving by then first, then the month-end, then the
 * restatement run, then the timeline's events in file order. D1 records are fed in arrival order,
 * one Kinesis delivery per UTC day and per stretch between two things that run, with the clock at
 * the latest arrival of the delivery (never before a record's own instant, so none is quarantined as
 * {@code FUTURE_TIMESTAMP}). Records arriving after the end, or whose instant cannot be read, are fed
 * at the end and at the start respectively, where the ingest handler quarantines what it must.
 */
final class TimelineRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Step { MONTH_END, RESTATEMENT, NOTIFIER, EVENT }

    /** The notifier's daily run (change notices, S8 eligibility notices): 6 hours after the 03:00 restatement, 09:00. */
    static final Duration NOTIFIER_AFTER_RESTATEMENT = Duration.ofHours(6);

    private record Item(Instant at, Step step, int order, Timeline.Event event) {
    }

    private record Arriving(Instant at, byte[] record, String label) {
    }

    private final LocalRuntime runtime;
    private final SettableClock clock;
    private final PrintStream console;
    private final Decisions decisions;
    private final YearMonth month;
    private final Timeline.Plan plan;
    private final List<Timeline.Event> events;
    private final List<Arriving> pending = new ArrayList<>();
    private int nextPending;

    private int recordsIn;
    private int aggregated;
    private int quarantined;
    private int failed;
    private int batches;
    private int trafficEvents;
    private int restatementRuns;
    private long restatedAccountMonths;
    private Map<String, Object> monthEnd;

    TimelineRun(LocalRuntime runtime, PrintStream console, Decisions decisions, YearMonth month, Timeline.Plan plan,
            List<Timeline.Event> events, List<byte[]> records, List<String> labels, List<Optional<Instant>> arrivals) {
        this.runtime = runtime;
        this.clock = runtime.clock();
        this.console = console;
        this.decisions = decisions;
        this.month = month;
        this.plan = plan;
        this.events = events;
        for (int i = 0; i < records.size(); i++) {
            pending.add(new Arriving(arrivals.get(i).orElse(plan.start()), records.get(i), labels.get(i)));
        }
        pending.sort(Comparator.comparing(Arriving::at)); // stable: file order at the same instant
    }

    /**
     * Runs everything up to the plan's end, then the claim of every account of {@code claimAll} at the
     * end ({@code --claim}); returns those claims' answers by account.
     */
    Map<String, JsonNode> run(List<String> claimAll) {
        List<Item> agenda = new ArrayList<>();
        if (plan.monthEndScheduled()) {
            agenda.add(new Item(plan.monthEnd(), Step.MONTH_END, 0, null));
        }
        for (Instant t : plan.restatements()) {
            agenda.add(new Item(t, Step.RESTATEMENT, 0, null));
            Instant notifier = t.plus(NOTIFIER_AFTER_RESTATEMENT);
            if (!notifier.isAfter(plan.end())) {
                agenda.add(new Item(notifier, Step.NOTIFIER, 0, null));
            }
        }
        for (int i = 0; i < events.size(); i++) {
            agenda.add(new Item(events.get(i).at(), Step.EVENT, i, events.get(i)));
        }
        agenda.sort(Comparator.comparing(Item::at).thenComparing(Item::step).thenComparingInt(Item::order));
        for (Item item : agenda) {
            feedTrafficThrough(item.at());
            clock.set(item.at());
            switch (item.step()) {
                case MONTH_END -> monthEnd("scheduled", month);
                case RESTATEMENT -> restatement();
                case NOTIFIER -> notifier();
                case EVENT -> event(item.event());
            }
        }
        feedTrafficThrough(plan.end());
        if (nextPending < pending.size()) {
            clock.set(plan.end());
            List<Arriving> rest = pending.subList(nextPending, pending.size());
            line(plan.end(), rest.size() + " D1 records timestamped after the end, fed now");
            feed(rest);
            nextPending = pending.size();
        }
        clock.set(plan.end());
        Map<String, JsonNode> claims = new LinkedHashMap<>();
        for (String id : claimAll) {
            claims.put(id, decisions.claim(id, month, "--claim"));
            line(plan.end(), "claim " + id + " " + month + " (--claim) -> " + decisions.last().summary());
        }
        return claims;
    }

    /** Feeds the records that arrive at or before {@code t}, one delivery per UTC day. */
    private void feedTrafficThrough(Instant t) {
        while (nextPending < pending.size() && !pending.get(nextPending).at().isAfter(t)) {
            LocalDate day = LocalDate.ofInstant(pending.get(nextPending).at(), ZoneOffset.UTC);
            int from = nextPending;
            while (nextPending < pending.size() && !pending.get(nextPending).at().isAfter(t)
                    && LocalDate.ofInstant(pending.get(nextPending).at(), ZoneOffset.UTC).equals(day)) {
                nextPending++;
            }
            clock.set(pending.get(nextPending - 1).at());
            feed(pending.subList(from, nextPending));
        }
    }

    private LocalRuntime.IngestSummary feed(List<Arriving> batch) {
        List<byte[]> records = batch.stream().map(Arriving::record).toList();
        List<String> labels = batch.stream().map(Arriving::label).toList();
        LocalRuntime.IngestSummary s = runtime.ingest(records, labels, n -> { });
        recordsIn += s.recordsIn();
        aggregated += s.aggregated();
        quarantined += s.quarantined();
        failed += s.failed();
        batches += s.batches();
        return s;
    }

    private void monthEnd(String why, YearMonth m) {
        Map<String, Object> summary = runtime.runMonthEnd(m, n -> { });
        if (m.equals(month)) {
            monthEnd = summary;
        }
        line(clock.instant(), "month-end " + m + " (" + why + "): " + summary.get("accounts")
                + " accounts with a service period, " + summary.get("workMessagesHandled") + " work messages");
    }

    private void restatement() {
        Map<String, Object> summary = runtime.runRestatement(n -> { });
        restatementRuns++;
        long accounts = ((Number) summary.get("accounts")).longValue();
        restatedAccountMonths += accounts;
        if (accounts > 0) {
            line(clock.instant(), "restatement run: " + accounts + " stale account-months handed to the worker ("
                    + summary.get("workMessagesHandled") + " work messages)");
        }
    }

    /** The notifier's daily run: prints what it sent (S6.2 change notices, S8.2/S8.3 eligibility notices). */
    @SuppressWarnings("unchecked")
    private void notifier() {
        Map<String, Object> run = runtime.runNotifier();
        List<Map<String, String>> sent = new ArrayList<>((List<Map<String, String>>) run.getOrDefault("SENT", List.of()));
        Object eligibility = run.get("eligibility");
        if (eligibility instanceof Map<?, ?> e && e.get("SENT") instanceof List<?> list) {
            sent.addAll((List<Map<String, String>>) list);
        }
        for (Map<String, String> n : sent) {
            line(clock.instant(), "notifier daily run: sent " + n.get("accountId") + " " + n.get("version"));
        }
    }

    private void event(Timeline.Event e) {
        String head = "line " + e.line() + " " + e.type();
        switch (e.kind()) {
            case BILLING -> {
                String answer;
                try {
                    answer = runtime.applyBillingEvent(e.billingEnvelope());
                } catch (InvalidBillingEventException x) {
                    throw Timeline.problem(e.where(), "the accounts handler refused it: " + x.getMessage());
                }
                JsonNode a = json(answer);
                line(e.at(), head + " " + e.accountId() + ": " + a.path("outcome").asText() + ", marked stale "
                        + a.path("markedStale"));
            }
            case MAINTENANCE_WINDOW -> {
                APIGatewayV2HTTPResponse r = runtime.putMaintenanceWindow(e.data().toString());
                if (r.getStatusCode() != 200) {
                    throw Timeline.problem(e.where(), "PUT /admin/maintenance-windows answered " + r.getStatusCode()
                            + ": " + Timeline.detail(r.getBody()));
                }
                line(e.at(), head + " " + e.data().path("id").asText() + " through PUT /admin/maintenance-windows");
            }
            case TERMS -> {
                int runs = runtime.notifierRuns().size();
                APIGatewayV2HTTPResponse r = runtime.publishTerms(e.data().toString());
                if (r.getStatusCode() != 201) {
                    throw Timeline.problem(e.where(), "PUT /admin/terms answered " + r.getStatusCode() + ": "
                            + Timeline.detail(r.getBody()));
                }
                List<Map<String, Object>> notifier = runtime.notifierRuns();
                line(e.at(), head + " " + e.data().path("version").asText() + " through PUT /admin/terms; notices: "
                        + (notifier.size() > runs ? notifier.get(notifier.size() - 1).get("counts") : "none"));
            }
            case CLAIM -> {
                decisions.claim(e.accountId(), e.month(), e.where());
                line(e.at(), head + " " + e.accountId() + " " + e.month() + " -> " + decisions.last().summary());
            }
            case MONTH_END -> monthEnd("timeline line " + e.line(), e.month());
            case TRAFFIC -> {
                trafficEvents++;
                LocalRuntime.IngestSummary s = feed(List.of(new Arriving(e.at(), e.record(), e.where())));
                line(e.at(), head + " " + e.data().path("accountId").asText("?") + ": "
                        + (s.aggregated() == 1 ? "aggregated" : s.quarantined() == 1 ? "quarantined" : "not stored"));
            }
        }
    }

    private void line(Instant at, String what) {
        console.println("  " + at + "  " + what);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** The ingest handler's counts over every delivery (the D1 file and the {@code Traffic} events). */
    LocalRuntime.IngestSummary ingest() {
        return new LocalRuntime.IngestSummary(recordsIn, aggregated, quarantined, failed, batches);
    }

    int trafficEvents() {
        return trafficEvents;
    }

    int restatementRuns() {
        return restatementRuns;
    }

    long restatedAccountMonths() {
        return restatedAccountMonths;
    }

    /** The month-end of the replayed month, if it ran (empty when it was due after the end). */
    Optional<Map<String, Object>> monthEnd() {
        return Optional.ofNullable(monthEnd).map(LinkedHashMap::new);
    }
}
