package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.StalenessMarker;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.ClaimRules;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.traffic.MaintenanceWindow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** S7.1: which account-months a change marks stale ({@link StaleMarks}). */
class StaleMarksTest {
    private static final YearMonth SEP = YearMonth.of(2026, 9);
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final YearMonth NOV = YearMonth.of(2026, 11);
    private static final YearMonth DEC = YearMonth.of(2026, 12);
    private static final YearMonth JAN = YearMonth.of(2027, 1);
    /** October has ended in UTC+14: 2026-11-01T00:00+14:00. */
    private static final Instant OCT_ENDED_FIRST = Instant.parse("2026-10-31T10:00:00Z");
    /** October has ended in UTC, the default terms' zone. */
    private static final Instant OCT_ENDED_UTC = Instant.parse("2026-11-01T00:00:00Z");
    /** October's window (2 months) has closed in UTC-12: 2027-01-01T00:00-12:00. */
    private static final Instant OCT_CLOSED_LAST = Instant.parse("2027-01-01T12:00:00Z");
    /** Mid-December: October and November are markable, September's window has closed, December has not ended. */
    private static final Instant MID_DEC = Instant.parse("2026-12-15T00:00:00Z");

    /** A marker that records every call, in order. */
    private static final class RecordingMarker implements StalenessMarker {
        final List<String> calls = new ArrayList<>();

        @Override
        public void markStale(String accountId, YearMonth month) {
            calls.add(accountId + "/" + month);
        }

        @Override
        public void markMonthStale(YearMonth month) {
            calls.add("*/" + month);
        }
    }

