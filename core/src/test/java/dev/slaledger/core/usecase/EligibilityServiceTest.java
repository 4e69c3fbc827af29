package dev.slaledger.core.usecase;

import static dev.slaledger.core.usecase.EligibilityWorld.OCT;
import static dev.slaledger.core.usecase.EligibilityWorld.OPENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.usecase.EligibilityService.Credited;
import dev.slaledger.core.usecase.EligibilityService.Notify;
import dev.slaledger.core.usecase.EligibilityService.Nothing;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EligibilityServiceTest {

    @Test
    @DisplayName("S8.1 without eligibility (the reference SLA) nothing is active and a compensable month gets nothing")
    void s8_1_absentMeansNothing() {
        EligibilityWorld w = new EligibilityWorld(Eligibility.NONE);
        w.account("acme", "1000.00");
        w.moreErrors("acme", 50);
        w.clock.set(OPENS.plus(Duration.ofHours(9)));
        assertThat(w.eligibility.anyActive()).isFalse();
        assertThat(w.eligibility.decide("acme", OCT)).isInstanceOf(Nothing.class);
        assertThat(w.claims.acceptedClaim("acme", OCT)).isEmpty();
    }

    @Test
    @DisplayName("S8.2 notify: nothing before the window opens, the voucher on its opening day, nothing once claimed")
    void s8_2_notifyOnOpeningDayNotBefore() {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(true, false));
        w.account("acme", "1000.00");
        w.moreErrors("acme", 50); // 99.44%: 10% of 1000.00
        assertThat(w.eligibility.anyActive()).isTrue();

        w.clock.set(OPENS.minusSeconds(1));
        assertThat(w.eligibility.decide("acme", OCT)).isInstanceOf(Nothing.class);
        assertThat(((Nothing) w.eligibility.decide("acme", OCT)).why()).startsWith("claim window opens");

        w.clock.set(OPENS.plus(Duration.ofHours(9)));
        Notify notify = (Notify) w.eligibility.decide("acme", OCT);
        assertThat(notify.voucher().toDecimalString()).isEqualTo("100.00");
        assertThat(notify.deliveryKey()).isEqualTo("ELIG#2026-10#N#100.00");
        assertThat(w.claims.acceptedClaim("acme", OCT)).as("notify files nothing").isEmpty();
        w.recordSent("acme", notify.deliveryKey());
        assertThat(w.eligibility.decide("acme", OCT)).as("same amount: same key, the delivery says SENT")
                .isEqualTo(notify);

        w.claimService.submit("acme", OCT);
        assertThat(w.eligibility.decide("acme", OCT)).isInstanceOf(Nothing.class);
    }

    @Test
    @DisplayName("S8.2 a later revision that raises the voucher gets one more notice, one that lowers it none")
    void s8_2_raisedRevision() {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(true, false));
        w.account("acme", "1000.00");
        w.moreErrors("acme", 50);
        w.clock.set(OPENS.plus(Duration.ofHours(9)));
        Notify first = (Notify) w.eligibility.decide("acme", OCT);
        w.recordSent("acme", first.deliveryKey());

        w.moreErrors("acme", 60); // 110 intervals: 98.77%, 25%
        w.clock.set(OPENS.plus(Duration.ofDays(1)));
        Notify raised = (Notify) w.eligibility.decide("acme", OCT);
        assertThat(raised.voucher().toDecimalString()).isEqualTo("250.00");
        assertThat(raised.statement().revision()).isEqualTo(2);
        assertThat(raised.deliveryKey()).isEqualTo("ELIG#2026-10#N#250.00");
        w.recordSent("acme", raised.deliveryKey());

        w.account("acme", "400.00"); // fee corrected down: 25% of 400.00
        w.clock.set(OPENS.plus(Duration.ofDays(2)));
        assertThat(w.eligibility.decide("acme", OCT)).isInstanceOf(Nothing.class);
    }

    @Test
    @DisplayName("S8.3 S4.4 autoClaim files one claim through ClaimService, announces it once, and answers later claims with it")
    void s8_3_autoClaim() {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(true, true));
        w.account("acme", "1000.00");
        w.moreErrors("acme", 50);
        w.clock.set(OPENS.minusSeconds(60));
        assertThat(w.eligibility.decide("acme", OCT)).isInstanceOf(Nothing.class);
        assertThat(w.claims.acceptedClaim("acme", OCT)).as("S8.2 never before the window").isEmpty();

        w.clock.set(OPENS.plus(Duration.ofHours(9)));
        Credited credited = (Credited) w.eligibility.decide("acme", OCT);
        assertThat(credited.filedNow()).isTrue();
        assertThat(credited.deliveryKey()).isEqualTo("ELIG#2026-10#CREDITED");
        assertThat(credited.claim().decision().voucher().orElseThrow().toDecimalString()).isEqualTo("100.00");
        assertThat(w.announced).containsExactly(credited.claim());

        Credited again = (Credited) w.eligibility.decide("acme", OCT);
        assertThat(again.filedNow()).isFalse();
        assertThat(again.claim()).isEqualTo(credited.claim());
        ClaimService.Submission customer = w.claimService.submit("acme", OCT);
        assertThat(customer.created()).isFalse();
        assertThat(customer.claim()).isEqualTo(credited.claim());
        assertThat(w.announced).hasSize(1);
    }

    @Test
    @DisplayName("S8.3 a customer's own claim before the run stands: the run credits that claim, files no second one")
    void s8_3_customerClaimedFirst() {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(false, true));
        w.account("acme", "1000.00");
        w.moreErrors("acme", 50);
        w.clock.set(OPENS.plus(Duration.ofHours(1)));
        Claim own = w.claimService.submit("acme", OCT).claim();
        w.clock.set(OPENS.plus(Duration.ofHours(9)));
        Credited credited = (Credited) w.eligibility.decide("acme", OCT);
        assertThat(credited.claim()).isEqualTo(own);
        assertThat(credited.filedNow()).isFalse();
        assertThat(w.announced).containsExactly(own);
    }

    @Test
    @DisplayName("S8.3 S5.3 autoClaim files nothing for a month whose SLA was met")
    void s8_3_slaMet() {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(false, true));
        w.account("acme", "1000.00");
        w.clock.set(OPENS.plus(Duration.ofHours(9)));
        assertThat(w.eligibility.decide("acme", OCT)).isInstanceOf(Nothing.class);
        assertThat(w.claims.acceptedClaim("acme", OCT)).isEmpty();
    }

    @Test
    @DisplayName("S8.2 candidates are the months whose window may be open: the last three under the default terms")
    void candidates() {
        EligibilityWorld w = new EligibilityWorld(new Eligibility(true, false));
        w.account("acme", "1000.00");
        w.clock.set(OPENS);
        assertThat(w.eligibility.candidateMonths())
                .containsExactly(YearMonth.of(2026, 10), YearMonth.of(2026, 9), YearMonth.of(2026, 8));
        List<String> seen = new ArrayList<>();
        w.eligibility.forEachCandidate((a, m) -> seen.add(a + " " + m));
        assertThat(seen).containsExactly("acme 2026-10");
    }
}
