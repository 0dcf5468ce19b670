package dev.chainrule.autodiff;

import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.print.Numbers;
import dev.chainrule.print.Tensors;
import java.util.BitSet;
import java.util.List;

/**
 * Where a gradient stops being finite. The forward sweep already stops at the first node whose
 * value turns infinite or NaN from finite inputs ({@link Forward#values}); this is the same for
 * the backward sweep: it is run again, watched, and the first node (in sweep order) that passes an
 * infinite or NaN adjoint to an input although its own adjoint and the values it reads are finite
 * is reported at its place in the source, with its input values and local derivative.
 */
public final class Anomalies {
    private Anomalies() {
    }

    /**
     * Throws the report of the first node of the backward sweep of {@code root} that makes a
     * gradient infinite or NaN; returns normally when there is none (every non-finite number
     * came from non-finite values).
     *
     * @throws ChainException (runtime) at that node
     */
    public static void backward(Graph graph, Tensor[] values, Node root, List<Node> wrt) {
        BitSet involved = Gradients.involved(graph, root, wrt);
        ReverseSweep<Tensor> sweep = new ReverseSweep<>(graph, NumericAlgebra.INSTANCE, id -> values[id],
                (node, k, adjoint, a, b, out, contribution) -> inspect(graph, involved, node, k, adjoint, a, b, out, contribution));
        sweep.run(root, Tensor.scalar(1), involved, involved);
    }

    private static void inspect(Graph graph, BitSet involved, Node node, int k, Tensor adjoint, Tensor a, Tensor b, Tensor out,
                                Tensor contribution) {
        if (contribution.allFinite() || !adjoint.allFinite() || !a.allFinite() || b != null && !b.allFinite() || !out.allFinite()) {
            return;
        }
        Op op = node.op();
        String which = op.arity() > 1 ? (k == 0 ? " with respect to its first operand" : " with respect to its second operand") : "";
        if (op.kind() != Op.Kind.ELEMENTWISE) {
            throw turns(graph.spanWithin(node, involved), node, contribution, which);
        }
        Shape shape = out.shape();
        Tensor wideA = a.broadcastTo(shape);
        Tensor wideB = b == null ? null : b.broadcastTo(shape);
        Tensor wideAdjoint = adjoint.broadcastTo(shape);
        for (int i = 0; i < shape.size(); i++) {
            double x = wideA.get(i);
            double y = wideB == null ? 0 : wideB.get(i);
            double local = op.partial(NumericAlgebra.INSTANCE, k, Tensor.scalar(x), wideB == null ? null : Tensor.scalar(y),
                    Tensor.scalar(out.get(i))).item();
            double g = wideAdjoint.get(i) * local;
            if (Double.isFinite(g)) {
                continue;
            }
            String where = shape.isScalar() ? "" : " at " + Tensors.element("", shape, i);
            String call = Forward.call(op, x, y);
            String message = Double.isFinite(local)
                    ? "the gradient overflows: " + Numbers.format(wideAdjoint.get(i)) + " × the derivative of " + call + which
                            + ", " + Numbers.format(local) + ", is " + Numbers.format(g) + where
                    : "the derivative of " + call + which + " is " + Numbers.format(local) + where;
            throw ChainException.runtimeAt(graph.spanWithin(node, involved), node.id(), message);
        }
        // every element's product is finite, so the sum over a broadcast dimension overflowed
        throw turns(graph.spanWithin(node, involved), node, contribution, which);
    }

    /** The report without a local derivative to show: the op, and what its contribution became. */
    private static ChainException turns(dev.chainrule.diag.Span span, Node node, Tensor contribution, String which) {
        Op op = node.op();
        double first = 0;
        for (int i = 0; i < contribution.size() && Double.isFinite(first); i++) {
            first = contribution.get(i);
        }
        return ChainException.runtimeAt(span, node.id(), "the gradient turns " + Numbers.format(first)
                + " in the backward step of " + (op.functionName() != null ? op.functionName() : op.notation().ascii())
                + which + " (its inputs and adjoint are finite)");
    }
}
