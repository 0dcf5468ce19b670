package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tape's rules, recorded afresh (not from its cache), give the op table's partials: the
 * general rules and the ones folded on a constant input, for every element-wise op, at seeded
 * points where the op is defined.
 */
class TapeRulesTest {
    private static final double[] CONSTANTS = {1, 2, 0.5, -1, 3};

    private static double expected(Op op, int k, double a, double b) {
        double out = op.value(a, b);
        return op.partial(NumericAlgebra.INSTANCE, k, Tensor.scalar(a), op.arity() > 1 ? Tensor.scalar(b) : null,
                Tensor.scalar(out)).item();
    }

    private static void assertRule(Tape.Rule rule, Op op, int k, double a, double b, String what) {
        double want = expected(op, k, a, b);
        double got = rule.apply(a, b, op.value(a, b), new double[Tape.Rule.MAX_REGISTERS]);
        if (Double.isFinite(want)) {
            assertEquals(want, got, 1e-15 * Math.max(1, Math.abs(want)), what + " at a = " + a + ", b = " + b);
        } else {
            assertEquals(want, got, what + " at a = " + a + ", b = " + b);
        }
    }

    @Test
    void recordedRulesGiveTheTablesPartials() {
        SplittableRandom rng = new SplittableRandom(7);
        for (Op op : Op.values()) {
            if (op.kind() != Op.Kind.ELEMENTWISE) {
                continue;
            }
            Tape.Rule[] general = Tape.Rule.record(op, Double.NaN, Double.NaN);
            assertEquals(op.arity(), general.length, op.name());
            for (int i = 0; i < 40; i++) {
                double a = rng.nextDouble(0.2, 2.5);
                double b = rng.nextDouble(0.3, 2.5) * (rng.nextBoolean() ? 1 : -1);
                for (int k = 0; k < op.arity(); k++) {
                    assertRule(general[k], op, k, a, b, op + " general ∂" + k);
                }
                for (double c : CONSTANTS) {
                    if (op.arity() > 1) {
                        Tape.Rule[] constantB = Tape.Rule.record(op, Double.NaN, c);
                        Tape.Rule[] constantA = Tape.Rule.record(op, c, Double.NaN);
                        for (int k = 0; k < 2; k++) {
                            assertRule(constantB[k], op, k, a, c, op + " b = " + c + " ∂" + k);
                            if (op != Op.POW || c > 0) {
                                assertRule(constantA[k], op, k, c, b, op + " a = " + c + " ∂" + k);
                            }
                        }
                    } else {
                        assertRule(Tape.Rule.record(op, c, Double.NaN)[0], op, 0, c, 0, op + " a = " + c);
                    }
                }
            }
        }
    }

    @Test
    void specialisedRulesAreCachedAndGeneralOnesShared() {
        assertEquals(Tape.Rule.of(Op.POW, Double.NaN, 2), Tape.Rule.of(Op.POW, Double.NaN, 2));
        assertEquals(Tape.Rule.of(Op.SIN, Double.NaN, Double.NaN), Tape.Rule.of(Op.SIN, Double.NaN, Double.NaN));
        double[] registers = new double[Tape.Rule.MAX_REGISTERS];
        assertEquals(6.0, Tape.Rule.of(Op.POW, Double.NaN, 2)[0].apply(3, 2, 9, registers), 0.0, "x^2 folds to 2·x");
        assertEquals(-1.0, Tape.Rule.of(Op.SUB, Double.NaN, Double.NaN)[1].apply(3, 2, 1, registers), 0.0);
        assertEquals(0.5, Tape.Rule.of(Op.MUL, 0.5, Double.NaN)[1].apply(0.5, 7, 3.5, registers), 0.0, "0.5·x: the constant");
    }
}
