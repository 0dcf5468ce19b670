package dev.chainrule.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** chainrule's tanh against fdlibm's: within 2 ulp across the range, the same at the edges. */
class ElementaryTest {

    private static long ulps(double a, double b) {
        return Math.abs(Double.doubleToLongBits(a) - Double.doubleToLongBits(b));
    }

    @Test
    void tanhIsWithinTwoUlpOfFdlibmInEveryRange() {
        SplittableRandom random = new SplittableRandom(20261127);
        double[][] ranges = {{0x1p-40, 0x1p-27}, {0x1p-27, 0.1}, {0.1, 0.55}, {0.54, 0.56}, {0.55, 2}, {2, 10}, {10, 23}};
        for (double[] range : ranges) {
            long worst = 0;
            for (int i = 0; i < 200_000; i++) {
                double x = random.nextDouble(range[0], range[1]) * (random.nextBoolean() ? 1 : -1);
                worst = Math.max(worst, ulps(Elementary.tanh(x), StrictMath.tanh(x)));
            }
            assertTrue(worst <= 2, "worst " + worst + " ulp in [" + range[0] + ", " + range[1] + "]");
        }
    }

    @Test
    void tanhIsFdlibmsAtZeroTinyHugeInfiniteAndNaN() {
        double[] edges = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, 0x1p-29, 22, -22, 1e300,
            Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double x : edges) {
            assertEquals(Double.doubleToRawLongBits(StrictMath.tanh(x)), Double.doubleToRawLongBits(Elementary.tanh(x)), "tanh(" + x + ")");
        }
        assertTrue(Double.isNaN(Elementary.tanh(Double.NaN)));
    }

    /** Odd and monotone across the switch between the two formulas, where a seam would show. */
    @Test
    void tanhIsOddAndMonotoneAcrossItsSeam() {
        double x = 0.55;
        for (int i = 0; i < 10_000; i++) {
            x = Math.nextDown(x);
        }
        double last = Elementary.tanh(x);
        for (int i = 0; i < 20_000; i++) {
            x = Math.nextUp(x);
            double y = Elementary.tanh(x);
            assertTrue(y >= last, "tanh falls at " + x);
            assertEquals(-y, Elementary.tanh(-x), 0.0);
            last = y;
        }
    }
}
