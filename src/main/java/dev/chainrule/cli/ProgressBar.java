package dev.chainrule.cli;

import dev.chainrule.print.Numbers;
import dev.chainrule.diag.Progress;
import java.io.PrintWriter;

/**
 * A one-line progress bar on a terminal: steps (or elements checked), loss and rate, redrawn at
 * most ten times a second and cleared at the end; a note is printed once on a line of its own.
 * Only used when standard output is a terminal and the output is not JSON.
 */
public final class ProgressBar implements Progress {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private long started;
    private long drawn;

    public ProgressBar(PrintWriter err) {
        this.err = err;
    }

    /** A bar on a terminal, nothing otherwise. */
    public static Progress forTerminal(PrintWriter err, boolean json) {
        return System.console() != null && !json ? new ProgressBar(err) : Progress.NONE;
    }

    @Override
    public void note(String remark) {
        err.print("\r" + remark + "\n");
        err.flush();
    }

    @Override
    public void step(int step, int steps, double loss) {
        long now = System.nanoTime();
        if (step == 1) {
            started = now;
            drawn = 0;
        }
        if (step < steps && now - drawn < REDRAW_NANOS) {
            return;
        }
        drawn = now;
        int filled = (int) ((long) WIDTH * step / Math.max(1, steps));
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        boolean training = !Double.isNaN(loss);
        String line = "  [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + (training ? "step " : "") + step + "/" + steps
                + (training ? "  loss " + Numbers.format(loss, 6) : "") + "  " + Math.round(step / seconds)
                + (training ? " steps/s" : " per second");
        err.print("\r" + line);
        if (step == steps) {
            err.print("\r" + " ".repeat(line.length()) + "\r");
        }
        err.flush();
    }
}