    private final RecordingMarker marker = new RecordingMarker();
    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());

    private StaleMarks at(Instant now) {
        return new StaleMarks(marker, terms, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static TermsVersion longerClaims(int closesMonthsAfterPeriodEnd) {
        TermsVersion d = DefaultTerms.version();
        return TermsVersion.validated("2027-long", LocalDate.parse("2027-03-01"), d.timeZone(), d.commitment(),
                d.tiers(), d.capPercent(), new ClaimRules(5, closesMonthsAfterPeriodEnd), d.noticeDays(),
                d.holidays());
    }

    private static MaintenanceWindow window(String id, String start, String end, Set<String> accounts) {
        return new MaintenanceWindow(id, Instant.parse(start), Instant.parse(end), Instant.parse(start).minusSeconds(86400),
                Optional.ofNullable(accounts));
    }

    @Nested
    class Markable {
        @Test
        @DisplayName("S7.1 a month not yet ended in UTC+14 is not markable (one nanosecond before the edge)")
        void notEnded() {
            assertThat(StaleMarks.markable(OCT, OCT_ENDED_FIRST.minusNanos(1), 2)).isFalse();
            assertThat(StaleMarks.markable(OCT, Instant.parse("2026-10-15T00:00:00Z"), 2)).isFalse();
        }

        @Test
        @DisplayName("S7.1 without terms, a month is markable from the instant it ended in UTC+14 (2026-10-31T10:00Z for October)")
        void endedAtFirstZone() {
            assertThat(StaleMarks.markable(OCT, OCT_ENDED_FIRST, 2)).isTrue();
            assertThat(StaleMarks.markable(OCT, Instant.parse("2026-11-01T00:00:00Z"), 2)).isTrue();
        }

        @Test
        @DisplayName("S7.1/S5.1 markable until the window of M+closesMonthsAfterPeriodEnd closed in UTC-12: open at the last nanosecond, closed at the edge")
        void windowClosedAtLastZone() {
            assertThat(StaleMarks.markable(OCT, OCT_CLOSED_LAST.minusNanos(1), 2)).isTrue();
            assertThat(StaleMarks.markable(OCT, OCT_CLOSED_LAST, 2)).isFalse();
            assertThat(StaleMarks.markable(OCT, Instant.parse("2027-03-01T00:00:00Z"), 2)).isFalse();
        }

        @Test
        @DisplayName("S7.1 a longer claim period keeps the month markable longer (5 months: until 2027-04-01T12:00Z)")
        void longerClaimPeriod() {
            assertThat(StaleMarks.markable(OCT, OCT_CLOSED_LAST, 5)).isTrue();
            assertThat(StaleMarks.markable(OCT, Instant.parse("2027-04-01T11:59:59Z"), 5)).isTrue();
            assertThat(StaleMarks.markable(OCT, Instant.parse("2027-04-01T12:00:00Z"), 5)).isFalse();
        }

        @Test
        @DisplayName("S7.1 default terms: the markable months are the ended ones whose window may still be open, oldest first")
        void markableMonthsDefault() {
            assertThat(at(MID_DEC).markableMonths()).containsExactly(OCT, NOV);
            assertThat(at(OCT_ENDED_UTC.minusNanos(1)).markableMonths()).containsExactly(YearMonth.of(2026, 8), SEP);
            assertThat(at(OCT_ENDED_UTC).markableMonths()).containsExactly(YearMonth.of(2026, 8), SEP, OCT);
            // 2027-01-01T11:59Z: December ended in UTC, October's window still open in UTC-12: k + 1 months
            assertThat(at(OCT_CLOSED_LAST.minusSeconds(60)).markableMonths()).containsExactly(OCT, NOV, DEC);
            assertThat(at(OCT_CLOSED_LAST).markableMonths()).containsExactly(NOV, DEC);
        }

        @Test
        @DisplayName("S7.1/S1.4 a month is markable once it has ended in the zone of a published version, not before (no marks on a month's last hours before its month-end)")
        void markableInTheTermsZones() {
            // the default terms are in UTC: at 10:00 UTC on October 31st October has ended only east of UTC+10
            assertThat(at(OCT_ENDED_FIRST).markableMonths()).containsExactly(YearMonth.of(2026, 8), SEP);
            assertThat(at(OCT_ENDED_FIRST).feeChanged("acme", OCT)).isEmpty();
            // a version in Pacific/Kiritimati (UTC+14) makes October markable from its end there
            TermsVersion d = DefaultTerms.version();
            terms.publish(TermsVersion.validated("2027-kiritimati", LocalDate.parse("2027-03-01"),
                    ZoneId.of("Pacific/Kiritimati"), d.commitment(), d.tiers(), d.capPercent(), d.claim(),
                    d.noticeDays(), d.holidays()));
            assertThat(at(OCT_ENDED_FIRST.minusNanos(1)).markableMonths()).containsExactly(YearMonth.of(2026, 8), SEP);
            assertThat(at(OCT_ENDED_FIRST).markableMonths()).containsExactly(YearMonth.of(2026, 8), SEP, OCT);
            assertThat(StaleMarks.markable(OCT, OCT_ENDED_FIRST, 2, List.of(ZoneId.of("UTC")))).isFalse();
            assertThat(StaleMarks.markable(OCT, OCT_ENDED_UTC, 2, List.of(ZoneId.of("UTC")))).isTrue();
        }

        @Test
        @DisplayName("S7.1 a published version with a longer closesMonthsAfterPeriodEnd widens the markable months")
        void markableMonthsLongerVersion() {
            Instant midFeb = Instant.parse("2027-02-15T00:00:00Z");
            assertThat(at(midFeb).markableMonths()).containsExactly(DEC, JAN);
            terms.publish(longerClaims(4));
            assertThat(at(midFeb).markableMonths()).containsExactly(OCT, NOV, DEC, JAN);
            assertThat(at(OCT_CLOSED_LAST).markableMonths()).containsExactly(SEP, OCT, NOV, DEC);
            assertThat(at(Instant.parse("2027-03-01T12:00:00Z")).markableMonths()).containsExactly(NOV, DEC, JAN, YearMonth.of(2027, 2));
        }
    }

    @Nested
    class Fees {
        @Test
        @DisplayName("S7.1 a fee assessed for a markable month marks that account-month only")
        void feeInMarkableMonth() {
            assertThat(at(MID_DEC).feeChanged("acme", OCT)).containsExactly(OCT);
            assertThat(marker.calls).containsExactly("acme/" + OCT);
        }

        @Test
        @DisplayName("S7.1 a fee for a month not ended, or whose window closed, marks nothing")
        void feeOutsideMarkableMonths() {
            assertThat(at(MID_DEC).feeChanged("acme", DEC)).isEmpty();
            assertThat(at(MID_DEC).feeChanged("acme", SEP)).isEmpty();
            assertThat(at(OCT_ENDED_UTC.minusNanos(1)).feeChanged("acme", OCT)).isEmpty();
            assertThat(at(OCT_CLOSED_LAST).feeChanged("acme", OCT)).isEmpty();
            assertThat(marker.calls).isEmpty();
            assertThat(at(OCT_ENDED_UTC).feeChanged("acme", OCT)).containsExactly(OCT);
            assertThat(marker.calls).containsExactly("acme/" + OCT);
        }
    }

    @Nested
    class Coverage {
        private final StaleMarks marks = at(MID_DEC);

        @Test
        @DisplayName("S7.1/S1.2 a term that is removed marks the markable months it touched (old term only)")
        void oldTermOnly() {
            assertThat(marks.coverageChanged("acme", Optional.of(new Term(LocalDate.parse("2026-09-01"),
                    LocalDate.parse("2026-10-15"))), Optional.empty())).containsExactly(OCT);
            assertThat(marker.calls).containsExactly("acme/" + OCT);
        }

        @Test
        @DisplayName("S7.1/S1.2 a backdated purchase marks the markable months the new term touches (new term only)")
        void newTermOnly() {
            assertThat(marks.coverageChanged("acme", Optional.empty(),
                    Optional.of(new Term(LocalDate.parse("2026-11-30"), LocalDate.parse("2027-02-27")))))
                    .containsExactly(NOV);
            assertThat(marker.calls).containsExactly("acme/" + NOV);
        }

        @Test
        @DisplayName("S7.1/S1.2 a changed term marks the months of both the old and the new term, each once")
        void both() {
            assertThat(marks.coverageChanged("acme",
                    Optional.of(new Term(LocalDate.parse("2026-10-05"), LocalDate.parse("2026-10-20"))),
                    Optional.of(new Term(LocalDate.parse("2026-11-03"), LocalDate.parse("2026-12-31")))))
                    .containsExactly(OCT, NOV);
            assertThat(marker.calls).containsExactlyInAnyOrder("acme/" + OCT, "acme/" + NOV);

            marker.calls.clear();
            assertThat(marks.coverageChanged("acme",
                    Optional.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                    Optional.of(new Term(LocalDate.parse("2026-09-15"), LocalDate.parse("2026-11-30")))))
                    .containsExactly(OCT, NOV);
            assertThat(marker.calls).containsExactlyInAnyOrder("acme/" + OCT, "acme/" + NOV);
        }

        @Test
        @DisplayName("S7.1 terms touching no markable month (a closed September, a December not ended) mark nothing")
        void neither() {
            assertThat(marks.coverageChanged("acme",
                    Optional.of(new Term(LocalDate.parse("2026-05-01"), LocalDate.parse("2026-09-30"))),
                    Optional.of(new Term(LocalDate.parse("2026-12-01"), LocalDate.parse("2027-05-31")))))
                    .isEmpty();
            assertThat(marks.coverageChanged("acme", Optional.empty(), Optional.empty())).isEmpty();
            assertThat(marker.calls).isEmpty();
        }
    }

    @Test
    @DisplayName("S7.1/S6.3 a contact change marks every markable month of the account")
    void accountChanged() {
        assertThat(at(MID_DEC).accountChanged("acme")).containsExactly(OCT, NOV);
        assertThat(marker.calls).containsExactly("acme/" + OCT, "acme/" + NOV);
        marker.calls.clear();
        assertThat(at(OCT_ENDED_UTC.minusNanos(1)).accountChanged("acme"))
                .containsExactly(YearMonth.of(2026, 8), SEP);
    }

    @Nested
    class Windows {
        private final StaleMarks marks = at(MID_DEC);

        @Test
        @DisplayName("S7.1/S2.4 a window recorded for listed accounts marks each of them for the months it overlaps")
        void listedAccounts() {
            assertThat(marks.windowChanged(Optional.empty(), Optional.of(window("w1", "2026-10-03T01:00:00Z",
                    "2026-10-03T03:00:00Z", Set.of("a", "b"))))).containsExactly(OCT);
            assertThat(marker.calls).containsExactlyInAnyOrder("a/" + OCT, "b/" + OCT);
        }

        @Test
        @DisplayName("S7.1/S2.4 a window for all accounts (accounts absent) leaves one month-wide mark")
        void allAccounts() {
            assertThat(marks.windowChanged(Optional.empty(), Optional.of(window("w1", "2026-11-03T01:00:00Z",
                    "2026-11-03T03:00:00Z", null)))).containsExactly(NOV);
            assertThat(marker.calls).containsExactly("*/" + NOV);
        }

        @Test
        @DisplayName("S7.1 a withdrawn window marks the months and accounts of the version it removes")
        void withdrawn() {
            assertThat(marks.windowChanged(Optional.of(window("w1", "2026-10-03T01:00:00Z",
                    "2026-10-03T03:00:00Z", Set.of("a"))), Optional.empty())).containsExactly(OCT);
            assertThat(marker.calls).containsExactly("a/" + OCT);
        }

        @Test
        @DisplayName("S7.1 a changed window marks both versions' months and accounts")
        void changed() {
            MaintenanceWindow before = window("w1", "2026-10-03T01:00:00Z", "2026-10-03T03:00:00Z", Set.of("a"));
            MaintenanceWindow after = window("w1", "2026-11-04T01:00:00Z", "2026-11-04T03:00:00Z", Set.of("b"));
            assertThat(marks.windowChanged(Optional.of(before), Optional.of(after))).containsExactly(OCT, NOV);
            assertThat(marker.calls).containsExactlyInAnyOrder("a/" + OCT, "b/" + NOV);

            marker.calls.clear();
            MaintenanceWindow toAll = window("w1", "2026-11-04T01:00:00Z", "2026-11-04T03:00:00Z", null);
            assertThat(marks.windowChanged(Optional.of(before), Optional.of(toAll))).containsExactly(OCT, NOV);
            assertThat(marker.calls).containsExactlyInAnyOrder("a/" + OCT, "*/" + NOV);
        }

        @Test
        @DisplayName("S7.1 a window in a month whose claim window closed (or not ended) marks nothing")
        void closedMonth() {
            assertThat(marks.windowChanged(Optional.empty(), Optional.of(window("w1", "2026-09-10T01:00:00Z",
                    "2026-09-10T03:00:00Z", null)))).isEmpty();
            assertThat(marks.windowChanged(Optional.of(window("w2", "2026-09-10T01:00:00Z",
                    "2026-09-10T03:00:00Z", Set.of("a"))), Optional.of(window("w2", "2026-12-10T01:00:00Z",
                    "2026-12-10T03:00:00Z", Set.of("a"))))).isEmpty();
            assertThat(marker.calls).isEmpty();
        }

        @Test
        @DisplayName("S7.1/S1.4 a window near a month edge marks both months it may overlap in some zone (UTC+14..UTC-12)")
        void monthEdgesInAnyZone() {
            // 2026-10-31T20:00Z is already November in UTC+14
            assertThat(marks.windowChanged(Optional.empty(), Optional.of(window("w1", "2026-10-31T20:00:00Z",
                    "2026-10-31T21:00:00Z", Set.of("a"))))).containsExactly(OCT, NOV);
            // 2026-11-01T11:00Z is still October in UTC-12
            assertThat(marks.windowChanged(Optional.empty(), Optional.of(window("w2", "2026-11-01T11:00:00Z",
                    "2026-11-01T11:30:00Z", null)))).containsExactly(OCT, NOV);
            // ending exactly when November starts in UTC+14 it does not touch November
            assertThat(marks.windowChanged(Optional.empty(), Optional.of(window("w3", "2026-10-31T09:00:00Z",
                    "2026-10-31T10:00:00Z", Set.of("b"))))).containsExactly(OCT);
        }
    }

    @Test
    @DisplayName("S7.1 the clock is read at each call (a fixed policy instance follows time)")
    void followsClock() {
        Instant[] now = {MID_DEC};
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        StaleMarks marks = new StaleMarks(marker, terms, clock);
        assertThat(marks.feeChanged("acme", OCT)).containsExactly(OCT);
        now[0] = OCT_CLOSED_LAST;
        assertThat(marks.feeChanged("acme", OCT)).isEmpty();
    }
}
