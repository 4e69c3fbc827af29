package dev.slaledger.notifier.notice;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.SendPlan;
import dev.slaledger.core.port.AccountRepository;
import dev.slaledger.core.port.NoticeCursors;
import dev.slaledger.core.port.NoticeCursors.Cursor;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.SendingQuota;
import dev.slaledger.core.terms.TermsVersion;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a publication's feasibility check (S9.4) needs, read cheaply inside the API's time limit:
 * the send plan at the current quota (one {@code GetAccount}, one read of the throttle), and the
 * notices owed at publication, from counts kept by the dispatcher (one Query of the cursors and the
 * stored daily count), never by listing the accounts:
 *
 * <ul>
 * <li>the accounts a new version notifies: the subscriptions with a term ending today or later, as
 * the dispatcher counted them today or yesterday (at least the accounts: an account with two terms
 * counts twice); only a registry never counted (a new deployment, before the notifier's first run)
 * is counted now;</li>
 * <li>plus what earlier versions still owe: for a version whose sweep runs, the entries it has not
 * listed yet; for a version whose sweep has not started, the whole count.</li>
 * </ul>
 */
public final class NoticeCapacity {
    /** A stored count older than this is not used (the dispatcher counts once a day). */
    public static final Duration COUNT_MAX_AGE = Duration.ofHours(48);

    /** The inputs of {@link dev.slaledger.core.notice.NoticeFeasibility}. */
    public record Estimate(SendPlan plan, long audience, long pendingEarlier, boolean countedNow) {
        public long notices() {
            return audience + pendingEarlier;
        }
    }

    private final SendingQuota quota;
    private final SendThrottle throttle;
    private final NoticeDispatcher.Caps caps;
    private final NoticeCursors cursors;
    private final AccountRepository accounts;

    public NoticeCapacity(SendingQuota quota, SendThrottle throttle, NoticeDispatcher.Caps caps,
            NoticeCursors cursors, AccountRepository accounts) {
        this.quota = quota;
        this.throttle = throttle;
        this.caps = caps;
        this.cursors = cursors;
        this.accounts = accounts;
    }

    /**
     * @param published the versions published so far (the candidate not among them)
     * @param today     the publish date
     */
    public Estimate estimate(List<TermsVersion> published, Instant now, LocalDate today) {
        SendThrottle.Usage usage = throttle.usage(now);
        SendPlan plan = SendPlan.of(quota.read(), caps.maxSendRate(), caps.max24HourSend(), usage.last24Hours(), now);
        boolean countedNow = false;
        long audience;
        java.util.Optional<NoticeCursors.AudienceCount> stored = cursors.audience()
                .filter(c -> Duration.between(c.countedAt(), now).compareTo(COUNT_MAX_AGE) <= 0);
        if (stored.isPresent()) {
            audience = stored.get().subscriptions();
        } else {
            audience = accounts.countTermsOnOrAfter(today);
            countedNow = true;
        }
        Map<String, Cursor> byCampaign = cursors.all().stream()
                .collect(Collectors.toMap(Cursor::campaign, Function.identity()));
        long pending = 0;
        for (int i = 1; i < published.size(); i++) {
            Cursor c = byCampaign.get(NoticeWork.Kind.CHANGE + "#" + published.get(i).version());
            pending += c == null ? audience : c.remaining();
        }
        return new Estimate(plan, audience, pending, countedNow);
    }
}
