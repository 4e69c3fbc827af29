package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.UndeliverableContacts.Undeliverable;
import dev.slaledger.core.port.memory.InMemoryAccountRepository;
import dev.slaledger.core.port.memory.InMemoryAggregateRepository;
import dev.slaledger.core.port.memory.InMemoryClaimRepository;
import dev.slaledger.core.port.memory.InMemoryMaintenanceWindowRepository;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemoryStatementRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.InMemoryUndeliverableContacts;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.Eligibility;
import dev.slaledger.core.traffic.IntervalAggregate;
import dev.slaledger.core.traffic.IntervalCounts;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.EligibilityService;
import dev.slaledger.core.usecase.StatementService;
import dev.slaledger.notifier.notice.NoticeCampaign.Outcome;
import dev.slaledger.notifier.notice.NoticeCampaignTest.ScriptedMailer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The eligibility run's decisions and sends (S8.2, S8.3) on the core's in-memory ports and a scripted mailer. */
class EligibilityCampaignTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final String OPENING_DAY = "2026-11-09T09:00:00Z";

    private final InMemoryAccountRepository accounts = new InMemoryAccountRepository();
    private final InMemoryAggregateRepository aggregates = new InMemoryAggregateRepository();
    private final InMemoryStatementRepository statements = new InMemoryStatementRepository();
    private final InMemoryClaimRepository claims = new InMemoryClaimRepository();
    private final InMemoryNoticeLedger ledger = new InMemoryNoticeLedger();
    private final InMemoryUndeliverableContacts undeliverable = new InMemoryUndeliverableContacts();
    private final ScriptedMailer mailer = new ScriptedMailer();
    private final SettableClock clock = new SettableClock("2026-11-06T09:00:00Z");
    private final List<Claim> announced = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final List<String> errors = new ArrayList<>();

    private EligibilityCampaign campaign(Eligibility flags) {
        InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version().withEligibility(flags));
        StatementService statementService = new StatementService(accounts, aggregates,
                new InMemoryMaintenanceWindowRepository(), statements, terms, ledger, s -> { }, clock);
        ClaimService claimService = new ClaimService(statementService, statements, claims, announced::add, clock,
                () -> "claim-" + ids.incrementAndGet(), ClaimService.ANNOUNCE_LEASE);
        NoticeCampaign notices = new NoticeCampaign(terms, accounts, ledger, ledger, undeliverable, mailer,
                new NoticeRenderer(null), clock, () -> "attempt-" + ids.incrementAndGet(), Duration.ofHours(48));
        return new EligibilityCampaign(new EligibilityService(claimService, claims, terms, accounts, ledger, clock),
                accounts, new EligibilityRenderer(null, null), notices, errors::add);
    }

    /** Subscribed Oct-Dec, October's fee 1000.00 EUR, {@code failed} failed intervals. */
    private void account(String id, String email, String locale, int failed) {
        accounts.save(new Account(id, email, Optional.ofNullable(locale).map(Locale::forLanguageTag),
                List.of(new Term(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-12-31"))),
                Map.of(OCT, MonthlyFee.of("1000.00", "0.00", "EUR"))));
        long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
        for (int i = 0; i < failed; i++) {
            aggregates.add(new IntervalAggregate(id, Instant.ofEpochSecond(start + 300L * i),
                    new IntervalCounts(10, 10, 0, 0)));
        }
    }

    @Test
    @DisplayName("S8.1 without eligibility the run reads no account and sends nothing")
    void s8_1_inactive() {
        account("acme", "ops@acme.example", null, 50);
        clock.set(OPENING_DAY);
        NoticeCampaign.Report report = campaign(Eligibility.NONE).run(() -> true);
        assertThat(report.counts()).isEmpty();
        assertThat(mailer.sent).isEmpty();
        assertThat(statements.latest("acme", OCT)).as("nothing computed either").isEmpty();
    }

    @Test
    @DisplayName("S8.2 notify: one eligible mail per account on the opening day, in its language, tagged with its attempt; none before, none again, none to an undeliverable address")
    void s8_2_notify() {
        account("acme", "ops@acme.example", "zh-CN", 50);
        account("globex", "sla@globex.example", null, 110);
        account("initech", "gone@initech.example", null, 50);
        account("umbrella", "sla@umbrella.example", null, 0); // SLA met
        undeliverable.mark(new Undeliverable("gone@initech.example", "Bounce/Permanent/General",
                Instant.parse("2026-11-01T00:00:00Z"), "m-0"));
        EligibilityCampaign campaign = campaign(new Eligibility(true, false));

        assertThat(campaign.run(() -> true).count(Outcome.SENT)).as("S8.2 not before the window opens").isZero();
        clock.set(OPENING_DAY);
        NoticeCampaign.Report report = campaign.run(() -> true);
        assertThat(report.count(Outcome.SENT)).isEqualTo(2);
        assertThat(report.entries(Outcome.UNDELIVERABLE)).extracting(NoticeCampaign.Entry::accountId)
                .containsExactly("initech");
        assertThat(mailer.sent).extracting(m -> m.to() + " " + m.subject()).containsExactlyInAnyOrder(
                "ops@acme.example API 服务 SLA：您可以申请 2026-10 的代金券 100.00 EUR",
                "sla@globex.example the API service SLA: you may claim a voucher of 250.00 EUR for 2026-10");
        assertThat(mailer.tags).allSatisfy(t -> assertThat(t).containsKey(NoticeMailer.ATTEMPT_TAG));
        assertThat(claims.acceptedClaim("acme", OCT)).isEmpty();

        clock.set("2026-11-10T09:00:00Z");
        NoticeCampaign.Report again = campaign.run(() -> true);
        assertThat(again.count(Outcome.SENT)).isZero();
        assertThat(again.count(Outcome.ALREADY_SENT)).isEqualTo(2);
        assertThat(mailer.sent).hasSize(2);
    }

    @Test
    @DisplayName("S8.3 autoClaim: the run files the claim, announces it once and sends one credited mail")
    void s8_3_autoClaim() {
        account("acme", "ops@acme.example", null, 50);
        clock.set(OPENING_DAY);
        EligibilityCampaign campaign = campaign(new Eligibility(true, true));
        assertThat(campaign.run(() -> true).count(Outcome.SENT)).isEqualTo(1);
        Claim claim = claims.acceptedClaim("acme", OCT).orElseThrow();
        assertThat(announced).containsExactly(claim);
        assertThat(mailer.sent.get(0).subject())
                .isEqualTo("the API service SLA credit: a voucher of 100.00 EUR for 2026-10 has been issued to your account");
        assertThat(mailer.sent.get(0).textBody()).contains(claim.claimId());
        assertThat(campaign.run(() -> true).count(Outcome.ALREADY_SENT)).isEqualTo(1);
        assertThat(announced).hasSize(1);
        assertThat(mailer.sent).hasSize(1);
    }

    @Test
    @DisplayName("S8.2 a refused send is released and retried by the next run; the time budget stops a run before anything is filed or sent")
    void s8_2_failuresAndBudget() {
        account("acme", "ops@acme.example", null, 50);
        account("globex", "sla@globex.example", null, 50);
        clock.set(OPENING_DAY);
        EligibilityCampaign campaign = campaign(new Eligibility(false, true));

        NoticeCampaign.Report stopped = campaign.run(() -> false);
        assertThat(stopped.stoppedBecause()).isPresent();
        assertThat(stopped.count(Outcome.NOT_ATTEMPTED)).isEqualTo(1);
        assertThat(claims.acceptedClaims("acme")).isEmpty();
        assertThat(claims.acceptedClaims("globex")).isEmpty();

        mailer.failures.add(new NoticeMailer.MailNotSent("MessageRejected", false, null));
        NoticeCampaign.Report first = campaign.run(() -> true);
        assertThat(first.count(Outcome.FAILED)).isEqualTo(1);
        assertThat(first.count(Outcome.SENT)).isEqualTo(1);
        NoticeCampaign.Report second = campaign.run(() -> true);
        assertThat(second.count(Outcome.SENT)).as("the refused one, retried").isEqualTo(1);
        assertThat(second.count(Outcome.ALREADY_SENT)).isEqualTo(1);
        assertThat(mailer.sent).hasSize(2);
        assertThat(announced).hasSize(2);
        assertThat(errors).isEmpty();
    }
}
