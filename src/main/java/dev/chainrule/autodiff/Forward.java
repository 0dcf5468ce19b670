package dev.chainrule.autodiff;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Span;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Op;
import dev.chainrule.graph.Shape;
import dev.chainrule.graph.Tensor;
import dev.chainrule.print.Numbers;
import dev.chainrule.print.Tensors;
import java.util.BitSet;

/** The forward sweep: values of nodes in ascending id order, which is topological order. */
public final class Forward {
    private Forward() {
    }

    /**
     * Computes the value of every node in {@code nodes} (a set closed under inputs, such as
     * {@link Graph#reachableFrom}); other entries of the result stay null.
     *
     * @param leafValues the value of each leaf, by {@link Node#leafIndex()}
     * @throws ChainException (runtime) at the first node whose value has an infinite or NaN
     *                        element although the elements it came from are finite, naming the
     *                        reason and the input values
     */
    public static Tensor[] values(Graph graph, Tensor[] leafValues, BitSet nodes) {
        Tensor[] values = new Tensor[graph.size()];
        for (int id = nodes.nextSetBit(0); id >= 0; id = nodes.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            switch (node.op()) {
                case CONSTANT -> values[id] = node.constantTensor();
                case LEAF -> values[id] = leafValues[node.leafIndex()];
                default -> {
                    Tensor a = values[node.input(0).id()];
                    Tensor b = node.arity() > 1 ? values[node.input(1).id()] : null;
                    Op op = node.op();
                    if (op.kind() == Op.Kind.ELEMENTWISE && node.shape().isScalar()) {
                        double x = a.item();
                        double y = b == null ? 0 : b.item();
                        double v = op.value(x, y);
                        if (!Double.isFinite(v) && Double.isFinite(x) && Double.isFinite(y)) {
                            throw domainError(graph, node, x, y, v, "");
                        }
                        values[id] = Tensor.scalar(v);
                        continue;
                    }
                    Tensor v = op.evaluate(a, b, node.attrs());
                    if (op.kind() == Op.Kind.ELEMENTWISE && !v.allFinite()) {
                        checkDomain(graph, node, a, b, v);
                    }
                    values[id] = v;
                }
            }
        }
        return values;
    }


    /** Reports the first element that became infinite or NaN from finite elements. */
    private static void checkDomain(Graph graph, Node node, Tensor a, Tensor b, Tensor v) {
        Shape shape = v.shape();
        Tensor wideA = a.broadcastTo(shape);
        Tensor wideB = b == null ? null : b.broadcastTo(shape);
        for (int i = 0; i < v.size(); i++) {
            double x = wideA.get(i);
            double y = wideB == null ? 0 : wideB.get(i);
            if (!Double.isFinite(v.get(i)) && Double.isFinite(x) && Double.isFinite(y)) {
                throw domainError(graph, node, x, y, v.get(i), shape.isScalar() ? "" : " at " + Tensors.element("", shape, i));
            }
        }
    }

    private static ChainException domainError(Graph graph, Node node, double a, double b, double v, String where) {
        Op op = node.op();
        String reason = op.domainProblem(a, b);
        if (reason == null) {
            reason = Double.isNaN(v) ? "the result is not a number" : "the result overflows";
        }
        Span span = graph.span(node);
        return ChainException.runtime(span, reason + ": " + call(op, a, b) + " is " + Numbers.format(v) + where);
    }

    /** An operation applied to numbers as the language writes it: {@code log(0)}, {@code 2 / 0}. */
    static String call(Op op, double a, double b) {
        return switch (op.notation().fixity()) {
            case CALL -> op.functionName() + "(" + Numbers.format(a) + (op.arity() > 1 ? ", " + Numbers.format(b) : "") + ")";
            case PREFIX -> op.notation().ascii() + Numbers.format(a);
            default -> Numbers.format(a) + " " + op.notation().ascii() + " " + Numbers.format(b);
        };
    }

}
