package dev.chainrule.autodiff;

import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;

/**
 * The local derivative of one edge of the graph, {@code ∂node/∂input k}, as numbers at the values
 * of a forward sweep. It comes from the node's own rule in the op table, the one the reverse sweep
 * multiplies adjoints by: the partial of an element-wise operation, or, for an operation that reads
 * whole tensors, its vector-Jacobian product taken once for each element of the output (a row of
 * the Jacobian each).
 */
public final class LocalDerivatives {
    /** Jacobians of more entries than this are not formed: a drawing could not show them anyway. */
    public static final long MAX_JACOBIAN = 1 << 16;

    private LocalDerivatives() {
    }

    /** How a local derivative is given. */
    public enum Form {
        /**
         * Element by element: each element of the output by its own element of the input (with
         * broadcasting), the diagonal of a Jacobian that is zero elsewhere.
         */
        ELEMENTWISE,
        /** The whole Jacobian: the output's dimensions, then the input's. */
        JACOBIAN,
        /** A Jacobian of more than {@link #MAX_JACOBIAN} entries, not formed. */
        TOO_LARGE
    }

    /**
     * One local derivative.
     *
     * @param value for {@link Form#ELEMENTWISE} a scalar (the same for every element) or a tensor
     *              of the output's shape; for {@link Form#JACOBIAN} a tensor of the output's then
     *              the input's dimensions; null for {@link Form#TOO_LARGE}
     * @param out   the shape of the node
     * @param in    the shape of its input
     */
    public record Local(Form form, Tensor value, Shape out, Shape in) {
    }

    /**
     * {@code ∂node/∂input k} at {@code values} (by node id; the node's and its inputs' must be
     * there).
     */
    public static Local of(Node node, int k, Tensor[] values) {
        NumericAlgebra numbers = NumericAlgebra.INSTANCE;
        Op op = node.op();
        Tensor a = values[node.input(0).id()];
        Tensor b = node.arity() > 1 ? values[node.input(1).id()] : null;
        Tensor out = values[node.id()];
        Shape in = node.input(k).shape();
        if (op.kind() == Op.Kind.ELEMENTWISE) {
            Tensor partial = op.partial(numbers, k, a, b, out);
            // a partial may have an operand's shape (d(a·b)/da is b); written out to the node's shape it reads element by element
            return new Local(Form.ELEMENTWISE, partial.shape().isScalar() ? partial : numbers.broadcastTo(partial, node.shape()),
                    node.shape(), in);
        }
        int rows = node.shape().size();
        int columns = in.size();
        if ((long) rows * columns > MAX_JACOBIAN) {
            return new Local(Form.TOO_LARGE, null, node.shape(), in);
        }
        double[] jacobian = new double[rows * columns];
        double[] seed = new double[rows];
        for (int i = 0; i < rows; i++) {
            seed[i] = 1;
            Tensor row = op.vjp(numbers, k, Tensor.of(node.shape(), seed.clone()), a, b, out, node.attrs());
            row = numbers.broadcastTo(row, in);
            for (int j = 0; j < columns; j++) {
                jacobian[i * columns + j] = row.get(j);
            }
            seed[i] = 0;
        }
        int[] dims = new int[node.shape().rank() + in.rank()];
        System.arraycopy(node.shape().dims(), 0, dims, 0, node.shape().rank());
        System.arraycopy(in.dims(), 0, dims, node.shape().rank(), in.rank());
        return new Local(Form.JACOBIAN, Tensor.of(Shape.of(dims), jacobian), node.shape(), in);
    }
}
