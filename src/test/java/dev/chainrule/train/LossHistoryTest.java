package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.chainrule.api.Model;
import dev.chainrule.testing.Seeds;
import org.junit.jupiter.api.Test;

/** Training keeps a bounded, evenly thinned history of its loss, with the first and last exact. */
class LossHistoryTest {

    private static double loss(long step) {
        return 1.0 / (1 + step);
    }

    @Test
    void anyNumberOfStepsKeepsBoundedEvenlySpacedPoints() {
        Seeds.qt().withExamples(60).forAll(integers().between(0, 300_000)).checkAssert(steps -> {
            LossHistory h = new LossHistory();
            for (long s = 0; s <= steps; s++) {
                h.add(s, loss(s));
            }
            long[] kept = h.steps();
            double[] losses = h.losses();
            assertTrue(kept.length <= LossHistory.CAPACITY + 1, "kept " + kept.length);
            assertEquals(0, kept[0]);
            assertEquals((long) steps, kept[kept.length - 1]);
            assertEquals(loss(0), h.first());
            assertEquals(loss(steps), h.last());
            long stride = kept.length > 1 ? kept[1] - kept[0] : 1;
            assertEquals(0, stride & (stride - 1), "the stride is a power of two: " + stride);
            for (int i = 0; i < kept.length; i++) {
                assertEquals(loss(kept[i]), losses[i], "step " + kept[i]);
                if (i > 0 && i < kept.length - 1) {
                    assertEquals(stride, kept[i] - kept[i - 1], "evenly spaced");
                }
            }
            if (steps <= LossHistory.CAPACITY) {
                assertEquals(steps + 1, kept.length, "every step kept while they fit");
            }
        });
    }

    @Test
    void aBillionStepsDoNotNeedABillionLosses() {
        Model m = Model.parse("m.chain", "param w = 5\nE = w^2\n");
        TrainReport r = m.train(m.scope().lookup("E"), "E", m.scope().params(), 1e-9, 20_000_000);
        assertEquals(25, r.initial());
        assertTrue(r.last() < 25);
        assertTrue(r.history().steps().length <= LossHistory.CAPACITY + 1);
        assertEquals(20_000_000, r.history().steps()[r.history().steps().length - 1]);
    }
}
