package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.lambda.JsonLog;
import dev.slaledger.notifier.notice.EligibilityCampaign;
import dev.slaledger.notifier.notice.NoticeCampaign.Outcome;
import dev.slaledger.notifier.notice.NoticeCampaign;
import dev.slaledger.priming.Priming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The notifier: invoked daily by EventBridge Scheduler (input {@code {}}) and right after a
 * publication by the {@code TermsPublished} EventBridge rule; both run the same campaign, which
 * sends what is still owed. The daily run (not a publication) then runs the eligibility campaign
 * (S8: "eligible" and "credited" notices, automatic claims). Returns (and logs) the counts and
 * the accounts that need an operator: no contact, undeliverable, refused, outcome unknown.
 */
public final class NotifierHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Stop starting sends when less than this is left of the invocation's time. */
    static final long RESERVE_MILLIS = 60_000;

    private final NoticeCampaign campaign;
    /** Null when this handler only sends change notices (tests, runtimes without S8). */
    private final EligibilityCampaign eligibility;
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    public NotifierHandler() {
        this(NotifierWiring.fromEnvironment());
    }

    private NotifierHandler(NotifierWiring wiring) {
        this(wiring, wiring.sesMailer());
    }

    private NotifierHandler(NotifierWiring wiring, SesMailSender mailer) {
        this(wiring.campaign(mailer), wiring.eligibility(mailer),
                Priming.register("notifier", wiring.campaignPriming()));
    }

    public NotifierHandler(NoticeCampaign campaign) {
        this(campaign, null, null);
    }

    /** Both daily campaigns: the change notices, then eligibility (S8). */
    public NotifierHandler(NoticeCampaign campaign, EligibilityCampaign eligibility) {
        this(campaign, eligibility, null);
    }

    private NotifierHandler(NoticeCampaign campaign, EligibilityCampaign eligibility, Priming priming) {
        this.campaign = campaign;
        this.eligibility = eligibility;
        this.priming = priming;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
        Object trigger = input == null ? null : input.get("detail-type");
        BooleanSupplier timeLeft = context == null ? () -> true
                : () -> context.getRemainingTimeInMillis() > RESERVE_MILLIS;
        NoticeCampaign.Report report = campaign.run(timeLeft);

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trigger", trigger == null ? "schedule" : trigger.toString());
        report(report, out, context, "notice", "notifier");
        if (trigger == null && eligibility != null) {
            // S8: the daily run only, after the 03:00 restatement run, on the window's opening day
            Map<String, Object> eligible = new LinkedHashMap<>();
            report(eligibility.run(timeLeft), eligible, context, "eligibility notice", "eligibility");
            out.put("eligibility", eligible);
        }
        return out;
    }

    private static void report(NoticeCampaign.Report report, Map<String, Object> out, Context context, String what,
            String run) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            counts.put(o.name(), report.count(o));
        }
        out.put("counts", counts);
        List<Map<String, String>> sent = report.entries(Outcome.SENT).stream()
                .map(e -> Map.of("accountId", e.accountId(), "version", e.version(), "messageId", e.detail()))
                .toList();
        if (!sent.isEmpty()) {
            out.put("SENT", sent); // the first 100: which account got which notice (no address)
        }
        for (Outcome o : List.of(Outcome.NO_CONTACT, Outcome.UNDELIVERABLE, Outcome.FAILED, Outcome.OUTCOME_UNKNOWN,
                Outcome.IN_PROGRESS)) {
            List<Map<String, String>> entries = report.entries(o).stream()
                    .map(e -> Map.of("accountId", e.accountId(), "version", e.version(), "detail", e.detail()))
                    .toList();
            if (!entries.isEmpty()) {
                out.put(o.name(), entries);
                entries.forEach(e -> JsonLog.warn(context, what + " " + o + ": account " + e.get("accountId")
                        + " version " + e.get("version") + ": " + e.get("detail")));
            }
        }
        report.stoppedBecause().ifPresent(reason -> {
            out.put("stoppedBecause", reason);
            JsonLog.warn(context, run + " stopped early: " + reason);
        });
        JsonLog.info(context, run + " run: " + counts);
    }
}
