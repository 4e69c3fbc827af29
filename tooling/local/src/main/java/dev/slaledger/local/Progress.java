package dev.slaledger.local;

import java.io.PrintStream;

/**
 * A one-line text progress bar for the long steps, with the rate and the time left:
 * {@code [#####.....]  52%  4,160/8,000 records  1,340 records/s  ETA 3 s  3.1 s}. A step measured in
 * bytes (reading a file) shows megabytes, and the records read so far with their rate.
 * On a terminal it redraws in place; otherwise (CI logs, pipes) it prints a line every 25%.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;
    static final String BYTES = "bytes";

    private final PrintStream out;
    private final String label;
    private final String unit;
    private long total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long done;
    private long records = -1;
    private int lastQuarter = -1;
    private long lastDraw;

    Progress(PrintStream out, String label, long total, String unit) {
        this(out, label, total, unit, System.console() != null);
    }

    Progress(PrintStream out, String label, long total, String unit, boolean terminal) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
        this.terminal = terminal;
        draw(true);
    }

    void advance(long n) {
        done = Math.min(total, done + n);
        draw(false);
    }

    /** Moves to an absolute position (bytes read), with the records read so far. */
    void at(long position, long recordsSoFar) {
        done = Math.min(total, position);
        records = recordsSoFar;
        draw(false);
    }

    /** Prints a line above the bar. */
    void note(String line) {
        if (terminal) {
            out.print("\r" + " ".repeat(120) + "\r");
            out.println(line);
            draw(true);
        } else {
            out.println(line);
        }
    }

    private void draw(boolean force) {
        double fraction = total == 0 ? 1 : (double) done / total;
        if (terminal) {
            long now = System.nanoTime();
            if (!force && done < total && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(fraction, now));
            out.flush();
        } else {
            int quarter = (int) (fraction * 4);
            if (quarter != lastQuarter) {
                lastQuarter = quarter;
                out.println(line(fraction, System.nanoTime()));
            }
        }
    }

    String line(double fraction, long nowNanos) {
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = Math.max(1e-9, (nowNanos - started) / 1e9);
        String amount;
        if (BYTES.equals(unit)) {
            amount = String.format("%,.1f/%,.1f MB  %,.1f MB/s", done / 1e6, total / 1e6, done / 1e6 / seconds)
                    + (records >= 0 ? String.format("  %,d records  %,.0f records/s", records, records / seconds) : "");
        } else {
            amount = String.format("%,d/%,d %s  %,.0f %s/s", done, total, unit, done / seconds, unit);
        }
        String eta = done == 0 || done >= total ? "" : "  ETA " + duration(seconds * (total - done) / done);
        return String.format("  %-22s [%s%s] %3d%%  %s%s  %s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), (int) Math.floor(fraction * 100), amount, eta, duration(seconds));
    }

    /** {@code 3.1 s}, {@code 4 min 05 s}, {@code 1 h 02 min}. */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format("%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        return String.format("%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /**
     * Ends the bar at its true total (issue 28 item 5): what was done, when the total given at the
     * start was an estimate that turned out larger (the month-end's messages, the records of a file).
     */
    @Override
    public void close() {
        if (done < total) {
            total = done;
        }
        if (terminal) {
            out.print("\r" + line(total == 0 ? 1 : (double) done / total, System.nanoTime()) + "\n");
            out.flush();
        } else if (lastQuarter < 4) {
            out.println(line(total == 0 ? 1 : (double) done / total, System.nanoTime()));
        }
    }
}
