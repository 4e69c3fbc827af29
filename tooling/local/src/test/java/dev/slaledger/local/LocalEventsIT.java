package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.adapter.eventbridge.Schedules;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runtime's EventBridge and Scheduler on moto: the deployed schedules exist on the engine
 * and fire at their instants on the simulated clock, in the terms' zone across a DST change
 * (America/New_York, clocks back at 02:00 on 2026-11-01); billing events reach the accounts handler
 * through the BillingEvents rule, and only those.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant START = Instant.parse("2026-10-31T12:00:00Z");
    @TempDir
    static Path work;
    private static LocalRuntime runtime;
    private static final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        ObjectNode tree = (ObjectNode) JSON.readTree(TermsParser.toJson(DefaultTerms.version()));
        tree.put("timeZone", NEW_YORK.getId());
        TermsVersion terms = TermsParser.parse(tree.toString());
        runtime = new LocalRuntime(new LocalRuntime.Settings(work, Path.of("../.."), terms, false, false),
                new SettableClock(START), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    @Order(1)
    @DisplayName("S1.4: the schedules the CDK app deploys exist on moto: same expressions, the terms' zone on every cron, same targets")
    void schedulesExistOnTheEngine() {
        List<LocalScheduler.Stored> stored = runtime.schedules();
        assertThat(stored).extracting(LocalScheduler.Stored::name)
                .containsExactlyInAnyOrderElementsOf(Schedules.all().stream().map(Schedules.Definition::name).toList());
        for (Schedules.Definition d : Schedules.all()) {
            LocalScheduler.Stored s = stored.stream().filter(x -> x.name().equals(d.name())).findFirst().orElseThrow();
            assertThat(s.expression()).isEqualTo(d.expression());
            assertThat(s.target()).isEqualTo(d.target());
            assertThat(s.zone().normalized()).isEqualTo(d.inTermsZone() ? NEW_YORK : ZoneOffset.UTC);
        }
    }

    @Test
    @Order(2)
    @DisplayName("D2: a billing event reaches the accounts handler through the BillingEvents rule on moto; an event of another source reaches nothing and is refused")
    void billingEventsThroughTheBus() throws Exception {
        JsonNode account = JSON.readTree("""
                {"accountId":"ny-1","email":"ops@ny.example","terms":[{"start":"2026-10-01","end":"2026-12-31"}],
                 "fees":{"2026-10":{"amount":"1000.00","voucherPaid":"0.00","currency":"USD"}}}""");
        for (String event : BillingEvents.of(account, "test", START)) {
            JsonNode answer = JSON.readTree(runtime.applyBillingEvent(event));
            assertThat(answer.path("outcome").asText()).isNotBlank();
        }
        String foreign = BillingEvents.of(account, "test", START).get(0).replace("\"source\":\"billing\"",
                "\"source\":\"billing.test\"");
        assertThatThrownBy(() -> runtime.applyBillingEvent(foreign))
                .isInstanceOf(InvalidBillingEventException.class).hasMessageContaining("did not deliver");
    }

    /**
     * Hourly notifier firings from 12:00Z Oct 31 to 16:00Z Nov 1: one per UTC hour, 28 (on the
     * fall-back night 01:00 local comes twice, and fires each time: every clock hour has its share).
     */
    private static final int NOTIFIER_FIRINGS = 28;

    @Test
    @Order(3)
    @DisplayName("S1.4, S7.2, S7.6, S9.3: on the simulated clock the month-end fires hourly from 00:30 EDT on the 1st, the restatement at 03:00 EST on the DST day, the notifier at every hour of the terms' zone (09:00 EDT and 09:00 EST among them), the sweep every 5 minutes from the start; the month-end computes October")
    void schedulesFireOnTheSimulatedClock() {
        List<LocalScheduler.Firing> fired = runtime.runSchedulesUntil(Instant.parse("2026-11-01T16:00:00Z"));

        assertThat(fired.stream().filter(f -> !f.target().equals("outbox-sweep") && !f.target().equals("notifier")
                && !f.target().equals("month-end")).toList()).containsExactly(
                // S9.8: the daily forecast at 02:00 EST (the clocks went back at 02:00 EDT)
                new LocalScheduler.Firing(Instant.parse("2026-11-01T07:00:00Z"), "ForecastSchedule", "forecast"),
                new LocalScheduler.Firing(Instant.parse("2026-11-01T08:00:00Z"), "RestatementSchedule", "restatement"));
        // the month-end every hour at :30 on the 1st (issue 27 item 5: the run closes the month that has ended
        // in the terms' zone, once; the later firings find it closed); 01:30, repeated by clocks going back, once
        assertThat(fired.stream().filter(f -> f.target().equals("month-end")).map(LocalScheduler.Firing::at))
                .containsExactly(Instant.parse("2026-11-01T04:30:00Z"), Instant.parse("2026-11-01T05:30:00Z"),
                        Instant.parse("2026-11-01T07:30:00Z"), Instant.parse("2026-11-01T08:30:00Z"),
                        Instant.parse("2026-11-01T09:30:00Z"), Instant.parse("2026-11-01T10:30:00Z"),
                        Instant.parse("2026-11-01T11:30:00Z"), Instant.parse("2026-11-01T12:30:00Z"),
                        Instant.parse("2026-11-01T13:30:00Z"), Instant.parse("2026-11-01T14:30:00Z"),
                        Instant.parse("2026-11-01T15:30:00Z"));
        List<Instant> notifier = fired.stream().filter(f -> f.target().equals("notifier"))
                .map(LocalScheduler.Firing::at).toList();
        assertThat(notifier).contains(Instant.parse("2026-10-31T13:00:00Z"), Instant.parse("2026-11-01T14:00:00Z"))
                .allSatisfy(t -> assertThat(t.getEpochSecond() % 3600).isZero())
                .doesNotHaveDuplicates().isSorted()
                .hasSize(NOTIFIER_FIRINGS);
        List<Instant> sweeps = fired.stream().filter(f -> f.target().equals("outbox-sweep"))
                .map(LocalScheduler.Firing::at).toList();
        assertThat(sweeps).hasSize(28 * 12 + 1).first().isEqualTo(START);
        assertThat(sweeps).last().isEqualTo(Instant.parse("2026-11-01T16:00:00Z"));
        assertThat(runtime.clock().instant()).isEqualTo(Instant.parse("2026-11-01T16:00:00Z"));
        assertThat(runtime.statement("ny-1", YearMonth.of(2026, 10))).hasValueSatisfying(s -> {
            assertThat(s.month()).isEqualTo(YearMonth.of(2026, 10));
            assertThat(s.computedAt()).isEqualTo(Instant.parse("2026-11-01T04:30:00Z"));
        });

        // nothing fires twice: the next call starts where this one ended
        assertThat(runtime.runSchedulesUntil(Instant.parse("2026-11-01T16:04:59Z"))).isEmpty();
    }
}
