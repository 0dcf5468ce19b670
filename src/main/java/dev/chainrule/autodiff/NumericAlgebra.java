package dev.chainrule.autodiff;

import dev.chainrule.graph.op.Algebra;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;

/** Derivative rules evaluated with numbers: every operation is its {@link Op#evaluate}. */
public final class NumericAlgebra implements Algebra<Tensor> {
    /** The only instance; it holds no state. */
    public static final NumericAlgebra INSTANCE = new NumericAlgebra();

    private NumericAlgebra() {
    }

    @Override
    public Tensor constant(double value) {
        return Tensor.scalar(value);
    }

    @Override
    public Tensor apply(Op op, int[] attrs, Tensor a, Tensor b) {
        if (op.kind() == Op.Kind.ELEMENTWISE && a.shape().isScalar() && (b == null || b.shape().isScalar())) {
            return Tensor.scalar(op.value(a.item(), b == null ? 0 : b.item()));
        }
        return op.evaluate(a, b, attrs);
    }

    @Override
    public Shape shape(Tensor value) {
        return value.shape();
    }
}
