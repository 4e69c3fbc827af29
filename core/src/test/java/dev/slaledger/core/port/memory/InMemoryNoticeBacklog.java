package dev.slaledger.core.port.memory;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeBacklog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Parked notice work and given-up accounts in memory. */
public final class InMemoryNoticeBacklog implements NoticeBacklog {
    private final List<Parked> parked = new ArrayList<>();
    private final List<GaveUp> gaveUp = new ArrayList<>();
    private long ids;

    @Override
    public synchronized void park(NoticeWork work, Instant notBefore, String reason) {
        parked.add(new Parked(String.format("%019d#%d", notBefore.toEpochMilli(), ++ids), work, notBefore, reason));
    }

    @Override
    public synchronized List<Parked> due(Instant now, int max) {
        return parked.stream().filter(p -> !p.notBefore().isAfter(now))
                .sorted(Comparator.comparing(Parked::notBefore).thenComparing(Parked::id)).limit(max).toList();
    }

    @Override
    public synchronized void remove(Parked p) {
        parked.removeIf(x -> x.id().equals(p.id()));
    }

    @Override
    public synchronized void gaveUp(GaveUp g) {
        gaveUp.removeIf(x -> x.campaign().equals(g.campaign()) && x.accountId().equals(g.accountId()));
        gaveUp.add(g);
    }

    public synchronized List<Parked> parked() {
        return List.copyOf(parked);
    }

    public synchronized List<GaveUp> gaveUp() {
        return List.copyOf(gaveUp);
    }
}
