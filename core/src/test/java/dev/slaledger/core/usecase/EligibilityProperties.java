package dev.slaledger.core.usecase;

import static dev.slaledger.core.usecase.EligibilityWorld.OCT;
import static dev.slaledger.core.usecase.EligibilityWorld.OPENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.usecase.EligibilityService.Action;
import dev.slaledger.core.usecase.EligibilityService.Credited;
import dev.slaledger.core.usecase.EligibilityService.Notify;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * S8.4 over random histories of one account-month: late traffic that raises the voucher, fee
 * corrections up and down, daily runs and customer claims, at random instants from before the
 * window opens to well inside it.
 */
class EligibilityProperties {
    enum Kind { ERRORS, FEE, RUN, CLAIM }

    /** One step: wait {@code hours}, then do it ({@code n}: intervals for ERRORS, the fee for FEE). */
    record Step(Kind kind, int hours, int n) {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.values()),
                Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                        net.jqwik.api.Tuple.of(7, Arbitraries.integers().between(1, 72))),
                Arbitraries.integers().between(1, 400)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(25);
    }

    @Property(tries = 300)
    @Label("S8.4 S8.2 notify: a notice never states more than the voucher a claim then issues, and never comes before the window")
    void s8_4_neverToldMoreThanTheVoucherIssued(@ForAll("histories") List<Step> history) {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(true, false));
        w.account("acme", "1000.00");
        w.clock.set(OPENS.minus(Duration.ofDays(4)));
        // what was told since the last fee correction (the only input here that can lower a voucher)
        List<BigDecimal> toldSinceLastLowering = new ArrayList<>();
        Set<String> sentKeys = new HashSet<>();
        for (Step s : history) {
            w.clock.set(w.clock.instant().plus(Duration.ofHours(s.hours())));
            switch (s.kind()) {
                case ERRORS -> w.moreErrors("acme", s.n());
                case FEE -> {
                    w.account("acme", s.n() * 5 + ".00");
                    toldSinceLastLowering.clear();
                }
                case RUN -> {
                    Action a = w.eligibility.decide("acme", OCT);
                    if (a instanceof Notify n) {
                        assertThat(w.clock.instant()).as("S8.2 never before the window opens")
                                .isAfterOrEqualTo(n.statement().claimOpensAt().toInstant());
                        assertThat(w.claims.acceptedClaim("acme", OCT)).as("S8.2 only before a claim").isEmpty();
                        if (sentKeys.add(n.deliveryKey())) {
                            w.recordSent("acme", n.deliveryKey());
                            toldSinceLastLowering.add(n.voucher().amount());
                            Statistics.label("notices").collect("sent");
                        }
                    }
                }
                case CLAIM -> {
                    Claim c = w.claimService.submit("acme", OCT).claim();
                    if (c.decision().accepted()) {
                        BigDecimal issued = c.decision().voucher().map(v -> v.amount()).orElse(BigDecimal.ZERO);
                        for (BigDecimal told : toldSinceLastLowering) {
                            assertThat(told).as("S8.4 told %s, issued %s", told, issued).isLessThanOrEqualTo(issued);
                        }
                        Statistics.label("claims").collect(toldSinceLastLowering.isEmpty() ? "untold" : "told");
                        return; // S4.4: the voucher is issued; nothing later changes it
                    }
                }
            }
        }
    }

    @Property(tries = 200)
    @Label("S8.3 S4.4 autoClaim: one voucher, the credited amount is the one issued, customers get the standing claim")
    void s8_3_autoClaimOneVoucher(@ForAll("histories") List<Step> history) {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(false, true));
        w.account("acme", "1000.00");
        w.clock.set(OPENS.minus(Duration.ofDays(4)));
        Optional<Claim> accepted = Optional.empty();
        for (Step s : history) {
            w.clock.set(w.clock.instant().plus(Duration.ofHours(s.hours())));
            Instant now = w.clock.instant();
            switch (s.kind()) {
                case ERRORS -> w.moreErrors("acme", s.n());
                case FEE -> w.account("acme", s.n() * 5 + ".00");
                case RUN -> {
                    Action a = w.eligibility.decide("acme", OCT);
                    if (a instanceof Credited c) {
                        assertThat(now).as("S8.2 never before the window opens").isAfterOrEqualTo(OPENS);
                        assertThat(c.claim().decision().issuesVoucher()).isTrue();
                        accepted.ifPresent(prev -> assertThat(c.claim()).isEqualTo(prev));
                        accepted = Optional.of(c.claim());
                    }
                }
                case CLAIM -> {
                    Claim c = w.claimService.submit("acme", OCT).claim();
                    if (accepted.isPresent()) {
                        assertThat(c).as("S4.4 the standing claim answers").isEqualTo(accepted.get());
                    } else if (c.decision().accepted()) {
                        accepted = Optional.of(c);
                    }
                }
            }
        }
        assertThat(w.announced.stream().map(Claim::claimId).distinct().count()).isLessThanOrEqualTo(1);
        assertThat(w.claims.acceptedClaim("acme", OCT)).isEqualTo(accepted);
    }
}
