package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.TermsException;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.emulators.LambdaContext;
import dev.slaledger.monthend.MaintenanceWindowsHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * D6, the replay timeline: a JSON-lines file of events at instants,
 * {@code {"at":"2026-11-03T09:00:00Z","type":...,"data":{...}}}, read strictly: every problem stops
 * the replay before any engine starts, with one line naming the file, the line and what is wrong.
 * Billing events are checked by the accounts function's own parser, maintenance windows by the
 * maintenance-window handler (on in-memory stores, nothing kept), terms by the terms parser; a
 * {@code Traffic} record only has to be a JSON object: like any D1 record, the ingest handler
 * quarantines it if it breaks D1.
 *
 * <p>Also the schedule of a timeline replay ({@link #plan}): when the month-end and the daily
 * restatement runs happen, where the run starts and ends, and when each D1 record arrives.
 */
final class Timeline {
    /** What an event goes through. */
    enum Kind { BILLING, MAINTENANCE_WINDOW, TERMS, CLAIM, MONTH_END, TRAFFIC }

    /** The D6 types, in the order the contract lists them. */
    static final Map<String, Kind> TYPES;

    static {
        Map<String, Kind> types = new LinkedHashMap<>();
        types.put("SubscriptionPurchased", Kind.BILLING);
        types.put("SubscriptionEnded", Kind.BILLING);
        types.put("FeeAssessed", Kind.BILLING);
        types.put("ContactChanged", Kind.BILLING);
        types.put("MaintenanceWindowRecorded", Kind.MAINTENANCE_WINDOW);
        types.put("TermsPublished", Kind.TERMS);
        types.put("Claim", Kind.CLAIM);
        types.put("MonthEnd", Kind.MONTH_END);
        types.put("Traffic", Kind.TRAFFIC);
        TYPES = java.util.Collections.unmodifiableMap(types);
    }

    /** The month-end's first firing: 00:30 on the 1st in the terms' zone (schedules.json: {@code cron(30 * 1-2 * ? *)}). */
    static final LocalTime MONTH_END_TIME = LocalTime.of(0, 30);
    /** The restatement run's schedule: daily at 03:00 in the terms' zone (infrastructure: {@code cron(0 3 * * ? *)}). */
    static final LocalTime RESTATEMENT_TIME = LocalTime.of(3, 0);

    private static final Set<String> EVENT_FIELDS = Set.of("at", "type", "data");
    /** Account ids as the claims API takes them (no '#', blank or control character, no lone surrogate). */
    private static final Pattern ACCOUNT_ID = Pattern.compile("[^#\\s\\p{Cntrl}\\p{Cs}]{1,128}");
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper LENIENT = new ObjectMapper();

    /** One event of the timeline; {@code line} is its line in {@code file}. */
    record Event(Path file, int line, Instant at, String type, JsonNode data) {
        Kind kind() {
            return TYPES.get(type);
        }

        /** "timeline.jsonl line 7": how messages and quarantine labels name the event. */
        String where() {
            return file + " line " + line;
        }

        /** The account of a billing event or a claim. */
        String accountId() {
            return data.path("accountId").asText();
        }

        /** The month of a claim or a month-end. */
        YearMonth month() {
            return YearMonth.parse(data.get("month").asText());
        }

        /** A billing event as the EventBridge envelope the accounts function receives. */
        String billingEnvelope() {
            return BillingEvents.envelope(type, "timeline-line-" + line, at, data);
        }

        /** A {@code Traffic} event's D1 record, as a Kinesis record's data. */
        byte[] record() {
            return data.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private Timeline() {
    }

    /**
     * Reads and checks every line of the file (blank lines are skipped); returns the events in
     * {@code at} order, events at the same instant in file order.
     *
     * @param originalTerms the terms in force before any publication (for the window check's marking policy)
     */
    static List<Event> read(Path file, TermsVersion originalTerms) {
        List<Event> events = new ArrayList<>();
        Checks checks = new Checks(originalTerms);
        for (JsonLines.Line line : JsonLines.read(file)) {
            if (line.blank()) {
                continue;
            }
            events.add(parse(file, line, checks));
        }
        events.sort(Comparator.comparing(Event::at)); // stable: same instant keeps file order
        return List.copyOf(events);
    }

    private static Event parse(Path file, JsonLines.Line line, Checks checks) {
        String where = file + " line " + line.number();
        JsonNode n = object(where, line);
        JsonNode atNode = n.get("at");
        if (atNode == null || atNode.isNull()) {
            throw problem(where, "at is missing (an ISO-8601 instant such as 2026-11-03T09:00:00Z)");
        }
        Optional<Instant> at = atNode.isTextual() ? instant(atNode.asText()) : Optional.empty();
        if (at.isEmpty()) {
            throw problem(where, "at must be an ISO-8601 instant such as 2026-11-03T09:00:00Z, was " + atNode);
        }
        JsonNode typeNode = n.get("type");
        if (typeNode == null || !typeNode.isTextual() || !TYPES.containsKey(typeNode.asText())) {
            throw problem(where, "type must be one of " + String.join(", ", TYPES.keySet()) + ", was "
                    + (typeNode == null ? "missing" : typeNode.toString()));
        }
        String type = typeNode.asText();
        JsonNode data = n.get("data");
        if (data == null || !data.isObject()) {
            throw problem(where, type + ": data must be a JSON object, was " + (data == null ? "missing" : data));
        }
        Event event = new Event(file, line.number(), at.get(), type, data);
        check(event, checks, where);
        return event;
    }

    /** The line as a JSON object with only an event's fields. */
    private static JsonNode object(String where, JsonLines.Line line) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line.bytes())).toString();
        } catch (CharacterCodingException e) {
            throw problem(where, "not UTF-8 text");
        }
        JsonNode n;
        try {
            n = STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw problem(where, "not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw problem(where, "an event must be a JSON object {\"at\",\"type\",\"data\"}");
        }
        for (Iterator<String> names = n.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!EVENT_FIELDS.contains(name)) {
                throw problem(where, "unknown field \"" + name + "\" (an event has at, type and data)");
            }
        }
        return n;
    }

    /** The checks of the event's kind on its data. */
    private static void check(Event event, Checks checks, String where) {
        JsonNode data = event.data();
        switch (event.kind()) {
            case BILLING -> checks.billing(event);
            case MAINTENANCE_WINDOW -> checks.window(event);
            case TERMS -> checks.terms(event);
            case CLAIM -> {
                onlyFields(event, "accountId", "month");
                JsonNode id = data.get("accountId");
                if (id == null || !id.isTextual() || !ACCOUNT_ID.matcher(id.asText()).matches()) {
                    throw problem(where, "Claim: data.accountId must be an account id (1-128 characters, no '#', "
                            + "blank or control character), was " + (id == null ? "missing" : id));
                }
                month(event);
            }
            case MONTH_END -> {
                onlyFields(event, "month");
                month(event);
            }
            case TRAFFIC -> {
                // any object: the ingest handler decides, and quarantines a record that breaks D1
            }
        }
    }

    private static void onlyFields(Event e, String... allowed) {
        Set<String> fields = Set.of(allowed);
        for (Iterator<String> names = e.data().fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw problem(e.where(), e.type() + ": unknown field data." + name + " (data is {\""
                        + String.join("\",\"", allowed) + "\"})");
            }
        }
    }

    private static void month(Event e) {
        JsonNode m = e.data().get("month");
        boolean ok = m != null && m.isTextual() && MONTH.matcher(m.asText()).matches();
        if (ok) {
            try {
                ok = YearMonth.parse(m.asText()).getYear() >= 2000;
            } catch (DateTimeException x) {
                ok = false;
            }
        }
        if (!ok) {
            throw problem(e.where(), e.type() + ": data.month must be \"YYYY-MM\" (a month 01-12, a year from 2000), was "
                    + (m == null ? "missing" : m));
        }
    }

    /** The checks that use the functions' own parsers, built once per file. */
    private static final class Checks {
        private final BillingEventParser billing = new BillingEventParser();
        private final MaintenanceWindowsHandler windows;

        Checks(TermsVersion originalTerms) {
            // the real handler on in-memory stores: it answers exactly what it will answer in the run
            InMemoryTermsRepository terms = new InMemoryTermsRepository(originalTerms);
            windows = new MaintenanceWindowsHandler(new InMemoryMaintenanceWindowRepository(),
                    new StaleMarks(new InMemoryStatementRepository(), terms, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)));
        }

        void billing(Event e) {
            try {
                billing.parse(e.billingEnvelope());
            } catch (InvalidBillingEventException x) {
                throw problem(e.where(), e.type() + " refused by the accounts function's parser: "
                        + (x.field() == null ? "" : x.field() + ": ") + x.reason());
            }
        }

        void window(Event e) {
            APIGatewayV2HTTPResponse r = windows.handleRequest(LocalRuntime.adminEvent("PUT",
                    "/admin/maintenance-windows", e.data().toString()), new LambdaContext("timeline-check"));
            if (r.getStatusCode() != 200) {
                throw problem(e.where(), e.type() + ": the maintenance-window handler would answer "
                        + r.getStatusCode() + ": " + detail(r.getBody()));
            }
        }

        void terms(Event e) {
            try {
                TermsParser.parse(e.data().toString());
            } catch (TermsException x) {
                throw problem(e.where(), e.type() + ": not a D5 terms version: " + x.getMessage());
            }
        }
    }

    /** The {@code detail} of a problem+json body, else the body. */
    static String detail(String body) {
        try {
            JsonNode p = LENIENT.readTree(body == null ? "" : body);
            if (p != null && p.hasNonNull("detail")) {
                return p.get("detail").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: the body as it is
        }
        return String.valueOf(body);
    }

    /** One line, whatever the message holds. */
    static InputException problem(String where, String what) {
        return new InputException(where + ": " + what.replaceAll("[\\r\\n]+", " "));
    }

    /** An ISO-8601 instant with an offset, as the ingest handler reads them ({@code Z} or {@code +01:00}). */
    static Optional<Instant> instant(String text) {
        try {
            return Optional.of(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ schedule

    /**
     * When a D1 record arrives: a request record at its {@code timestamp}, a pre-aggregated one at
     * the end of its interval ({@code intervalStart} + 5 minutes); empty when neither can be read
     * (the record is fed at the start, and the ingest handler quarantines it).
     */
    static Optional<Instant> arrival(byte[] record) {
        JsonNode n;
        try {
            n = LENIENT.readTree(record);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (n == null || !n.isObject()) {
            return Optional.empty();
        }
        JsonNode timestamp = n.get("timestamp");
        if (timestamp != null && timestamp.isTextual()) {
            return instant(timestamp.asText());
        }
        JsonNode intervalStart = n.get("intervalStart");
        if (intervalStart != null && intervalStart.isTextual()) {
            return instant(intervalStart.asText()).map(i -> i.plus(Duration.ofMinutes(5)));
        }
        return Optional.empty();
    }

    /** The zone of the terms version in force on the 1st of the month after {@code month} (the month-end's zone). */
    static ZoneId zoneAtMonthEnd(List<TermsVersion> versions, YearMonth month) {
        LocalDate first = month.plusMonths(1).atDay(1);
        TermsVersion inForce = versions.get(0);
        for (TermsVersion v : versions) {
            if (!v.effectiveFrom().isAfter(first)) {
                inForce = v;
            }
        }
        return inForce.timeZone();
    }

    /**
     * The schedule of a timeline replay.
     *
     * @param start        the first instant: D2, D4 and the original terms are applied at it; the
     *                     earliest of the first event, the first readable D1 arrival, --now and
     *                     00:00 of the month's first day (terms' zone)
     * @param monthEnd     when the month-end of the month runs
     * @param monthEndLine the timeline line of the {@code MonthEnd} that replaces the schedule, 0 when scheduled
     * @param restatements the daily restatement runs, 03:00 in the terms' zone, from the first one after
     *                     the month-end up to the end
     * @param end          --now, else the first restatement run after the last event (and the month-end),
     *                     so the last change is in the statements written
     */
    record Plan(Instant start, Instant monthEnd, int monthEndLine, List<Instant> restatements, Instant end) {
        boolean monthEndScheduled() {
            return monthEndLine == 0;
        }
    }

    static Plan plan(YearMonth month, ZoneId zone, List<Event> events, List<Optional<Instant>> arrivals,
            Optional<Instant> now) {
        Optional<Event> monthEndEvent = events.stream()
                .filter(e -> e.kind() == Kind.MONTH_END && e.month().equals(month)).findFirst();
        Instant monthEnd = monthEndEvent.map(Event::at)
                .orElse(month.plusMonths(1).atDay(1).atTime(MONTH_END_TIME).atZone(zone).toInstant());
        Instant last = monthEnd;
        for (Event e : events) {
            if (e.at().isAfter(last)) {
                last = e.at();
            }
        }
        Instant end = now.orElse(dailyAfter(last, zone));
        for (Event e : events) {
            if (e.at().isAfter(end)) {
                throw problem(e.where(), "at " + e.at() + " is after --now " + end
                        + " (the replay ends at --now; drop --now or move it later)");
            }
        }
        List<Instant> restatements = new ArrayList<>();
        for (Instant t = dailyAfter(monthEnd, zone); !t.isAfter(end); t = dailyAfter(t, zone)) {
            restatements.add(t);
        }
        Instant start = month.atDay(1).atStartOfDay(zone).toInstant();
        if (!events.isEmpty() && events.get(0).at().isBefore(start)) {
            start = events.get(0).at();
        }
        for (Optional<Instant> a : arrivals) {
            if (a.isPresent() && a.get().isBefore(start)) {
                start = a.get();
            }
        }
        if (end.isBefore(start)) {
            start = end;
        }
        return new Plan(start, monthEnd, monthEndEvent.map(Event::line).orElse(0), List.copyOf(restatements), end);
    }

    /** The first restatement run strictly after {@code t}: 03:00 in {@code zone}. */
    static Instant dailyAfter(Instant t, ZoneId zone) {
        LocalDate day = t.atZone(zone).toLocalDate();
        Instant candidate = day.atTime(RESTATEMENT_TIME).atZone(zone).toInstant();
        return candidate.isAfter(t) ? candidate : day.plusDays(1).atTime(RESTATEMENT_TIME).atZone(zone).toInstant();
    }
}
