package dev.chainrule.check;

import java.util.function.DoubleUnaryOperator;

/**
 * Ridders' method: central differences at a falling sequence of steps, extrapolated to step zero
 * by Richardson's tableau, stopping when the extrapolation stops improving. It adapts to the
 * function: a fixed-step stencil is either too coarse for functions with large high derivatives
 * or too fine for rounding, while this returns the estimate whose error estimate is smallest
 * (typically 1e-12 relative or better on smooth functions).
 */
final class Ridders {
    /** Each step is the previous one divided by this. */
    private static final double SHRINK = 1.4;
    private static final int TABLEAU = 12;
    /** Stop when the error grows by this factor over the best so far. */
    private static final double SAFE = 2;

    /** The estimate and its error estimate. */
    record Estimate(double derivative, double error) {
    }

    private Ridders() {
    }

    /**
     * {@code f'(x)} starting from step {@code h}; evaluations of {@code f} must be defined on
     * {@code [x - h, x + h]}.
     */
    static Estimate derivative(DoubleUnaryOperator f, double x, double h) {
        double[][] a = new double[TABLEAU][TABLEAU];
        double step = h;
        a[0][0] = central(f, x, step);
        double best = a[0][0];
        double error = Double.MAX_VALUE;
        for (int i = 1; i < TABLEAU; i++) {
            step /= SHRINK;
            a[0][i] = central(f, x, step);
            double factor = SHRINK * SHRINK;
            for (int j = 1; j <= i; j++) {
                a[j][i] = (a[j - 1][i] * factor - a[j - 1][i - 1]) / (factor - 1);
                factor *= SHRINK * SHRINK;
                double e = Math.max(Math.abs(a[j][i] - a[j - 1][i]), Math.abs(a[j][i] - a[j - 1][i - 1]));
                if (e <= error) {
                    error = e;
                    best = a[j][i];
                }
            }
            if (Math.abs(a[i][i] - a[i - 1][i - 1]) >= SAFE * error) {
                break;
            }
        }
        return new Estimate(best, error);
    }

    private static double central(DoubleUnaryOperator f, double x, double h) {
        return (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
    }
}
