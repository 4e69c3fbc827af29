package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.StalenessMarker;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BulkMarksTest {
    private final List<String> sent = new ArrayList<>();
    private final StalenessMarker ledger = new StalenessMarker() {
        @Override
        public void markStale(String accountId, YearMonth month) {
            sent.add(accountId + " " + month);
        }

        @Override
        public void markMonthStale(YearMonth month) {
            sent.add("* " + month);
        }
    };

    @Test
    @DisplayName("S7.1: in the bulk phase each account-month is marked once; outside it every mark goes through")
    void oncePerAccountMonthInTheBulkPhase() {
        BulkMarks marks = new BulkMarks(ledger);
        YearMonth oct = YearMonth.of(2026, 10);
        YearMonth nov = YearMonth.of(2026, 11);
        marks.markStale("a", oct);
        marks.markStale("a", oct);
        assertThat(sent).containsExactly("a 2026-10", "a 2026-10");
        sent.clear();

        marks.bulk(() -> {
            marks.markStale("a", oct);
            marks.markStale(new String("a"), oct); // an equal id, not the same instance
            marks.markStale("a", nov);
            marks.markStale("b", oct);
            marks.markStale("b", oct);
            marks.markMonthStale(oct);
            marks.markMonthStale(oct);
        });
        assertThat(sent).containsExactly("a 2026-10", "a 2026-11", "b 2026-10", "* 2026-10", "* 2026-10");
        sent.clear();

        marks.bulk(() -> marks.markStale("a", oct));
        marks.markStale("a", oct);
        assertThat(sent).as("a new bulk phase starts afresh, and after it every mark goes through")
                .containsExactly("a 2026-10", "a 2026-10");
    }
}
