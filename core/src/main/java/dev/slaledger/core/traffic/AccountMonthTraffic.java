package dev.slaledger.core.traffic;

import java.time.Instant;
import java.util.Arrays;

/**
 * The aggregates of one account for one month, held column-wise so a month of 8,928
 * intervals costs a few arrays rather than thousands of objects. Intervals may be added in
 * any order; an interval added twice is summed.
 */
public final class AccountMonthTraffic {
    private long[] starts;
    private long[] valid;
    private long[] errors;
    private long[] excluded;
    /** Of {@code excluded}, per {@link ExclusionKind} (ordinal): made when an interval first has a kind. */
    private long[][] kinds;
    private int size;

    public AccountMonthTraffic() {
        this(32 * 288);
    }

    public AccountMonthTraffic(int expectedIntervals) {
        int capacity = Math.max(16, expectedIntervals);
        starts = new long[capacity];
        valid = new long[capacity];
        errors = new long[capacity];
        excluded = new long[capacity];
    }

    public AccountMonthTraffic add(Instant intervalStart, IntervalCounts counts) {
        if (!Intervals.isIntervalStart(intervalStart)) {
            throw new IllegalArgumentException(intervalStart + " is not a 5-minute interval start");
        }
        return add(intervalStart.getEpochSecond(), counts.valid(), counts.errorRequests(), counts.excludedErrors(),
                counts.excludedMaintenance(), counts.excludedCompromised(), counts.excludedContentBan());
    }

    /**
     * An interval whose excluded errors are given by kind too (S2.4, S9.6): {@code maintenance},
     * {@code customerCompromised} and {@code contentBan} are parts of {@code excludedErrors}.
     */
    public AccountMonthTraffic add(long intervalStartEpochSecond, long validRequests, long errorRequests,
            long excludedErrors, long maintenance, long customerCompromised, long contentBan) {
        add(intervalStartEpochSecond, validRequests, errorRequests, excludedErrors);
        if ((maintenance | customerCompromised | contentBan) != 0) {
            if (maintenance < 0 || customerCompromised < 0 || contentBan < 0) {
                throw new IllegalArgumentException("counts must not be negative");
            }
            if (kinds == null) {
                kinds = new long[ExclusionKind.values().length][starts.length];
            }
            kinds[0][size - 1] = maintenance;
            kinds[1][size - 1] = customerCompromised;
            kinds[2][size - 1] = contentBan;
        }
        return this;
    }

    /**
     * @param errorRequests E of S2.3 (received 5xx plus unreached, not excluded)
     */
    public AccountMonthTraffic add(long intervalStartEpochSecond, long validRequests, long errorRequests,
            long excludedErrors) {
        if (Math.floorMod(intervalStartEpochSecond, Intervals.SECONDS) != 0) {
            throw new IllegalArgumentException(intervalStartEpochSecond + " is not a 5-minute interval start");
        }
        if (validRequests < 0 || errorRequests < 0 || excludedErrors < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        if (size == starts.length) {
            int capacity = size * 2;
            starts = Arrays.copyOf(starts, capacity);
            valid = Arrays.copyOf(valid, capacity);
            errors = Arrays.copyOf(errors, capacity);
            excluded = Arrays.copyOf(excluded, capacity);
            if (kinds != null) {
                for (int k = 0; k < kinds.length; k++) {
                    kinds[k] = Arrays.copyOf(kinds[k], capacity);
                }
            }
        }
        starts[size] = intervalStartEpochSecond;
        valid[size] = validRequests;
        errors[size] = errorRequests;
        excluded[size] = excludedErrors;
        if (kinds != null) {
            for (long[] column : kinds) {
                column[size] = 0;
            }
        }
        size++;
        return this;
    }

    public int size() {
        return size;
    }

    public long startEpochSecond(int i) {
        return starts[i];
    }

    public long valid(int i) {
        return valid[i];
    }

    public long errorRequests(int i) {
        return errors[i];
    }

    public long excludedErrors(int i) {
        return excluded[i];
    }

    /** Of {@link #excludedErrors}, those flagged {@code kind} (0 when the aggregate gave the total alone). */
    public long excludedErrors(int i, ExclusionKind kind) {
        return kinds == null ? 0 : kinds[kind.ordinal()][i];
    }

    /**
     * This traffic with interval starts strictly increasing: itself when already so, else a
     * sorted copy where repeated intervals are summed (an error rate is per interval, S2.5,
     * so two entries of one interval must be merged before rates are taken).
     */
    public AccountMonthTraffic normalized() {
        boolean increasing = true;
        for (int i = 1; i < size && increasing; i++) {
            increasing = starts[i - 1] < starts[i];
        }
        if (increasing) {
            return this;
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(starts[a], starts[b]));
        AccountMonthTraffic out = new AccountMonthTraffic(size);
        for (int k = 0; k < size; k++) {
            int i = order[k];
            int last = out.size - 1;
            if (last >= 0 && out.starts[last] == starts[i]) {
                out.valid[last] = Math.addExact(out.valid[last], valid[i]);
                out.errors[last] = Math.addExact(out.errors[last], errors[i]);
                out.excluded[last] = Math.addExact(out.excluded[last], excluded[i]);
                if (kinds != null) {
                    if (out.kinds == null) {
                        out.kinds = new long[kinds.length][out.starts.length];
                    }
                    for (int j = 0; j < kinds.length; j++) {
                        out.kinds[j][last] = Math.addExact(out.kinds[j][last], kinds[j][i]);
                    }
                }
            } else if (kinds != null) {
                out.add(starts[i], valid[i], errors[i], excluded[i], kinds[0][i], kinds[1][i], kinds[2][i]);
            } else {
                out.add(starts[i], valid[i], errors[i], excluded[i]);
            }
        }
        return out;
    }
}
