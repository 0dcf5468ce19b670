package dev.chainrule.data;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * Seeded two-dimensional data sets for classifiers, after the classic toy sets: two interleaved
 * half moons, two concentric circles, the four XOR quadrants, and Gaussian blobs. Each uses
 * {@link SplittableRandom}, whose sequence is specified, so a seed gives the same points on every
 * machine.
 */
public final class Generators {
    private Generators() {
    }

    /** Two interleaving half circles, n/2 points each, labels 0 and 1, Gaussian noise of {@code noise}. */
    public static Dataset moons(int n, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[2 * n];
        double[] y = new double[n];
        int outer = n / 2;
        for (int i = 0; i < n; i++) {
            boolean first = i < outer;
            int k = first ? i : i - outer;
            int count = first ? outer : n - outer;
            double t = count > 1 ? Math.PI * k / (count - 1) : 0;
            x[2 * i] = (first ? Math.cos(t) : 1 - Math.cos(t)) + noise * gaussian(rng);
            x[2 * i + 1] = (first ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * gaussian(rng);
            y[i] = first ? 0 : 1;
        }
        return dataset(x, y);
    }

    /** Two concentric circles: radius 1 (label 0) and radius {@code factor} (label 1). */
    public static Dataset circles(int n, double noise, double factor, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[2 * n];
        double[] y = new double[n];
        int outer = n / 2;
        for (int i = 0; i < n; i++) {
            boolean first = i < outer;
            int k = first ? i : i - outer;
            int count = first ? outer : n - outer;
            double t = 2 * Math.PI * k / count;
            double r = first ? 1 : factor;
            x[2 * i] = r * Math.cos(t) + noise * gaussian(rng);
            x[2 * i + 1] = r * Math.sin(t) + noise * gaussian(rng);
            y[i] = first ? 0 : 1;
        }
        return dataset(x, y);
    }

    /** Points uniform in [-1, 1]²; label 1 where the coordinates differ in sign (XOR), then jittered by {@code noise}. */
    public static Dataset xor(int n, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double a = 2 * rng.nextDouble() - 1;
            double b = 2 * rng.nextDouble() - 1;
            y[i] = (a > 0) != (b > 0) ? 1 : 0;
            x[2 * i] = a + noise * gaussian(rng);
            x[2 * i + 1] = b + noise * gaussian(rng);
        }
        return dataset(x, y);
    }

    /** {@code centers} Gaussian blobs of standard deviation 1 around centres drawn in [-10, 10]², labelled 0 to centers - 1. */
    public static Dataset blobs(int n, int centers, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] cx = new double[centers];
        double[] cy = new double[centers];
        for (int c = 0; c < centers; c++) {
            cx[c] = 20 * rng.nextDouble() - 10;
            cy[c] = 20 * rng.nextDouble() - 10;
        }
        double[] x = new double[2 * n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int c = (int) ((long) i * centers / n);
            x[2 * i] = cx[c] + gaussian(rng);
            x[2 * i + 1] = cy[c] + gaussian(rng);
            y[i] = c;
        }
        return dataset(x, y);
    }

    private static Dataset dataset(double[] x, double[] y) {
        return new Dataset(Tensor.of(Shape.of(y.length, 2), x), Tensor.of(Shape.of(y.length), y));
    }

    /** A standard normal number by the Box-Muller transform (one of the pair; simple and specified). */
    static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
