package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeBacklog;
import dev.slaledger.core.port.NoticeCursors;
import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.core.port.NoticeWorkQueue;
import dev.slaledger.core.port.memory.InMemoryNoticeBacklog;
import dev.slaledger.core.port.memory.InMemoryNoticeCursors;
import dev.slaledger.core.port.memory.InMemoryNoticeLedger;
import dev.slaledger.core.port.memory.InMemoryNoticeWorkQueue;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.notifier.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * S6.4 S9.2 S9.3 over crashes and redeliveries: the dispatcher and the workers run hour after hour
 * on a small quota (3 sends an hour, so sends are deferred and parked), while a Lambda is killed at
 * random points of any port call (before or after SES accepted a mail, between a page on the queue
 * and its cursor, between a park and its acknowledgment...), a killed unit comes back (SQS), units
 * are also delivered twice, and SES's Send events arrive late (within the reservation's lease, as shipped:
 * NotifierWiring.DEFAULT_LEASE). Whatever the interleaving: every
 * account with an address gets each owed notice exactly once, its record says SENT with the id of
 * the mail SES took, nothing is left queued or parked, no hour sends more than its share and no
 * two sends are closer than the rate allows.
 */
class NoticeCrashProperties {
    /** A Lambda killed mid-invocation: not an exception the code catches. */
    static final class Kill extends Error {
        private static final long serialVersionUID = 1L;

        Kill(String where) {
            super("killed at " + where, null, false, false);
        }
    }

    /** Counts the instrumented steps and kills at the chosen ones. */
    static final class Faults {
        final Set<Integer> killAt;
        int step;
        final List<String> kills = new ArrayList<>();

        Faults(Set<Integer> killAt) {
            this.killAt = killAt;
        }

        void step(String where) {
            if (killAt.contains(step++)) {
                kills.add(where);
                throw new Kill(where);
            }
        }
    }

    private record Accepted(String to, String messageId, String attempt, Instant at) {
    }

    @Property(tries = 60)
    @Label("S6.4 S9.2 S9.3 a crash at any point, redeliveries and late SES events lose nothing and send nothing twice")
    void crashesLoseNothingAndSendNothingTwice(@ForAll @IntRange(min = 2, max = 9) int accounts,
            @ForAll @Size(max = 6) Set<@IntRange(min = 0, max = 400) Integer> killAt,
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll boolean twoVersions) {
        NoticeWorld w = new NoticeWorld("2026-11-02T09:30:00Z");
        w.quota("1", 100, 0); // 1 a second; (100 - 3) / 25 = 3 sends an hour
        w.unitSize = 2;
        TermsVersion v2 = Fixtures.v2027();
        w.terms.publish(v2);
        if (twoVersions) {
            w.terms.publish(TermsParser.parse(TermsParser.toJson(v2).replace("\"2027-01\"", "\"2027-03\"")
                    .replace("\"2027-01-01\"", "\"2027-03-01\"")));
        }
        List<String> reachable = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String id = "acct-" + i;
            String email = i == 1 ? null : id + "@example.com"; // one account has no address
            w.accounts.save(NoticeWorld.account(id, email, null, "2026-01-01", "2027-12-31"));
            if (email != null) {
                reachable.add(id);
            }
        }
        CrashingNotifier run = new CrashingNotifier(w, killAt, seed);
        run.hours(24 * 4);
        Faults faults = run.faults;
        List<Accepted> accepted = run.accepted;
        Statistics.label("kills").collect(faults.kills.size());

