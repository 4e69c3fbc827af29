package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.MaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.MaintenanceWindow;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.lambda.http.ProblemJson;
import dev.slaledger.testkit.HttpApiFuzz;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 3: the maintenance-window admin routes ({@code PUT /admin/maintenance-windows},
 * {@code DELETE /admin/maintenance-windows/{id}}) get random and mutated HTTP API events (seeded:
 * a failure names its seed and iteration and replays exactly) on the in-memory ports: never a
 * 5xx, every error a problem+json with a type; what is stored is always a valid window.
 */
class MaintenanceWindowsFuzzTest {
    static final int ITERATIONS = 2_500;

    @ParameterizedTest(name = "seed {0}")
    @DisplayName("issue 15 item 3 fuzz: bad base64, huge bodies, wrong methods, garbage and mutated JSON, random path parameters, missing request context: never a 5xx on the maintenance-window routes")
    @ValueSource(longs = {20261103L, 15L, 991L})
    void neverA5xx(long seed) {
        InMemoryMaintenanceWindowRepository windows = new InMemoryMaintenanceWindowRepository();
        MaintenanceWindowsHandler handler = new MaintenanceWindowsHandler(windows, new StaleMarks(
                new InMemoryStatementRepository(), new InMemoryTermsRepository(DefaultTerms.version()),
                Clock.fixed(Instant.parse("2026-11-03T09:00:00Z"), ZoneOffset.UTC)));
        int[] byClass = run(handler, new MaintenanceWindowFuzzEvents(seed), ITERATIONS, "seed " + seed);
        assertThat(byClass[2]).as("some requests recorded or withdrew a window").isGreaterThan(ITERATIONS / 10);
        assertThat(byClass[4]).as("most were refused").isGreaterThan(ITERATIONS / 2);
        assertOnlyValidWindows(windows);
    }

    /** Runs the events through the handler, checking every answer; the count of answers per status class. */
    static int[] run(MaintenanceWindowsHandler handler, MaintenanceWindowFuzzEvents fuzz, int iterations, String where) {
        return HttpApiFuzz.run(e -> handler.handleRequest(e, null), fuzz::next, iterations, ProblemJson.TYPE_BASE, where);
    }

    /** Every stored window is valid D4: an id of 1-128 letters, digits and . _ : -, an end after its start, named accounts. */
    static void assertOnlyValidWindows(MaintenanceWindowRepository windows) {
        for (MaintenanceWindow w : windows.overlapping(Instant.MIN, Instant.MAX)) {
            assertThat(w.id()).matches("[A-Za-z0-9._:-]{1,128}");
            assertThat(w.end()).isAfter(w.start());
            w.accounts().ifPresent(a -> assertThat(a).allSatisfy(id -> assertThat(id).isNotBlank()));
        }
    }
}
