package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.memory.InMemoryClaimRepository;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.usecase.OutboxSweep;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutboxSweepHandlerTest {
    private static final Instant T0 = Instant.parse("2026-11-10T08:00:00Z");

    private final InMemoryClaimRepository claims = new InMemoryClaimRepository();
    private final SettableClock clock = new SettableClock(T0);
    private final List<Claim> sent = new ArrayList<>();
    private boolean failing;
    private final OutboxSweepHandler handler = new OutboxSweepHandler(new OutboxSweep(
            new InMemoryStatementRepository(), s -> { }, claims, c -> {
                if (failing) {
                    throw new IllegalStateException("EventBridge refused the VoucherIssued event");
                }
                sent.add(c);
            }, clock, OutboxSweep.DEFAULT_MIN_AGE, OutboxSweep.DEFAULT_LEASE, MonthEndWiring.SWEEP_BUDGET));

    private Claim owed(String account) {
        Claim claim = new Claim("c-" + account, account, YearMonth.of(2026, 10), T0, new ClaimDecision(true,
                Optional.empty(), Optional.of(Money.of("100.00", "EUR")), Optional.empty(), Optional.empty(),
                Optional.of(1)));
        claims.recordAccepted(claim);
        return claim;
    }

    @Test
    @DisplayName("S7.6 the schedule's input is ignored; the answer counts what was sent, skipped and left")
    void summary() {
        Claim claim = owed("acme");
        clock.advance(Duration.ofMinutes(5));
        assertThat(handler.handleRequest(Map.of("ignored", true), null)).containsExactly(
                Map.entry("vouchersSent", 1L), Map.entry("statementsSent", 0L), Map.entry("skipped", 0L),
                Map.entry("deferred", 0L));
        assertThat(sent).containsExactly(claim);
    }

    @Test
    @DisplayName("S7.6 an entry not sent fails the invocation after the whole sweep (the error alarm), and stays owed for the next")
    void failureFailsTheInvocation() {
        owed("acme");
        clock.advance(Duration.ofMinutes(5));
        failing = true;
        assertThatThrownBy(() -> handler.handleRequest(Map.of(), null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 owed events could not be sent");
        failing = false;
        assertThat(handler.handleRequest(Map.of(), null)).containsEntry("vouchersSent", 1L);
    }
}
