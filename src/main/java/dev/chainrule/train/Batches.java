package dev.chainrule.train;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.Random;

/**
 * Mini-batches of the rows of a data set: each epoch visits the rows in a new order shuffled with
 * a fixed seed, in batches of a fixed size; the rows left over at the end of an epoch (fewer than
 * a batch) wait for the next epoch's order, so every batch has the same shape.
 */
public final class Batches {
    /** The seed of the shuffles, so that a training run repeats exactly. */
    public static final long SEED = 1;

    private final Tensor x;
    private final Tensor y;
    private final int size;
    private final int[] order;
    private final Random random = new Random(SEED);
    private int next;

    public Batches(Tensor x, Tensor y, int size) {
        this.x = x;
        this.y = y;
        this.size = size;
        this.order = new int[x.shape().dim(0)];
        shuffle();
    }

    private void shuffle() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        next = 0;
    }

    /** The rows of the next batch: {@code [x rows, y rows]}. */
    public Tensor[] next() {
        if (next + size > order.length) {
            shuffle();
        }
        Tensor[] batch = {rows(x, next), rows(y, next)};
        next += size;
        return batch;
    }

    private Tensor rows(Tensor t, int from) {
        int width = t.size() / t.shape().dim(0);
        double[] out = new double[size * width];
        for (int r = 0; r < size; r++) {
            int row = order[from + r];
            for (int c = 0; c < width; c++) {
                out[r * width + c] = t.get(row * width + c);
            }
        }
        int[] dims = t.shape().dims();
        dims[0] = size;
        return Tensor.of(Shape.of(dims), out);
    }
}
