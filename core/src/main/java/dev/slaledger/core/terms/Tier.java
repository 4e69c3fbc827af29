package dev.slaledger.core.terms;

import java.math.BigDecimal;

/**
 * One compensation tier (S4.1): availability in {@code [atLeast, below)} percent earns
 * {@code percent} of the base as a voucher.
 */
public record Tier(BigDecimal atLeast, BigDecimal below, BigDecimal percent) {
}
