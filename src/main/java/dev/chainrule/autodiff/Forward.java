package dev.chainrule.autodiff;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Span;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Op;
import dev.chainrule.print.Numbers;
import java.util.BitSet;

/** The forward sweep: values of nodes in ascending id order, which is topological order. */
public final class Forward {
    private Forward() {
    }

    /**
     * Computes the value of every node in {@code nodes} (a set closed under inputs, such as
     * {@link Graph#reachableFrom}); other entries of the result stay 0.
     *
     * @param leafValues the value of each leaf, by {@link Node#leafIndex()}
     * @throws ChainException (runtime) at the first node whose value is infinite or NaN although
     *                        its inputs are finite, naming the reason and the input values
     */
    public static double[] values(Graph graph, double[] leafValues, BitSet nodes) {
        double[] values = new double[graph.size()];
        for (int id = nodes.nextSetBit(0); id >= 0; id = nodes.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            switch (node.op()) {
                case CONSTANT -> values[id] = node.constantValue();
                case LEAF -> values[id] = leafValues[node.leafIndex()];
                default -> {
                    double a = values[node.input(0).id()];
                    double b = node.arity() > 1 ? values[node.input(1).id()] : 0;
                    double v = node.op().value(a, b);
                    if (!Double.isFinite(v) && Double.isFinite(a) && Double.isFinite(b)) {
                        throw domainError(graph, node, a, b, v);
                    }
                    values[id] = v;
                }
            }
        }
        return values;
    }

    private static ChainException domainError(Graph graph, Node node, double a, double b, double v) {
        Op op = node.op();
        String reason = op.domainProblem(a, b);
        if (reason == null) {
            reason = Double.isNaN(v) ? "the result is not a number" : "the result overflows";
        }
        String call = switch (op.notation().fixity()) {
            case CALL -> op.functionName() + "(" + Numbers.format(a) + (op.arity() > 1 ? ", " + Numbers.format(b) : "") + ")";
            case PREFIX -> op.notation().ascii() + Numbers.format(a);
            default -> Numbers.format(a) + " " + op.notation().ascii() + " " + Numbers.format(b);
        };
        String result = Double.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
        Span span = graph.span(node);
        return ChainException.runtime(span, reason + ": " + call + " is " + result);
    }
}
