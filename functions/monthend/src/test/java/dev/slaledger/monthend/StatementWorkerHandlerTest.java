package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.slaledger.core.account.Account;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.usecase.StatementService;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatementWorkerHandlerTest {
    @Test
    @DisplayName("SQS batch: a good message computes its accounts; a malformed one is the only batch item failure")
    void partialBatchFailure() {
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        for (String id : List.of("acme", "globex")) {
            accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                    List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"))),
                    Map.of(YearMonth.parse("2026-10"), MonthlyFee.of("100.00", "0.00", "EUR"))));
        }
        InMemoryStatementRepository statements = new InMemoryStatementRepository();
        List<String> announced = new ArrayList<>();
        StatementService service = new StatementService(accounts, new InMemoryAggregateRepository(),
                new InMemoryMaintenanceWindowRepository(), statements, new InMemoryTermsRepository(DefaultTerms.version()),
                new InMemoryNoticeRepository(), s -> announced.add(s.accountId()),
                Clock.fixed(Instant.parse("2026-11-01T01:00:00Z"), ZoneOffset.UTC));
        SQSEvent event = EventLoader.loadSQSEvent("../../events/monthend/sqs-statement-work.json");

        SQSBatchResponse response = new StatementWorkerHandler(service).handleRequest(event, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("2e1424d4-f796-459a-8184-9c92662be6da");
        assertThat(statements.latest("acme", YearMonth.parse("2026-10"))).isPresent();
        assertThat(statements.latest("globex", YearMonth.parse("2026-10")).orElseThrow().availability())
                .hasToString("100.0000");
        assertThat(announced).as("no traffic, SLA met: nothing to announce").isEmpty();
    }

    @Test
    @DisplayName("S7.5 one account whose statement cannot be computed never stops the others of its message: they are stored, the failing account is named in the log and counted in a metric, and only its message is retried")
    void oneBadAccountDoesNotStopTheOthers() {
        InMemoryAccountRepository accounts = new InMemoryAccountRepository();
        for (String id : List.of("acme", "broken", "globex")) {
            accounts.save(new Account(id, id + "@example.com", Optional.empty(),
                    List.of(new Term(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-12-31"))),
                    Map.of(YearMonth.parse("2026-10"), MonthlyFee.of("100.00", "0.00", "EUR"))));
        }
        InMemoryAggregateRepository stored = new InMemoryAggregateRepository();
        dev.slaledger.core.port.AggregateRepository failingForOne = (accountId, from, to) -> {
            if (accountId.equals("broken")) {
                throw new IllegalStateException("a stored count this reader cannot hold");
            }
            return stored.load(accountId, from, to);
        };
        InMemoryStatementRepository statements = new InMemoryStatementRepository();
        StatementService service = new StatementService(accounts, failingForOne,
                new InMemoryMaintenanceWindowRepository(), statements, new InMemoryTermsRepository(DefaultTerms.version()),
                new InMemoryNoticeRepository(), s -> { }, Clock.fixed(Instant.parse("2026-11-01T01:00:00Z"), ZoneOffset.UTC));
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("m-1");
        message.setBody("{\"month\":\"2026-10\",\"accountIds\":[\"acme\",\"broken\",\"globex\"]}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        List<String> logged = new ArrayList<>();
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        SQSBatchResponse response;
        try {
            response = new StatementWorkerHandler(service).handleRequest(event, null);
        } finally {
            System.setOut(out);
        }
        logged.addAll(captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList());

        assertThat(statements.latest("acme", YearMonth.parse("2026-10"))).isPresent();
        assertThat(statements.latest("globex", YearMonth.parse("2026-10"))).isPresent();
        assertThat(statements.latest("broken", YearMonth.parse("2026-10"))).isEmpty();
        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-1");
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("account broken").contains("2026-10"));
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("\"StatementFailures\":1")
                .contains("SlaLedger/Statements"));
    }
}
