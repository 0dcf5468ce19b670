package dev.chainrule.train;

import java.util.Arrays;

/**
 * The loss of a training, step by step, in bounded memory: every step's loss while there are at
 * most {@link #CAPACITY}, then every second, fourth, ... step's (the kept steps are always the
 * multiples of one power of two), plus the very last loss. A run of 10^9 steps keeps 16,384 points
 * for its plot, as a run of 10^4 steps keeps all of them.
 */
public final class LossHistory {
    /** Points kept at most. */
    public static final int CAPACITY = 1 << 14;

    private final double[] losses = new double[CAPACITY];
    private final long[] steps = new long[CAPACITY];
    private int size;
    private long stride = 1;
    private double first = Double.NaN;
    private double last = Double.NaN;
    private long lastStep = -1;

    /** Records the loss at {@code step} (0, 1, 2, ... in order). */
    public void add(long step, double loss) {
        if (step == 0) {
            first = loss;
        }
        last = loss;
        lastStep = step;
        if (step % stride != 0) {
            return;
        }
        if (size == CAPACITY) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (steps[i] % (2 * stride) == 0) {
                    steps[kept] = steps[i];
                    losses[kept++] = losses[i];
                }
            }
            size = kept;
            stride *= 2;
            if (step % stride != 0) {
                return;
            }
        }
        steps[size] = step;
        losses[size++] = loss;
    }

    /** The loss before the first step. */
    public double first() {
        return first;
    }

    /** The last loss recorded. */
    public double last() {
        return last;
    }

    /**
     * The loss at {@code step}, when it is kept.
     *
     * @throws IllegalArgumentException for a step that was not recorded or not kept
     */
    public double at(long step) {
        if (step == lastStep) {
            return last;
        }
        int i = Arrays.binarySearch(steps, 0, size, step);
        if (i < 0) {
            throw new IllegalArgumentException("the loss of step " + step + " is not kept (every " + stride + "th step is)");
        }
        return losses[i];
    }

    /** The steps of the kept losses, ascending, the last step included. */
    public long[] steps() {
        boolean extra = size == 0 || steps[size - 1] != lastStep;
        long[] out = Arrays.copyOf(steps, size + (extra ? 1 : 0));
        if (extra) {
            out[size] = lastStep;
        }
        return out;
    }

    /** The kept losses, in the order of {@link #steps()}. */
    public double[] losses() {
        boolean extra = size == 0 || steps[size - 1] != lastStep;
        double[] out = Arrays.copyOf(losses, size + (extra ? 1 : 0));
        if (extra) {
            out[size] = last;
        }
        return out;
    }
}