        List<TermsVersion> versions = w.terms.published();
        for (String id : reachable) {
            String to = id + "@example.com";
            for (TermsVersion v : versions.subList(1, versions.size())) {
                NoticeDeliveries.Record r = w.ledger.stored(id, v.version()).orElseThrow(
                        () -> new AssertionError(id + " " + v.version() + " has no record; kills " + faults.kills));
                assertThat(r.state()).as("%s %s (kills %s)", id, v.version(), faults.kills)
                        .isEqualTo(NoticeDeliveries.State.SENT);
                assertThat(accepted.stream().filter(a -> a.messageId().equals(r.messageId().orElseThrow())
                        && a.to().equals(to))).as("the record names a mail SES took").hasSize(1);
            }
            assertThat(accepted.stream().filter(a -> a.to().equals(to)))
                    .as("%s: one mail per version, never twice (kills %s)", id, faults.kills)
                    .hasSize(versions.size() - 1);
        }
        assertThat(accepted.stream().filter(a -> a.to().equals("acct-1@example.com"))).isEmpty();
        assertThat(w.queue.isEmpty()).isTrue();
        assertThat(w.backlog.parked()).as("nothing left parked (kills %s)", faults.kills).isEmpty();
        Map<Long, Integer> perHour = new HashMap<>();
        accepted.forEach(a -> perHour.merge(a.at().getEpochSecond() / 3600, 1, Integer::sum));
        assertThat(perHour.values()).allSatisfy(n -> assertThat(n).as("S9.3 the hour's share").isLessThanOrEqualTo(3));
        Set<Instant> slots = new TreeSet<>();
        accepted.forEach(a -> slots.add(a.at()));
        Instant previous = null;
        for (Instant t : slots) {
            if (previous != null) {
                assertThat(Duration.between(previous, t)).as("S9.3 never faster than the rate")
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
            previous = t;
        }
    }

