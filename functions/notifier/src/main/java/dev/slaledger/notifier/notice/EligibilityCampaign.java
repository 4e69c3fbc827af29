package dev.slaledger.notifier.notice;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.usecase.EligibilityService;
import dev.slaledger.core.usecase.EligibilityService.Action;
import dev.slaledger.core.usecase.EligibilityService.Credited;
import dev.slaledger.core.usecase.EligibilityService.Notify;
import dev.slaledger.notifier.notice.NoticeCampaign.Outcome;
import dev.slaledger.notifier.notice.NoticeCampaign.Report;
import java.time.YearMonth;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The daily run's second part (S8): every account-month whose claim window may be open is asked
 * {@link EligibilityService#decide}; an "eligible" (S8.2) or "credited" (S8.3) notice is then
 * sent through {@link NoticeDispatch}, the SLA-change notices' reserve/send/complete discipline,
 * under the action's delivery key. Reported with the same outcomes (the report's "version" is the
 * delivery key, {@code ELIG#{month}#...}). One account that fails does not stop the others: it is
 * reported {@code FAILED} and tried again by the next run.
 */
public final class EligibilityCampaign {
    private final EligibilityService eligibility;
    private final AccountRepository accounts;
    private final EligibilityRenderer renderer;
    private final NoticeCampaign notices;
    private final Consumer<String> onError;

    /**
     * @param notices the change-notice campaign whose deliveries, mailer and lease are used
     * @param onError told about an account-month that failed (logged by the handler)
     */
    public EligibilityCampaign(EligibilityService eligibility, AccountRepository accounts,
            EligibilityRenderer renderer, NoticeCampaign notices, Consumer<String> onError) {
        this.eligibility = eligibility;
        this.accounts = accounts;
        this.renderer = renderer;
        this.notices = notices;
        this.onError = onError;
    }

    /** @param timeLeft false once the run must stop starting new sends */
    public Report run(BooleanSupplier timeLeft) {
        Report report = new Report();
        if (!eligibility.anyActive()) {
            return report; // S8.1: no version turns it on; the reference SLA reads nothing more
        }
        NoticeDispatch dispatch = notices.dispatch(timeLeft);
        try {
            eligibility.forEachCandidate((accountId, month) -> one(accountId, month, dispatch, report, timeLeft));
        } catch (NoticeDispatch.Stop stop) {
            report.stopped(stop.getMessage());
        }
        return report;
    }

    private void one(String accountId, YearMonth month, NoticeDispatch dispatch, Report report,
            BooleanSupplier timeLeft) {
        String what = EligibilityService.KEY_PREFIX + month;
        if (!timeLeft.getAsBoolean()) {
            // nothing is filed or sent once the budget is spent; the next run continues
            report.add(Outcome.NOT_ATTEMPTED, accountId, what, "time budget");
            throw new NoticeDispatch.Stop("time budget of the invocation is spent; the rest waits for the next run");
        }
        try {
            Action action = eligibility.decide(accountId, month);
            if (!(action instanceof Notify) && !(action instanceof Credited)) {
                return;
            }
            Optional<Account> account = accounts.find(accountId);
            if (account.isEmpty()) {
                report.add(Outcome.NO_CONTACT, accountId, what, "account not in the registry");
                return;
            }
            Account a = account.get();
            NoticeLanguage language = NoticeLanguage.of(a.locale());
            if (action instanceof Notify n) {
                dispatch.send(a, n.deliveryKey(), n.terms().timeZone(), to -> renderer.render(to,
                        new EligibilityRenderer.Notice(accountId, n.statement(), n.terms(), n.voucher(),
                                Optional.empty(), language)), report);
            } else if (action instanceof Credited c) {
                dispatch.send(a, c.deliveryKey(), c.terms().timeZone(), to -> renderer.render(to,
                        new EligibilityRenderer.Notice(accountId, c.statement(), c.terms(),
                                c.claim().decision().voucher().orElseThrow(), Optional.of(c.claim()), language)),
                        report);
            }
        } catch (NoticeDispatch.Stop stop) {
            throw stop;
        } catch (RuntimeException e) {
            report.add(Outcome.FAILED, accountId, what, e.toString());
            onError.accept("eligibility of " + accountId + " " + month + " failed: " + e);
        }
    }
}
