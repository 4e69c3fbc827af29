package dev.slaledger.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MonthEndFanOutTest {
    private static final TermsVersion SHANGHAI_2027 = TermsParser.parse(TermsParser.toJson(DefaultTerms.version())
            .replace("\"2026-01\"", "\"2027-01\"").replace("2026-01-01", "2027-01-01")
            .replace("\"UTC\"", "\"Asia/Shanghai\""));

    private record Batch(YearMonth month, List<String> ids) {
    }

    private static MonthEndFanOut fanOut(Instant now, InMemoryAccountRepository accounts, List<Batch> sent) {
        StatementWorkQueue queue = (month, ids, kind) -> sent.add(new Batch(month, ids));
        return new MonthEndFanOut(accounts, queue, Clock.fixed(now, ZoneOffset.UTC), 2);
    }

    @Test
    @DisplayName("S1.4: the month that just ended is taken in the zone of the terms in force, not of a version published for later")
    void zoneInForce() {
        List<TermsVersion> published = List.of(DefaultTerms.version(), SHANGHAI_2027);
        // 2026-12-31 18:00 in Shanghai: the new version is published but not yet in force
        assertThat(fanOut(Instant.parse("2026-12-31T10:00:00Z"), new InMemoryAccountRepository(), new ArrayList<>())
                .zoneInForce(published)).isEqualTo(ZoneId.of("UTC"));
        // 2027-01-01 04:00 in Shanghai: in force there, though still 2026-12-31 in UTC
        assertThat(fanOut(Instant.parse("2026-12-31T20:00:00Z"), new InMemoryAccountRepository(), new ArrayList<>())
                .zoneInForce(published)).isEqualTo(ZoneId.of("Asia/Shanghai"));
    }

    @Test
    @DisplayName("issue 5: every account with a service period in the month goes out once, in batches")
    void batches() {
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        for (String id : List.of("a", "b", "c", "d", "e")) {
            LocalDate start = id.equals("e") ? LocalDate.parse("2026-11-01") : LocalDate.parse("2026-01-01");
            accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                    List.of(new Term(start, LocalDate.parse("2026-12-31"))),
                    Map.of(YearMonth.parse("2026-10"), MonthlyFee.of("1.00", "0.00", "EUR"))));
        }
        List<Batch> sent = new ArrayList<>();

        MonthEndFanOut.Summary summary = fanOut(Instant.parse("2026-11-01T00:30:00Z"), accounts, sent)
                .run(Optional.empty(), ZoneId.of("UTC"));

        assertThat(summary).isEqualTo(new MonthEndFanOut.Summary(YearMonth.parse("2026-10"), 4, 2));
        assertThat(sent).containsExactly(new Batch(YearMonth.parse("2026-10"), List.of("a", "b")),
                new Batch(YearMonth.parse("2026-10"), List.of("c", "d")));
    }
}