    @Property(tries = 40)
    @Label("S8.2 S8.3 S9.2 eligibility under crashes and redeliveries: one mail per notice key, one voucher per account-month, nothing left queued or parked")
    void eligibilityUnderCrashes(@ForAll @IntRange(min = 2, max = 7) int accounts,
            @ForAll @Size(max = 5) Set<@IntRange(min = 0, max = 300) Integer> killAt,
            @ForAll @IntRange(min = 0, max = 1_000_000) int seed, @ForAll boolean autoClaim) {
        java.time.YearMonth oct = java.time.YearMonth.of(2026, 10);
        NoticeWorld w = new NoticeWorld("2026-11-09T09:00:00Z", dev.slaledger.core.terms.DefaultTerms.version()
                .withEligibility(new dev.slaledger.core.terms.Eligibility(!autoClaim, autoClaim))).withEligibility();
        w.quota("1", 100, 0); // 3 sends an hour: some account-months wait for the next hour
        w.unitSize = 2;
        List<String> owed = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            String id = "acct-" + i;
            int failed = i % 3 == 0 ? 0 : 50; // every third meets the SLA: nothing owed
            w.accounts.save(new dev.slaledger.core.account.Account(id, id + "@example.com", Optional.empty(),
                    List.of(new dev.slaledger.core.period.Term(LocalDate.parse("2026-10-01"),
                            LocalDate.parse("2026-12-31"))),
                    Map.of(oct, dev.slaledger.core.money.MonthlyFee.of("1000.00", "0.00", "EUR"))));
            long start = Instant.parse("2026-10-02T00:00:00Z").getEpochSecond();
            for (int k = 0; k < failed; k++) {
                w.aggregates.add(new dev.slaledger.core.traffic.IntervalAggregate(id,
                        Instant.ofEpochSecond(start + 300L * k), new dev.slaledger.core.traffic.IntervalCounts(10, 10, 0, 0)));
            }
            w.statements.markStale(id, oct);
            if (failed > 0) {
                owed.add(id);
            }
        }
        CrashingNotifier run = new CrashingNotifier(w, killAt, seed);
        run.hours(24 * 3);
        Faults faults = run.faults;
        List<Accepted> accepted = run.accepted;
        for (String id : owed) {
            assertThat(accepted.stream().filter(a -> a.to().equals(id + "@example.com")))
                    .as("%s: one mail (kills %s)", id, faults.kills).hasSize(1);
            if (autoClaim) {
                assertThat(w.claims.acceptedClaim(id, oct)).as("%s: its voucher", id).isPresent();
            }
        }
        assertThat(accepted).hasSize(owed.size());
        assertThat(w.announced).as("S8.3 S4.4 one VoucherIssued per account-month").hasSize(autoClaim ? owed.size() : 0)
                .extracting(c -> c.accountId()).doesNotHaveDuplicates();
        assertThat(w.queue.isEmpty()).isTrue();
        assertThat(w.backlog.parked()).as("nothing left parked (kills %s)", faults.kills).isEmpty();
    }

    /**
     * The notifier of {@code w} (its dispatcher, a worker and SES's event processor) on ports a kill
     * can stop at any call, with SQS's and SES's ways: a killed unit comes back, some are delivered
     * twice, and SES's Send events arrive late. Both properties run it the same way and check what
     * it left. Which units come twice, when SES's events arrive and at which minute each hour's run
     * starts is drawn from {@code seed}.
     */
    private static final class CrashingNotifier {
        final Faults faults;
        /** Every mail SES took, in order. */
        final List<Accepted> accepted = new ArrayList<>();
        /** SES's Send events not delivered yet. */
        private final List<Accepted> sesEvents = new ArrayList<>();
        private final NoticeWorld w;
        private final Random random;
        private final NoticeDispatcher dispatcher;
        private final NoticeWorker worker;
        private final SesEventProcessor ses;

        CrashingNotifier(NoticeWorld w, Set<Integer> killAt, int seed) {
            this.w = w;
            this.random = new Random(seed);
            this.faults = new Faults(killAt);
            NoticeMailer mailer = (mail, tags) -> {
                faults.step("before SES");
                String id = "msg-" + (accepted.size() + 1);
                Accepted a = new Accepted(mail.to(), id, tags.get(NoticeMailer.ATTEMPT_TAG), w.clock.instant());
                accepted.add(a);
                sesEvents.add(a);
                faults.step("after SES accepted " + id);
                return id;
            };
            NoticeDeliveries ledger = crashing(w.ledger, faults);
            NoticeBacklog backlog = crashing(w.backlog, faults);
            NoticeWorkQueue queue = crashing(w.queue, faults);
            NoticeCursors cursors = crashing(w.cursors, faults);
            this.dispatcher = new NoticeDispatcher(w.terms, w.accounts, cursors, backlog, queue, w.quota, w.throttle,
                    NoticeDispatcher.Caps.none(), w.eligibility != null, Duration.ofHours(9), w.unitSize, w.clock);
            NoticeSender sender = new NoticeSender(ledger, w.undeliverable, mailer, w.throttle, w::sleepUntil, w.clock,
                    attemptIds(), dev.slaledger.notifier.NotifierWiring.DEFAULT_LEASE);
            this.worker = new NoticeWorker(w.terms, w.accounts, ledger, w.eligibility, sender, w.renderer,
                    new EligibilityRenderer(null, null), queue, backlog, w.clock);
            this.ses = new SesEventProcessor(w.ledger, w.undeliverable, w.backlog);
        }

        /**
         * {@code hours} hourly runs from the world's hour, each at a random minute of its first ten:
         * the dispatcher, then every queued unit, then the hour's SES events; then any event left.
         */
        void hours(int hours) {
            Instant start = w.clock.instant();
            for (int hour = 0; hour < hours; hour++) {
                w.clock.set(start.plus(Duration.ofHours(hour)).truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                        .plusSeconds(random.nextInt(600)));
                try {
                    dispatcher.run(TimeBudget.unlimited());
                } catch (Kill killed) {
                    // the run died; the next hour's run continues from the stored cursors and backlog
                }
                for (Optional<NoticeWork> unit = w.queue.take(); unit.isPresent(); unit = w.queue.take()) {
                    try {
                        worker.handle(unit.get(), TimeBudget.unlimited());
                        if (random.nextInt(10) == 0) {
                            w.queue.enqueue(unit.get()); // SQS delivers a message twice
                        }
                    } catch (Kill killed) {
                        w.queue.enqueue(unit.get()); // not acknowledged: it comes back
                    }
                    deliverSome(sesEvents, ses, random);
                }
                // late, but within the lease (35 minutes, the deployed retry schedule): by the next hour's run
                while (!sesEvents.isEmpty()) {
                    deliver(sesEvents.remove(0), ses);
                }
            }
            while (!sesEvents.isEmpty()) {
                deliver(sesEvents.remove(0), ses);
            }
        }
    }

    private static java.util.function.Supplier<String> attemptIds() {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return () -> "attempt-" + n.incrementAndGet();
    }

    private static void deliverSome(List<Accepted> events, SesEventProcessor ses, Random random) {
        while (!events.isEmpty() && random.nextInt(3) == 0) {
            deliver(events.remove(0), ses);
        }
    }

    private static void deliver(Accepted a, SesEventProcessor ses) {
        ses.apply(new SesEvent("Send", a.messageId(), a.at(), Map.of(NoticeMailer.ATTEMPT_TAG, List.of(a.attempt())),
                Optional.empty(), Optional.empty(), List.of(a.to())));
    }

    // ------------------------------------------------------------ ports a kill can stop at any call

    private static NoticeDeliveries crashing(InMemoryNoticeLedger d, Faults f) {
        return new NoticeDeliveries() {
            @Override
            public Optional<Record> stored(String accountId, String version) {
                f.step("stored");
                return d.stored(accountId, version);
            }

            @Override
            public List<Record> records(String accountId) {
                f.step("records");
                return d.records(accountId);
            }

            @Override
            public boolean reserve(Attempt attempt, Optional<Record> previous) {
                f.step("before reserve");
                boolean r = d.reserve(attempt, previous);
                f.step("after reserve");
                return r;
            }

            @Override
            public boolean complete(String accountId, String version, String attemptId, String messageId,
                    Instant sentAt, LocalDate sentOn) {
                f.step("before complete");
                boolean r = d.complete(accountId, version, attemptId, messageId, sentAt, sentOn);
                f.step("after complete");
                return r;
            }

            @Override
            public boolean release(String accountId, String version, String attemptId, String error,
                    boolean countsAsFailure) {
                f.step("release");
                return d.release(accountId, version, attemptId, error, countsAsFailure);
            }

            @Override
            public boolean markBounced(String accountId, String version, String messageId, String reason) {
                return d.markBounced(accountId, version, messageId, reason);
            }

            @Override
            public Optional<Attempt> attempt(String attemptId) {
                return d.attempt(attemptId);
            }
        };
    }

    private static NoticeBacklog crashing(InMemoryNoticeBacklog b, Faults f) {
        return new NoticeBacklog() {
            @Override
            public Parked park(NoticeWork work, Instant notBefore, String reason) {
                f.step("before park");
                Parked p = b.park(work, notBefore, reason);
                f.step("after park");
                return p;
            }

            @Override
            public List<Parked> due(Instant now, int max) {
                f.step("due");
                return b.due(now, max);
            }

            @Override
            public void remove(Parked parked) {
                f.step("before remove");
                b.remove(parked);
            }

            @Override
            public void gaveUp(GaveUp gaveUp) {
                f.step("gave up");
                b.gaveUp(gaveUp);
            }
        };
    }

    private static NoticeWorkQueue crashing(InMemoryNoticeWorkQueue q, Faults f) {
        return new NoticeWorkQueue() {
            @Override
            public void enqueue(NoticeWork work, Duration delay) {
                f.step("before enqueue");
                q.enqueue(work, delay);
            }

            @Override
            public void flush() {
                f.step("flush");
            }
        };
    }

    private static NoticeCursors crashing(InMemoryNoticeCursors c, Faults f) {
        return new NoticeCursors() {
            @Override
            public List<Cursor> all() {
                f.step("cursors");
                return c.all();
            }

            @Override
            public Optional<Cursor> find(String campaign) {
                return c.find(campaign);
            }

            @Override
            public boolean save(Cursor next) {
                f.step("before cursor save");
                boolean r = c.save(next);
                f.step("after cursor save");
                return r;
            }

            @Override
            public Optional<AudienceCount> audience() {
                return c.audience();
            }

            @Override
            public void recordAudience(AudienceCount count) {
                c.recordAudience(count);
            }
        };
    }
}
