package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import java.time.YearMonth;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BulkMarksTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final YearMonth NOV = YearMonth.of(2026, 11);

    @Test
    @DisplayName("S7.1: in the bulk phase each account-month is marked once; outside it every mark goes through "
            + "(the Ledger numbers its marks in order, so the numbers show which went through)")
    void oncePerAccountMonthInTheBulkPhase() {
        InMemoryStatementRepository ledger = new InMemoryStatementRepository();
        BulkMarks marks = new BulkMarks(ledger);
        marks.markStale("a", OCT);
        marks.markStale("a", OCT);
        assertThat(ledger.staleMark("a", OCT)).contains(2L);

        marks.bulk(() -> {
            marks.markStale("a", OCT);
            marks.markStale(new String("a"), OCT); // an equal id, not the same instance
            marks.markStale("a", NOV);
            marks.markStale("b", OCT);
            marks.markStale("b", OCT);
            marks.markMonthStale(OCT);
            marks.markMonthStale(OCT);
        });
        assertThat(ledger.staleMark("a", OCT)).contains(3L);
        assertThat(ledger.staleMark("a", NOV)).contains(4L);
        assertThat(ledger.staleMark("b", OCT)).contains(5L);
        assertThat(ledger.monthMark(OCT)).as("month-wide marks always go through").isEqualTo(2);

        marks.bulk(() -> marks.markStale("b", OCT));
        marks.markStale("b", OCT);
        assertThat(ledger.staleMark("b", OCT)).as("a new bulk phase starts afresh, and after it every mark goes through")
                .contains(7L);
        assertThat(ledger.staleMark("c", OCT)).isEqualTo(Optional.empty());
    }
}
