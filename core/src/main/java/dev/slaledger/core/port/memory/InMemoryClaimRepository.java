package dev.slaledger.core.port.memory;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.port.ClaimRepository;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Claims in memory; one accepted claim per account and month, atomically. */
public final class InMemoryClaimRepository implements ClaimRepository {
    private record Key(String accountId, YearMonth month) {
    }

    private final Map<Key, Claim> accepted = new HashMap<>();
    private final Map<String, Claim> byId = new HashMap<>();
    /** The expiry each refused claim was recorded with (accepted claims have none). */
    private final Map<String, Instant> refusedExpiry = new HashMap<>();
    /** Owed announcements and the end of the lease on each (EPOCH: not leased). */
    private final Map<Key, Instant> owed = new HashMap<>();
    /** Since when each owed announcement is owed (the claim's requestedAt). */
    private final Map<Key, Instant> owedSince = new HashMap<>();

    @Override
    public synchronized Optional<Claim> acceptedClaim(String accountId, YearMonth month) {
        return Optional.ofNullable(accepted.get(new Key(accountId, month)));
    }

    @Override
    public synchronized Claim recordAccepted(Claim claim) {
        if (!claim.decision().accepted()) {
            throw new IllegalArgumentException("claim " + claim.claimId() + " was not accepted");
        }
        Claim standing = accepted.putIfAbsent(new Key(claim.accountId(), claim.month()), claim);
        if (standing != null) {
            return standing;
        }
        byId.put(claim.claimId(), claim);
        if (claim.decision().issuesVoucher()) {
            owed.put(new Key(claim.accountId(), claim.month()), Instant.EPOCH);
            owedSince.put(new Key(claim.accountId(), claim.month()), claim.requestedAt());
        }
        return claim;
    }

    @Override
    public synchronized void recordRefused(Claim claim, Instant expiresAt) {
        if (claim.decision().accepted()) {
            throw new IllegalArgumentException("claim " + claim.claimId() + " was accepted");
        }
        byId.put(claim.claimId(), claim);
        refusedExpiry.put(claim.claimId(), expiresAt);
    }

    /**
     * The expiry a refused claim was recorded with; empty for an accepted or unknown claim. Like
     * DynamoDB before its TTL runs, this twin keeps an expired claim: {@link #find} still returns it.
     */
    public synchronized Optional<Instant> expiresAt(String claimId) {
        return Optional.ofNullable(refusedExpiry.get(claimId));
    }

    @Override
    public synchronized Optional<Claim> find(String accountId, String claimId) {
        return Optional.ofNullable(byId.get(claimId)).filter(c -> c.accountId().equals(accountId));
    }

    @Override
    public synchronized List<Claim> acceptedClaims(String accountId) {
        return accepted.values().stream()
                .filter(c -> c.accountId().equals(accountId))
                .sorted(Comparator.comparing(Claim::month).reversed())
                .toList();
    }

    @Override
    public synchronized boolean leaseVoucherEvent(String accountId, YearMonth month, Instant now,
            Instant leaseUntil) {
        Key key = new Key(accountId, month);
        Instant lease = owed.get(key);
        if (lease == null || lease.isAfter(now)) {
            return false;
        }
        owed.put(key, leaseUntil);
        return true;
    }

    @Override
    public synchronized void markVoucherEventSent(String accountId, YearMonth month) {
        owed.remove(new Key(accountId, month));
        owedSince.remove(new Key(accountId, month));
    }

    @Override
    public synchronized void releaseVoucherEvent(String accountId, YearMonth month) {
        owed.computeIfPresent(new Key(accountId, month), (k, lease) -> Instant.EPOCH);
    }

    /** Oldest first; the entries are listed before the sink runs, so it may lease and mark them. */
    @Override
    public void forEachPendingVoucherEvent(Instant olderThan, java.util.function.Consumer<PendingVoucher> sink) {
        List<PendingVoucher> due;
        synchronized (this) {
            due = owedSince.entrySet().stream().filter(e -> !e.getValue().isAfter(olderThan))
                    .sorted(Map.Entry.comparingByValue())
                    .map(e -> new PendingVoucher(e.getKey().accountId(), e.getKey().month())).toList();
        }
        due.forEach(sink);
    }
}
