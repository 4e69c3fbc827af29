package dev.slaledger.core.evidence;

import dev.slaledger.core.traffic.ExclusionKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The failed requests of one interval that were flagged with an exclusion (S2.4 (i)-(iii)), by kind
 * (S9.6): never in E. {@code unspecified} counts those a pre-aggregated D1 record gave as a total
 * ({@code excludedErrors}) without saying their kind.
 */
public record FlagCounts(long maintenance, long customerCompromised, long contentBan, long unspecified) {
    public static final FlagCounts NONE = new FlagCounts(0, 0, 0, 0);

    public FlagCounts {
        if (maintenance < 0 || customerCompromised < 0 || contentBan < 0 || unspecified < 0) {
            throw new IllegalArgumentException("flag counts must not be negative");
        }
    }

    /** Of {@code total} flagged errors, these by kind; the rest of no known kind. */
    public static FlagCounts of(long total, long maintenance, long customerCompromised, long contentBan) {
        return new FlagCounts(maintenance, customerCompromised, contentBan,
                total - maintenance - customerCompromised - contentBan);
    }

    /** All flagged errors, whatever their kind. */
    public long total() {
        return maintenance + customerCompromised + contentBan + unspecified;
    }

    public long of(ExclusionKind kind) {
        return switch (kind) {
            case MAINTENANCE -> maintenance;
            case CUSTOMER_COMPROMISED -> customerCompromised;
            case CONTENT_BAN -> contentBan;
        };
    }

    /**
     * The counts by the kinds' D1 names ({@code maintenance}, {@code customer-compromised},
     * {@code content-ban}) and {@code unspecified}, every one present, in that order.
     */
    public Map<String, Long> byName() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ExclusionKind k : ExclusionKind.values()) {
            out.put(k.wireName(), of(k));
        }
        out.put("unspecified", unspecified);
        return out;
    }
}
