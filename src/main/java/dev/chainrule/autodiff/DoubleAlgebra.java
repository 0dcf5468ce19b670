package dev.chainrule.autodiff;

import dev.chainrule.graph.Algebra;
import dev.chainrule.graph.Op;

/** Derivative rules evaluated with numbers: every operation is its {@link Op#value}. */
public final class DoubleAlgebra implements Algebra<Double> {
    /** The only instance; it holds no state. */
    public static final DoubleAlgebra INSTANCE = new DoubleAlgebra();

    private DoubleAlgebra() {
    }

    @Override
    public Double constant(double value) {
        return value;
    }

    @Override
    public Double apply(Op op, Double a) {
        return op.value(a, 0);
    }

    @Override
    public Double apply(Op op, Double a, Double b) {
        return op.value(a, b);
    }
}
