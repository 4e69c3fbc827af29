package dev.slaledger.notifier.notice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.notice.TimeBudget;
import dev.slaledger.core.port.MailSender.Mail;
import dev.slaledger.core.port.NoticeMailer;
import dev.slaledger.notifier.Fixtures;
import dev.slaledger.notifier.notice.NoticeReport.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** S9.3: the senders at and under the SES quota, on the in-memory ports and a simulated clock. */
class SendingQuotaTest {
    /** A mailer that records when each mail left (the simulated clock). */
    private static NoticeMailer timed(NoticeWorld w, List<Instant> sentAt) {
        return new NoticeMailer() {
            @Override
            public String send(Mail mail, Map<String, String> tags) {
                sentAt.add(w.clock.instant());
                return "msg-" + sentAt.size();
            }
        };
    }

    @Test
    @DisplayName("S9.3 S9.1 a day at a small quota (1/s, 500 a day): every clock hour at its share (19), no 24-hour window above 500, at least 90% of it used while work remains, and the rest continues the next day")
    void aDayAtTheQuota() {
        NoticeWorld w = new NoticeWorld("2026-11-02T00:00:00Z");
        w.quota("1", 500, 0);
        w.terms.publish(Fixtures.v2027());
        for (int i = 0; i < 600; i++) {
            w.account(String.format("a%04d", i), "a" + i + "@example.com");
        }
        List<Instant> sentAt = Collections.synchronizedList(new ArrayList<>());
        NoticeSender sender = new NoticeSender(w.ledger, w.undeliverable, timed(w, sentAt), w.throttle,
                w::sleepUntil, w.clock, () -> java.util.UUID.randomUUID().toString(), Duration.ofHours(48));
        NoticeWorker worker = new NoticeWorker(w.terms, w.accounts, w.ledger, null, sender, w.renderer,
                new EligibilityRenderer(null, null), w.queue, w.backlog, w.clock);
        Instant start = w.clock.instant();
        for (int hour = 0; hour < 36; hour++) {
            w.clock.set(start.plus(Duration.ofHours(hour)));
            w.quota("1", 500, sentAt.stream().filter(t -> t.isAfter(w.clock.instant().minus(Duration.ofDays(1))))
                    .count()); // what SES would count
            w.dispatcher().run(TimeBudget.unlimited());
            for (Optional<NoticeWork> u = w.queue.take(); u.isPresent(); u = w.queue.take()) {
                worker.handle(u.get(), TimeBudget.unlimited());
            }
        }
        Instant dayEnd = start.plus(Duration.ofDays(1));
        long firstDay = sentAt.stream().filter(t -> t.isBefore(dayEnd)).count();
        assertThat(firstDay).as("S9.3 at least 90% of the 24-hour quota while work remains").isGreaterThanOrEqualTo(450);
        for (Instant t : sentAt) {
            long window = sentAt.stream().filter(s -> !s.isBefore(t) && s.isBefore(t.plus(Duration.ofDays(1)))).count();
            assertThat(window).as("24 hours from %s", t).isLessThanOrEqualTo(500);
            long second = sentAt.stream().filter(s -> !s.isBefore(t) && s.isBefore(t.plusSeconds(1))).count();
            assertThat(second).as("the second from %s", t).isLessThanOrEqualTo(1);
        }
        for (int hour = 0; hour < 36; hour++) {
            Instant h = start.plus(Duration.ofHours(hour));
            assertThat(sentAt.stream().filter(t -> !t.isBefore(h) && t.isBefore(h.plus(Duration.ofHours(1)))).count())
                    .as("hour %d", hour).isLessThanOrEqualTo(19);
        }
        assertThat(sentAt).as("S9.2 the rest continued the next day: all 600 by hour 36").hasSize(600);
        assertThat(w.backlog.parked()).isEmpty();
    }

    @Test
    @DisplayName("S9.3 concurrent workers share one schedule: their combined rate never exceeds the quota's rate")
    void concurrentWorkersShareTheRate() throws Exception {
        NoticeWorld w = new NoticeWorld("2026-11-02T09:00:00Z");
        w.quota("14", 50_000, 0);
        w.terms.publish(Fixtures.v2027());
        for (int i = 0; i < 400; i++) {
            w.account(String.format("a%04d", i), "a" + i + "@example.com");
        }
        w.dispatcher().run(TimeBudget.unlimited());
        List<NoticeWork> units = new ArrayList<>();
        for (Optional<NoticeWork> u = w.queue.take(); u.isPresent(); u = w.queue.take()) {
            units.add(u.get());
        }
        List<Instant> sentAt = Collections.synchronizedList(new ArrayList<>());
        NoticeSender sender = new NoticeSender(w.ledger, w.undeliverable, timed(w, sentAt), w.throttle,
                w::sleepUntil, w.clock, () -> java.util.UUID.randomUUID().toString(), Duration.ofHours(48));
        NoticeWorker worker = new NoticeWorker(w.terms, w.accounts, w.ledger, null, sender, w.renderer,
                new EligibilityRenderer(null, null), w.queue, w.backlog, w.clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<NoticeReport>> reports = new ArrayList<>();
        for (NoticeWork u : units) {
            reports.add(pool.submit(() -> worker.handle(u, TimeBudget.unlimited())));
        }
        int sent = 0;
        for (Future<NoticeReport> f : reports) {
            sent += f.get().count(Outcome.SENT);
        }
        pool.shutdown();
        assertThat(sent).isEqualTo(400);
        List<Instant> slots = new ArrayList<>(w.throttle.slots());
        Collections.sort(slots);
        for (int i = 14; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 14), slots.get(i)))
                    .as("any 15 slots span at least a second at 14/s").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertThat(slots).doesNotHaveDuplicates();
    }
}
