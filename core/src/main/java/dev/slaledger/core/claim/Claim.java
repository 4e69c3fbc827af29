package dev.slaledger.core.claim;

import java.time.Instant;
import java.time.YearMonth;

/** A claim as recorded: who claimed which month, when, and what was decided. */
public record Claim(String claimId, String accountId, YearMonth month, Instant requestedAt, ClaimDecision decision) {
}
