package dev.chainrule.graph.op;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.SplittableRandom;

/** Random values where rules are checked: uniform ones, and ones far apart for maxima. */
public final class Samples {
    private Samples() {
    }

    /** Elements in [-1, 1]. */
    public static Tensor uniform(Shape shape, SplittableRandom rng) {
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextDouble(-1, 1);
        }
        return Tensor.of(shape, data);
    }

    /**
     * Elements at least 0.4 apart, in a random order, so that a step of the differences never
     * changes which element is largest.
     */
    public static Tensor separated(Shape shape, SplittableRandom rng) {
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5 + rng.nextDouble(0, 0.1);
        }
        for (int i = data.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = data[i];
            data[i] = data[j];
            data[j] = t;
        }
        return Tensor.of(shape, data);
    }

    /** Whole numbers from 0 to {@code k - 1}: labels of k classes. */
    static Tensor labels(Shape shape, int k, SplittableRandom rng) {
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = rng.nextInt(k);
        }
        return Tensor.of(shape, data);
    }
}
