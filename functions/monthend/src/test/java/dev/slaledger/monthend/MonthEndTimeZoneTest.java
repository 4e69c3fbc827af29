package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.slaledger.adapter.eventbridge.Schedules;
import dev.slaledger.adapter.sqs.WorkMessage;
import dev.slaledger.emulators.ScheduleExpression;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.StatementWorkQueue;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryJobProgress;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.core.usecase.StatementService;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * S1.4 (issue 27 item 5): the month-end's schedule as deployed (schedules.json) firing in UTC while
 * the terms are in a zone 14 hours ahead of UTC or 11 hours behind: the month a run closes is decided
 * in the terms' zone, so every account-month of four months is computed exactly once, only after its
 * month has ended there, and each month is fanned out once. (Before, the schedule fired at 00:30 on
 * the 1st only and the run took the month before the current one in the terms' zone: at 00:30 UTC it
 * is still the last day of the month in Pago Pago, so each month was closed a month late, after its
 * claim window had opened.)
 */
class MonthEndTimeZoneTest {
    private static final List<String> ACCOUNTS = List.of("acme", "globex", "initech");
    private static final List<YearMonth> MONTHS = List.of(YearMonth.of(2026, 10), YearMonth.of(2026, 11),
            YearMonth.of(2026, 12), YearMonth.of(2027, 1));

    @ParameterizedTest(name = "S1.4 terms in {0}, schedule in UTC: every account-month exactly once")
    @ValueSource(strings = {"Pacific/Kiritimati", "Pacific/Pago_Pago"})
    void everyAccountMonthExactlyOnce(String termsZone) {
        ZoneId zone = ZoneId.of(termsZone);
        TermsVersion terms = TermsParser.parse(TermsParser.toJson(DefaultTerms.version())
                .replace("\"UTC\"", "\"" + termsZone + "\""));
        SettableClock clock = new SettableClock("2026-10-15T00:00:00Z");
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        Map<YearMonth, MonthlyFee> fees = new HashMap<>();
        MONTHS.forEach(m -> fees.put(m, MonthlyFee.of("100.00", "0.00", "EUR")));
        for (String id : ACCOUNTS) {
            accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                    List.of(new Term(LocalDate.parse("2026-09-01"), LocalDate.parse("2027-06-30"))), fees));
        }
        InMemoryStatementRepository statements = new InMemoryStatementRepository();
        InMemoryTermsRepository published = new InMemoryTermsRepository(terms);
        StatementService service = new StatementService(accounts, new InMemoryAggregateRepository(),
                new InMemoryMaintenanceWindowRepository(), statements, published, new InMemoryNoticeRepository(),
                s -> { }, clock);
        StatementWorkerHandler worker = new StatementWorkerHandler(service);
        Map<YearMonth, Integer> handedOut = new HashMap<>();
        StatementWorkQueue queue = (month, ids, kind) -> {
            handedOut.merge(month, ids.size(), Integer::sum);
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(month + "-" + ids);
            m.setBody(new WorkMessage(month, ids, kind).toJson());
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(m));
            assertThat(worker.handleRequest(event, null).getBatchItemFailures()).isEmpty();
        };
        MonthEndHandler handler = new MonthEndHandler(
                new MonthEndFanOut(accounts, queue, new InMemoryJobProgress(), clock, 25), published);

        Schedules.Definition schedule = Schedules.all().stream().filter(d -> d.name().equals("MonthEndSchedule"))
                .findFirst().orElseThrow();
        List<Instant> firings = ScheduleExpression.parse(schedule.expression()).firings(Instant.EPOCH, ZoneOffset.UTC,
                Instant.parse("2026-10-15T00:00:00Z"), Instant.parse("2027-02-15T00:00:00Z"));
        assertThat(firings).hasSizeGreaterThan(4 * 24);
        List<String> closed = new ArrayList<>();
        for (Instant at : firings) {
            clock.set(at);
            Map<String, Object> out = handler.handleRequest(Map.of(), null);
            if (!Boolean.TRUE.equals(out.get("alreadyDone"))) {
                closed.add((String) out.get("month"));
            }
        }

        // each month closed by one run (a zone behind UTC also closes September at the first firing)
        assertThat(closed).doesNotHaveDuplicates().containsAll(MONTHS.stream().map(YearMonth::toString).toList());
        for (YearMonth month : MONTHS) {
            assertThat(handedOut.get(month)).as("accounts handed out for " + month).isEqualTo(ACCOUNTS.size());
            Instant ended = month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
            for (String id : ACCOUNTS) {
                List<Statement> history = statements.history(id, month);
                assertThat(history).as(id + " " + month).hasSize(1);
                // after the month ended in the terms' zone, at the first firing after that (at most a day
                // later when the schedule's zone is ahead of the terms' zone)
                assertThat(history.get(0).computedAt()).as(id + " " + month + " computed after the month ended in "
                        + zone).isAfterOrEqualTo(ended).isBefore(ended.plusSeconds(26 * 3600));
            }
        }
    }
}
