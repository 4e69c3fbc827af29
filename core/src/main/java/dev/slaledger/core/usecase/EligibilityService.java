package dev.slaledger.core.usecase;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimDecision;
import dev.slaledger.core.claim.ClaimPolicy;
import dev.slaledger.core.claim.ClaimWindow;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.ClaimRepository;
import dev.slaledger.core.port.NoticeRepository;
import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.terms.TermsVersion;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Telling customers what they are owed (S8): for one account-month, what the daily run does when
 * its terms carry {@code eligibility} (S8.1).
 *
 * <ul>
 * <li>S8.2 {@code notify}: the month's current statement (recomputed first when stale, the path a
 * claim takes) is compensable, its claim window is open now, and no claim is accepted: tell the
 * contact the voucher a claim made now would issue. One notice per amount: a later revision that
 * raises the voucher gets one more; one that lowers it gets none.</li>
 * <li>S8.3 {@code autoClaim} (takes precedence): on the same occasions, file the claim through
 * {@link ClaimService#submit}, the customer's own path (one voucher, idempotent: S4.4, S5.3), and
 * tell the contact it was credited with the accepted claim's voucher.</li>
 * <li>S8.4: the amount told is always that of {@link ClaimPolicy#decide} on the statement a claim
 * would be decided on at that instant (notify), or of the claim that stands (autoClaim).</li>
 * </ul>
 *
 * <p>Each action names its delivery key: the SLA-change notices' delivery records
 * ({@code NoticeDeliveries}) keep them, so a notice is reserved, sent and completed exactly as a
 * change notice is. Keys contain {@code #}, which a terms version id cannot (D5), so they never
 * meet a version's notice.
 */
public final class EligibilityService {
    /** Prefix of every eligibility delivery key. */
    public static final String KEY_PREFIX = "ELIG#";

    /** What to do for one account-month. */
    public sealed interface Action permits Notify, Credited, Nothing {
    }

    /**
     * S8.2: tell the contact it may claim {@code voucher}.
     *
     * @param deliveryKey {@code ELIG#{month}#N#{amount}}: one notice per amount told
     */
    public record Notify(String deliveryKey, Statement statement, Money voucher, TermsVersion terms)
            implements Action {
    }

    /**
     * S8.3: the claim stands (filed now by the system, or earlier by anyone); tell the contact.
     *
     * @param deliveryKey {@code ELIG#{month}#CREDITED}: one credited notice per account-month
     * @param filedNow    whether this call recorded the claim
     */
    public record Credited(String deliveryKey, Claim claim, Statement statement, TermsVersion terms,
            boolean filedNow) implements Action {
    }

    /** Nothing to send; {@code why} is for the run's report. */
    public record Nothing(String why) implements Action {
    }

    private final ClaimService claimService;
    private final ClaimRepository claims;
    private final TermsRepository terms;
    private final AccountRepository accounts;
    private final NoticeRepository notices;
    private final Clock clock;

    public EligibilityService(ClaimService claimService, ClaimRepository claims, TermsRepository terms,
            AccountRepository accounts, NoticeRepository notices, Clock clock) {
        this.claimService = Objects.requireNonNull(claimService);
        this.claims = Objects.requireNonNull(claims);
        this.terms = Objects.requireNonNull(terms);
        this.accounts = Objects.requireNonNull(accounts);
        this.notices = Objects.requireNonNull(notices);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Whether any published version (the original included) turns S8 on: if none, a run reads nothing else. */
    public boolean anyActive() {
        return terms.published().stream().anyMatch(v -> v.eligibility().active());
    }

    /**
     * The months whose claim window may be open today (taken in the latest version's zone): from
     * the last month back as far as the longest {@code closesMonthsAfterPeriodEnd} of any version.
     * Newest first.
     */
    public List<YearMonth> candidateMonths() {
        List<TermsVersion> published = terms.published();
        TermsVersion latest = published.get(published.size() - 1);
        YearMonth thisMonth = YearMonth.from(LocalDate.now(clock.withZone(latest.timeZone())));
        int back = published.stream().mapToInt(v -> v.claim().closesMonthsAfterPeriodEnd()).max().orElse(2) + 1;
        List<YearMonth> out = new ArrayList<>();
        for (int i = 1; i <= back; i++) {
            out.add(thisMonth.minusMonths(i));
        }
        return out;
    }

    /** Every account with a service period in a {@link #candidateMonths candidate month}, with that month. */
    public void forEachCandidate(BiConsumer<String, YearMonth> sink) {
        for (YearMonth month : candidateMonths()) {
            accounts.forEachAccountWithServiceIn(month, accountId -> sink.accept(accountId, month));
        }
    }

    /** What the run does now for the account-month (S8.2-S8.4). */
    public Action decide(String accountId, YearMonth month) {
        return decide(accountId, batch(month, terms.published()), () -> notices.sentDates(accountId));
    }

    /**
     * What every account-month of one month shares in a worker's batch (S9.2): the published terms
     * (read once per run, not per candidate) and the month's statement reads.
     */
    public final class Batch {
        private final YearMonth month;
        private final List<TermsVersion> published;
        private final StatementService.MonthReader statements;

        private Batch(YearMonth month, List<TermsVersion> published) {
            this.month = month;
            this.published = List.copyOf(published);
            this.statements = claimService.statementService().currentIn(month);
        }

        public YearMonth month() {
            return month;
        }
    }

    /** A batch of {@code month} deciding on {@code published} (the run's terms). */
    public Batch batch(YearMonth month, List<TermsVersion> published) {
        return new Batch(month, published);
    }

    /**
     * Whether some published version with eligibility on may have the claim window of {@code month}
     * open at {@code at} (S8.2): false before the earliest opening and after the latest close any of
     * them gives, so a run reads nothing for that month.
     */
    public static boolean mayBeOpen(List<TermsVersion> published, YearMonth month, Instant at) {
        return published.stream().filter(v -> v.eligibility().active())
                .map(v -> ClaimWindow.forMonth(v, month))
                .anyMatch(w -> !at.isBefore(w.opensAt().toInstant()) && at.isBefore(w.closesAt().toInstant()));
    }

    /**
     * The earliest opening of {@code month}'s claim window among the published versions with
     * eligibility on (empty: none has it on).
     */
    public static Optional<Instant> earliestOpening(List<TermsVersion> published, YearMonth month) {
        return published.stream().filter(v -> v.eligibility().active())
                .map(v -> ClaimWindow.forMonth(v, month).opensAt().toInstant()).min(Instant::compareTo);
    }

    /**
     * {@link #decide(String, YearMonth)} within a batch. An account-month that needs nothing costs at
     * most two reads (S9.2): its statement (with the stale mark, one Query), and its accepted claim
     * only when the statement could give a voucher (or autoClaim may stand on an earlier claim).
     *
     * @param sentDates the account's SENT delivery keys with their dates, read only when needed
     */
    public Action decide(String accountId, Batch batch, Supplier<Map<String, LocalDate>> sentDates) {
        YearMonth month = batch.month;
        Instant now = clock.instant();
        Optional<Statement> current;
        if (!ClaimService.monthOver(month, now) && batch.statements.stored(accountId).isEmpty()) {
            // as the claims API (ClaimService.statement): a month not over everywhere is not computed
            current = Optional.empty();
        } else {
            current = batch.statements.current(accountId);
        }
        if (current.isEmpty()) {
            return new Nothing("no statement");
        }
        Statement statement = current.get();
        if (now.isBefore(statement.claimOpensAt().toInstant())) {
            return new Nothing("claim window opens " + statement.claimOpensAt()); // S8.2: never before
        }
        if (!now.isBefore(statement.claimClosesAt().toInstant())) {
            return new Nothing("claim window closed " + statement.claimClosesAt());
        }
        Optional<TermsVersion> version = batch.published.stream()
                .filter(v -> v.version().equals(statement.termsVersion())).findFirst();
        if (version.isEmpty()) {
            // published after this batch's terms were read: the full read, once
            version = terms.published().stream().filter(v -> v.version().equals(statement.termsVersion())).findFirst();
        }
        if (version.isEmpty() || !version.get().eligibility().active()) {
            return new Nothing("terms " + statement.termsVersion() + " do not turn eligibility on");
        }
        ClaimDecision wouldIssue = ClaimPolicy.decide(Optional.of(statement), now);
        if (version.get().eligibility().autoClaim()) {
            return autoClaim(accountId, month, statement, version.get(), wouldIssue,
                    () -> claims.acceptedClaim(accountId, month));
        }
        if (!wouldIssue.issuesVoucher()) {
            return new Nothing("a claim now would issue nothing: "
                    + wouldIssue.reason().map(Enum::name).orElse("zero voucher"));
        }
        Optional<Claim> standing = claims.acceptedClaim(accountId, month);
        if (standing.isPresent()) {
            return new Nothing("claim " + standing.get().claimId() + " accepted"); // S8.2: told only before a claim
        }
        Money voucher = wouldIssue.voucher().orElseThrow();
        Optional<BigDecimal> told = highestNotified(sentDates.get(), month);
        if (told.isPresent() && voucher.amount().compareTo(told.get()) < 0) {
            return new Nothing("already told " + told.get().toPlainString() + ", more than the voucher now");
        }
        return new Notify(notifyKey(month, voucher), statement, voucher, version.get());
    }

    private Action autoClaim(String accountId, YearMonth month, Statement statement, TermsVersion version,
            ClaimDecision wouldIssue, Supplier<Optional<Claim>> standing) {
        if (!wouldIssue.issuesVoucher() && standing.get().isEmpty()) {
            return new Nothing("a claim now would issue nothing: "
                    + wouldIssue.reason().map(Enum::name).orElse("zero voucher"));
        }
        Claim claim;
        boolean filedNow;
        try {
            ClaimService.Submission submission = claimService.submit(accountId, month);
            claim = submission.claim();
            filedNow = submission.created();
        } catch (ClaimService.AnnouncementPending pending) {
            // the voucher is issued; its VoucherIssued event stays owed and the outbox sweep sends it (S7.6)
            claim = pending.claim();
            filedNow = true;
        }
        if (!claim.decision().issuesVoucher()) {
            return new Nothing("claim " + claim.claimId() + " issues no voucher: "
                    + claim.decision().reason().map(Enum::name).orElse("zero voucher"));
        }
        return new Credited(creditedKey(month), claim, statement, version, filedNow);
    }

    /** The highest amount an eligibility notice told the account for the month (SENT ones). */
    private static Optional<BigDecimal> highestNotified(Map<String, LocalDate> sent, YearMonth month) {
        String prefix = KEY_PREFIX + month + "#N#";
        return sent.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .map(k -> new BigDecimal(k.substring(prefix.length())))
                .max(BigDecimal::compareTo);
    }

    public static String notifyKey(YearMonth month, Money voucher) {
        return KEY_PREFIX + month + "#N#" + voucher.toDecimalString();
    }

    public static String creditedKey(YearMonth month) {
        return KEY_PREFIX + month + "#CREDITED";
    }
}
