package dev.slaledger.adapter.dynamodb;

import dev.slaledger.core.traffic.CountLimits;
import java.math.BigDecimal;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reads a count attribute of an aggregate item without ever throwing (S7.5): every stored value
 * comes back in {@code [0, CountLimits.PER_INTERVAL]}.
 *
 * <p>Ingest never stores a count outside that range (the per-record bound, and the bound
 * condition of its conditional UpdateItem). A value outside it can only be an item written
 * before the bound existed, or by hand: DynamoDB holds 38 digits, a long 19. Such a value is
 * clamped, not rejected: rejecting it (an exception, or leaving the account out) would stop that
 * account's statement from ever being computed, while the clamped value still gives every
 * interval a defined rate and every month's sum fits a long. So a count above the maximum reads
 * as the maximum, a negative one (impossible through ADD of non-negative sums) as 0, a fraction
 * as its integer part, an attribute that is not a number as 0 (absent).
 */
final class StoredCounts {
    /** Up to this many digits a decimal string is below the maximum only if it parses below it. */
    private static final int FAST_DIGITS = 18;

    private StoredCounts() {
    }

    static long count(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? 0 : clamped(v.n());
    }

    /** The count a stored number string stands for, clamped to {@code [0, PER_INTERVAL]}. */
    static long clamped(String n) {
        if (n == null || n.isEmpty()) {
            return 0;
        }
        if (n.length() <= FAST_DIGITS && allDigits(n)) {
            return Math.min(Long.parseLong(n), CountLimits.PER_INTERVAL);
        }
        BigDecimal value;
        try {
            value = new BigDecimal(n);
        } catch (NumberFormatException e) {
            return 0;
        }
        if (value.signum() <= 0) {
            return 0;
        }
        if (value.compareTo(BigDecimal.valueOf(CountLimits.PER_INTERVAL)) >= 0) {
            return CountLimits.PER_INTERVAL;
        }
        return value.longValue(); // the integer part: below the maximum, so it fits
    }

    private static boolean allDigits(String n) {
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
