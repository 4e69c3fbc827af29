package dev.slaledger.local;

import java.io.PrintStream;

/**
 * A one-line text progress bar for the long steps ({@code [#####.....]  52%  4,160/8,000 records  3.1 s}).
 * On a terminal it redraws in place; otherwise (CI logs, pipes) it prints a line every 25%.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final String unit;
    private final long total;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private long done;
    private int lastQuarter = -1;
    private long lastDraw;

    Progress(PrintStream out, String label, long total, String unit) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
        this.terminal = System.console() != null;
        draw(true);
    }

    void advance(long n) {
        done = Math.min(total, done + n);
        draw(false);
    }

    /** Prints a line above the bar. */
    void note(String line) {
        if (terminal) {
            out.print("\r" + " ".repeat(100) + "\r");
            out.println(line);
            draw(true);
        } else {
            out.println(line);
        }
    }

    private void draw(boolean force) {
        double fraction = (double) done / total;
        if (terminal) {
            long now = System.nanoTime();
            if (!force && done < total && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            out.print("\r" + line(fraction));
            out.flush();
        } else {
            int quarter = (int) (fraction * 4);
            if (quarter != lastQuarter) {
                lastQuarter = quarter;
                out.println(line(fraction));
            }
        }
    }

    String line(double fraction) {
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format("  %-22s [%s%s] %3d%%  %,d/%,d %s  %.1f s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), (int) Math.floor(fraction * 100), done, total, unit,
                (System.nanoTime() - started) / 1e9);
    }

    @Override
    public void close() {
        if (terminal) {
            out.print("\r" + line((double) done / total) + "\n");
            out.flush();
        } else if (lastQuarter < 4) {
            out.println(line((double) done / total));
        }
    }
}
