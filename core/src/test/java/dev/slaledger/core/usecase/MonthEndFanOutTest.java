package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryJobProgress;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MonthEndFanOutTest {
    private static final YearMonth OCT = YearMonth.parse("2026-10");
    private static final TermsVersion SHANGHAI_2027 = zoned("Asia/Shanghai", "2027-01-01");

    private static TermsVersion zoned(String zone, String effectiveFrom) {
        return TermsParser.parse(TermsParser.toJson(DefaultTerms.version())
                .replace("\"2026-01\"", "\"" + effectiveFrom.substring(0, 7) + "\"")
                .replace("2026-01-01", effectiveFrom).replace("\"UTC\"", "\"" + zone + "\""));
    }

    private record Batch(YearMonth month, List<String> ids) {
    }

    private static MonthEndFanOut fanOut(Clock clock, InMemoryAccountRepository accounts, List<Batch> sent,
            InMemoryJobProgress progress) {
        StatementWorkQueue queue = (month, ids, kind) -> sent.add(new Batch(month, ids));
        return new MonthEndFanOut(accounts, queue, progress, clock, 2);
    }

    private static MonthEndFanOut at(String instant) {
        return fanOut(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC), new InMemoryAccountRepository(),
                new ArrayList<>(), new InMemoryJobProgress());
    }

    private static InMemoryAccountRepository accounts(List<String> ids) {
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        for (String id : ids) {
            LocalDate start = id.equals("e") ? LocalDate.parse("2026-11-01") : LocalDate.parse("2026-01-01");
            accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                    List.of(new Term(start, LocalDate.parse("2027-12-31"))),
                    Map.of(OCT, MonthlyFee.of("1.00", "0.00", "EUR"))));
        }
        return accounts;
    }

    @Test
    @DisplayName("S1.4 (issue 27 item 5): the month a run closes has ended in the zone of every version that may govern"
            + " it, whatever zone the schedule fires in")
    void closableMonthInTheTermsZones() {
        List<TermsVersion> utc = List.of(DefaultTerms.version());
        assertThat(at("2026-11-01T00:00:00Z").closableMonth(utc)).isEqualTo(OCT);
        assertThat(at("2026-10-31T23:59:59Z").closableMonth(utc)).isEqualTo(YearMonth.parse("2026-09"));

        List<TermsVersion> pagoPago = List.of(zoned("Pacific/Pago_Pago", "2026-01-01"));
        // 00:30 UTC on November 1st is 13:30 on October 31st in Pago Pago (UTC-11): October is not over there
        assertThat(at("2026-11-01T00:30:00Z").closableMonth(pagoPago)).isEqualTo(YearMonth.parse("2026-09"));
        assertThat(at("2026-11-01T11:00:00Z").closableMonth(pagoPago)).isEqualTo(OCT);

        List<TermsVersion> kiritimati = List.of(zoned("Pacific/Kiritimati", "2026-01-01"));
        // 10:00 UTC on October 31st is already November 1st in Kiritimati (UTC+14)
        assertThat(at("2026-10-31T10:00:00Z").closableMonth(kiritimati)).isEqualTo(OCT);
        assertThat(at("2026-10-31T09:59:59Z").closableMonth(kiritimati)).isEqualTo(YearMonth.parse("2026-09"));

        // a version published for 2027 in Shanghai does not hold up December; January waits for both zones
        List<TermsVersion> both = List.of(DefaultTerms.version(), SHANGHAI_2027);
        assertThat(at("2027-01-01T00:00:00Z").closableMonth(both)).isEqualTo(YearMonth.parse("2026-12"));
        assertThat(at("2027-01-31T23:00:00Z").closableMonth(both)).isEqualTo(YearMonth.parse("2026-12"));
        assertThat(at("2027-02-01T00:00:00Z").closableMonth(both)).isEqualTo(YearMonth.parse("2027-01"));
    }

    @Test
    @DisplayName("issue 5: every account with a service period in the month goes out once, in batches")
    void batches() {
        List<Batch> sent = new ArrayList<>();
        MonthEndFanOut.Summary summary = fanOut(Clock.fixed(Instant.parse("2026-11-01T00:30:00Z"), ZoneOffset.UTC),
                accounts(List.of("a", "b", "c", "d", "e")), sent, new InMemoryJobProgress())
                .closeMonth(List.of(DefaultTerms.version()), () -> true);

        assertThat(summary).isEqualTo(new MonthEndFanOut.Summary(OCT, 4, 2, true, false));
        assertThat(sent).containsExactly(new Batch(OCT, List.of("a", "b")), new Batch(OCT, List.of("c", "d")));
    }

    @Test
    @DisplayName("S9.2 a run stopped by its time budget continues after its last checkpoint; every account goes out"
            + " once; a closed month is not run again")
    void resumesAfterTheBudget() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            ids.add(String.format("acct-%03d", i));
        }
        InMemoryAccountRepository accounts = accounts(ids);
        InMemoryJobProgress progress = new InMemoryJobProgress();
        List<Batch> sent = new ArrayList<>();
        SettableClock clock = new SettableClock("2026-11-01T00:30:00Z");
        MonthEndFanOut fanOut = fanOut(clock, accounts, sent, progress);
        List<TermsVersion> terms = List.of(DefaultTerms.version());
        AtomicInteger budget = new AtomicInteger(1); // one checkpoint (10 messages of 2) per run

        List<MonthEndFanOut.Summary> runs = new ArrayList<>();
        do {
            budget.set(1);
            runs.add(fanOut.closeMonth(terms, () -> budget.decrementAndGet() > 0));
        } while (!runs.get(runs.size() - 1).complete());

        assertThat(runs).hasSize(5).allSatisfy(r -> assertThat(r.month()).isEqualTo(OCT));
        assertThat(runs.subList(0, 4)).allSatisfy(r -> assertThat(r.accounts()).isEqualTo(20));
        assertThat(runs.get(4).accounts()).isEqualTo(15);
        Map<String, Integer> times = new HashMap<>();
        sent.forEach(b -> b.ids().forEach(id -> times.merge(id, 1, Integer::sum)));
        assertThat(times).hasSize(95).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
        assertThat(progress.progress(MonthEndFanOut.key(OCT))).hasValueSatisfying(p -> {
            assertThat(p.complete()).isTrue();
            assertThat(p.items()).isEqualTo(95);
        });

        sent.clear();
        clock.set("2026-11-02T23:30:00Z");
        assertThat(fanOut.closeMonth(terms, () -> true)).isEqualTo(new MonthEndFanOut.Summary(OCT, 0, 0, true, true));
        assertThat(sent).isEmpty();
    }
}
