package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.adapter.sqs.WorkMessage;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AggregateRepository;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryForecastRepository;
import dev.slaledger.core.port.memory.InMemoryJobProgress;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.traffic.AccountMonthTraffic;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.usecase.LiabilityForecast;
import dev.slaledger.core.usecase.MonthEndFanOut;
import dev.slaledger.emulators.LambdaContext;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S9.8: the forecast job's two handlers, on the core's in-memory ports: its fan-out and its worker. */
class ForecastHandlerTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private final SettableClock clock = new SettableClock(Instant.parse("2026-10-03T02:00:00Z"));
    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    private final InMemoryForecastRepository forecasts = new InMemoryForecastRepository();
    private final InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
    private final List<WorkMessage> queued = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean throttled;
    private ForecastHandler handler;
    private ForecastWorkerHandler worker;

    @BeforeEach
    void wire() {
        AggregateRepository reads = new AggregateRepository() {
            @Override
            public AccountMonthTraffic load(String accountId, Instant from, Instant to) {
                if (throttled && accountId.equals("c")) {
                    throw new IllegalStateException("ProvisionedThroughputExceeded");
                }
                return aggregates.load(accountId, from, to);
            }
        };
        LiabilityForecast forecast = new LiabilityForecast(accounts, reads, new InMemoryMaintenanceWindowRepository(),
                terms, new InMemoryNoticeRepository(), forecasts,
                (f, before) -> events.add(f.accountId() + " " + f.status().wireName()), clock,
                LiabilityForecast.DEFAULT_SETTLE);
        MonthEndFanOut fanOut = new MonthEndFanOut(accounts,
                (month, ids, kind) -> queued.add(new WorkMessage(month, ids, kind)), new InMemoryJobProgress(), clock, 2);
        handler = new ForecastHandler(fanOut, terms, clock);
        worker = new ForecastWorkerHandler(forecast);
        for (String id : List.of("a", "b", "c")) {
            accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                    List.of(new Term(LocalDate.parse("2026-09-15"), LocalDate.parse("2026-12-31"))),
                    Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
        }
        accounts.save(new Account("old", "old@example.com", Optional.empty(),
                List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-09-30"))), Map.of()));
        for (int i = 0; i < 20; i++) { // b: 20 failed intervals on the 1st
            aggregates.add(new IntervalAggregate("b", Instant.parse("2026-10-01T06:00:00Z").plusSeconds(300L * i),
                    new IntervalCounts(10, 10, 0, 0)));
        }
    }

    private static Map<String, Object> sqsEvent(List<WorkMessage> messages) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            records.add(Map.of("messageId", "m-" + i, "body", messages.get(i).toJson(), "eventSource", "aws:sqs"));
        }
        return Map.of("Records", records);
    }

    @Test
    @DisplayName("S9.8 the schedule's invocation lists the month under way's accounts onto the queue, in batches")
    void fanOut() {
        Map<String, Object> out = handler.handleRequest(Map.of(), new LambdaContext("forecast"));
        assertThat(out).containsEntry("month", "2026-10").containsEntry("accounts", 3L).containsEntry("workMessages", 2L);
        assertThat(queued).extracting(WorkMessage::month).containsOnly(OCT);
        assertThat(queued.stream().flatMap(m -> m.accountIds().stream())).containsExactly("a", "b", "c");
        queued.clear();
        handler.handleRequest(Map.of("month", "2026-09"), null);
        assertThat(queued.stream().flatMap(m -> m.accountIds().stream())).containsExactly("a", "b", "c", "old");
    }

    @Test
    @DisplayName("S9.8 the queue's invocation forecasts each message, sends SlaAtRisk on a change, writes its metrics")
    void worker() throws Exception {
        handler.handleRequest(Map.of(), null);
        LambdaContext context = new LambdaContext("forecast-worker");
        Map<String, Object> out = worker.handleRequest(sqsEvent(queued), context);
        assertThat(out).containsEntry("batchItemFailures", List.of());
        assertThat(forecasts.find("b", OCT).orElseThrow().status()).isEqualTo(ForecastStatus.COMPENSABLE);
        assertThat(forecasts.find("a", OCT).orElseThrow().status()).isEqualTo(ForecastStatus.OK);
        assertThat(events).containsExactly("b compensable");
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> metrics = new ArrayList<>();
        for (String line : context.lines()) {
            JsonNode n = json.readTree(line);
            if (n.has("_aws")) {
                metrics.add(n);
            }
        }
        assertThat(metrics).hasSize(2);
        assertThat(metrics.get(0).get("AccountsOk").asLong()).isEqualTo(2);
        assertThat(metrics.get(0).get("AccountsCompensable").asLong()).isEqualTo(1);
        assertThat(metrics.get(0).get("StatusChanges").asLong()).isEqualTo(1);
        assertThat(metrics.get(1).get("Currency").asText()).isEqualTo("EUR");
        assertThat(metrics.get(1).get("CertainLiability").asDouble()).isEqualTo(100.0);
    }

    @Test
    @DisplayName("S9.8/S9.2 a failing account fails only its message (a batch item failure), a broken message too")
    void failures() {
        handler.handleRequest(Map.of(), null);
        throttled = true;
        List<WorkMessage> messages = new ArrayList<>(queued);
        List<Map<String, Object>> records = new ArrayList<>(((List<Map<String, Object>>) sqsEvent(messages)
                .get("Records")));
        records.add(Map.of("messageId", "m-broken", "body", "{not json"));
        Map<String, Object> out = worker.handleRequest(Map.of("Records", records), new LambdaContext("w"));
        assertThat(out.get("batchItemFailures")).isEqualTo(List.of(Map.of("itemIdentifier", "m-1"),
                Map.of("itemIdentifier", "m-broken")));
        assertThat(forecasts.find("a", OCT)).isPresent();
        assertThat(forecasts.find("c", OCT)).isEmpty();
    }
}
