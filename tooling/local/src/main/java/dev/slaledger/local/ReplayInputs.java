package dev.slaledger.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.terms.TermsException;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@code replay} reads, read and checked before any engine starts: the first problem
 * stops the run with one line naming the file, the line and what is wrong (exit 1). The D2 accounts
 * are checked by the accounts function's own parser, the D5 terms by the terms parser, the D6
 * timeline by {@link Timeline}; the D1 traffic is only opened here (it is streamed during the run).
 */
final class ReplayInputs {
    private static final BillingEventParser BILLING = new BillingEventParser();

    /** One D2 account chosen for the run, its billing events, and where it is in the file. */
    record Account(String id, String where, List<BillingEvents.Event> events) {
    }

    /** The timeline's traffic, held in memory: each record replayed at its own arrival instant. */
    record TimelineTraffic(List<byte[]> records, List<String> labels, List<Optional<Instant>> arrivals,
            TrafficFile.Stats stats) {
    }

    final YearMonth month;
    final List<TermsVersion> versions;
    /** Each account's billing events, until {@link #takeAccounts} hands them to the one step that applies them. */
    private List<Account> accounts;
    final Set<String> known;
    final List<JsonInput.Entry> windows;
    final TrafficFile traffic;
    /** The D6 events, null without {@code --events}; then {@link #plan} and {@link #timelineTraffic} are null too. */
    final List<Timeline.Event> timeline;
    final Timeline.Plan plan;
    final TimelineTraffic timelineTraffic;
    /** The terms' zone when the month ends. */
    final ZoneId zone;
    /** Where the run's clock starts: {@code --now} (default: the current time), or the timeline's start. */
    final Instant start;

    /**
     * The accounts file's accounts with their billing events, once: applied, they are not needed again,
     * and at 100,000 accounts their JSON would stay on the heap through the whole run.
     */
    List<Account> takeAccounts() {
        List<Account> taken = accounts;
        if (taken == null) {
            throw new IllegalStateException("the accounts were taken already");
        }
        accounts = null;
        return taken;
    }

    private ReplayInputs(ReplayCommand c) {
        month = c.month;
        versions = readTerms(c.termsFile);
        zone = Timeline.zoneAtMonthEnd(versions, month);
        Instant now = c.now == null ? Instant.now() : c.now;
        known = new LinkedHashSet<>();
        accounts = readAccounts(c.accountsFile, c.onlyAccounts, now, known);
        windows = c.maintenanceFile == null ? List.of()
                : JsonInput.read(c.maintenanceFile, "maintenance", true).entries();
        TrafficFile.Month bounds = new TrafficFile.Month(month.atDay(1).atStartOfDay(zone).toEpochSecond(),
                month.plusMonths(1).atDay(1).atStartOfDay(zone).toEpochSecond());
        traffic = new TrafficFile(c.trafficFile, Set.copyOf(c.onlyAccounts), known, now, c.trafficFormat, bounds);
        traffic.size(); // a missing traffic file is an input error before the engines start
        if (c.eventsFile == null) {
            timeline = null;
            plan = null;
            timelineTraffic = null;
            start = now;
        } else {
            timeline = Timeline.read(c.eventsFile, versions.get(0));
            timelineTraffic = holdTraffic(traffic, c.trafficFormat);
            plan = Timeline.plan(month, zone, timeline, timelineTraffic.arrivals(), Optional.ofNullable(c.now));
            start = plan.start();
        }
    }

    static ReplayInputs read(ReplayCommand c) {
        return new ReplayInputs(c);
    }

    /** The end of the run: {@code --now}, or the timeline's end. */
    Instant end() {
        return plan == null ? start : plan.end();
    }

    /** A timeline replays each record at its own arrival instant: its traffic is held in memory. */
    private static TimelineTraffic holdTraffic(TrafficFile traffic, TrafficFormat format) {
        List<byte[]> records = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        TrafficFile.Stats stats = traffic.stream(LocalRuntime.KINESIS_BATCH, b -> {
            records.addAll(b.records());
            for (int i = 0; i < b.size(); i++) {
                labels.add(b.label(i));
            }
        }, n -> { });
        return new TimelineTraffic(records, labels, records.stream().map(format::arrival).toList(), stats);
    }

    /**
     * The D2 accounts as billing events, each checked by the accounts function's parser; those
     * {@code --account} chose (all without it). {@code known} gets every account id of the file.
     */
    private static List<Account> readAccounts(Path file, List<String> only, Instant time, Set<String> known) {
        List<Account> chosen = new ArrayList<>();
        for (JsonInput.Entry entry : JsonInput.read(file, "accounts", true).entries()) {
            String where = file + " line " + entry.line() + ", entry " + (entry.index() + 1);
            List<BillingEvents.Event> events = BillingEvents.withPaths(entry.node(), where, time);
            String id = entry.node().get("accountId").asText();
            for (BillingEvents.Event e : events) {
                try {
                    BILLING.parse(e.json());
                } catch (InvalidBillingEventException x) {
                    throw new InputException(where + " (" + id + "): " + e.pathOf(x.field()) + ": " + x.reason());
                }
            }
            known.add(id);
            if (only.isEmpty() || only.contains(id)) {
                chosen.add(new Account(id, where + " (" + id + ")", events));
            }
        }
        for (String id : only) {
            if (!known.contains(id)) {
                throw new InputException(file + ": --account " + id + " is not in the file (accounts: "
                        + String.join(", ", known.stream().limit(10).toList()) + (known.size() > 10 ? ", ..." : "")
                        + ")");
            }
        }
        return chosen;
    }

    /** D5: one version or an array of them (the first is the original terms); errors name the line and the D5 path. */
    static List<TermsVersion> readTerms(Path file) {
        JsonInput.Document doc = JsonInput.read(file, "terms", false);
        if (doc.entries().isEmpty()) {
            throw new InputException(file + ": no terms version (expected a D5 version or an array of them, found [])");
        }
        List<TermsVersion> versions = new ArrayList<>();
        for (JsonInput.Entry e : doc.entries()) {
            try {
                versions.add(TermsParser.parse(e.node().toString()));
            } catch (TermsException x) {
                // the D5 path of the field: [i].field when the file is an array of versions
                throw new InputException(file + " line " + e.line() + ": " + (doc.array() ? "[" + e.index() + "]." : "")
                        + x.getMessage() + " (version " + (e.index() + 1) + " of " + doc.entries().size() + ", \""
                        + e.node().path("version").asText("?") + "\")");
            }
        }
        return versions;
    }

    /** The D4 windows as the maintenance-window route takes them, each with where it is in the file. */
    List<JsonNode> windowNodes() {
        return windows.stream().map(JsonInput.Entry::node).toList();
    }
}
