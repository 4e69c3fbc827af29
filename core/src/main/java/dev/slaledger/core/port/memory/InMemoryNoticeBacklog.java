package dev.slaledger.core.port.memory;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeBacklog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Parked notice work and given-up accounts in memory. */
public final class InMemoryNoticeBacklog implements NoticeBacklog {
    /** By {@code notBefore} then id: due work is a head of the map. */
    private final java.util.TreeMap<String, Parked> parked = new java.util.TreeMap<>();
    private final List<GaveUp> gaveUp = new ArrayList<>();
    private long ids;

    @Override
    public synchronized Parked park(NoticeWork work, Instant notBefore, String reason) {
        String id = String.format("%019d#%019d", notBefore.toEpochMilli(), ++ids);
        Parked p = new Parked(id, work, notBefore, reason);
        parked.put(id, p);
        return p;
    }

    @Override
    public synchronized List<Parked> due(Instant now, int max) {
        return parked.headMap(String.format("%019d#~", now.toEpochMilli())).values().stream()
                .filter(p -> !p.notBefore().isAfter(now)).limit(max).toList();
    }

    @Override
    public synchronized void remove(Parked p) {
        parked.remove(p.id());
    }

    @Override
    public synchronized void gaveUp(GaveUp g) {
        gaveUp.removeIf(x -> x.campaign().equals(g.campaign()) && x.accountId().equals(g.accountId()));
        gaveUp.add(g);
    }

    public synchronized List<Parked> parked() {
        return List.copyOf(parked.values());
    }

    public synchronized List<GaveUp> gaveUp() {
        return List.copyOf(gaveUp);
    }
}
