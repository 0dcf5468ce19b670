package dev.chainrule.autodiff;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Span;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.print.Numbers;
import dev.chainrule.print.Tensors;
import java.util.BitSet;

/** The forward sweep: values of nodes in ascending id order, which is topological order. */
public final class Forward {
    private Forward() {
    }

    /**
     * Computes the value of {@code roots} and of everything they depend on; other entries of the
     * result stay null.
     *
     * @param leafValues the value of each leaf, by {@link Node#leafIndex()}
     * @throws ChainException (runtime) when a root's value has an infinite or NaN element: at the
     *                        first node on its way that made such an element from finite ones,
     *                        naming the reason and the input values
     */
    public static Tensor[] values(Graph graph, Tensor[] leafValues, Node... roots) {
        return values(graph, leafValues, graph.reachableFrom(roots), roots);
    }

    /**
     * Computes the value of every node in {@code nodes} (a set closed under inputs, such as
     * {@link Graph#reachableFrom}) and requires the {@code roots} among them to be finite.
     *
     * <p>An infinity on the way that does not reach a root is not an error: a rule such as
     * {@code mul_no_nan(log(a), a^b)} at {@code a = 0} passes through {@code log(0) = -inf}, which
     * its exact zero absorbs. What a root receives is traced back to the node that first left the
     * real numbers from finite inputs, and reported there.
     *
     * @throws ChainException (runtime) at that node, for the first root whose value is not finite
     */
    public static Tensor[] values(Graph graph, Tensor[] leafValues, BitSet nodes, Node... roots) {
        Tensor[] values = new Tensor[graph.size()];
        int[] origin = null;
        for (int id = nodes.nextSetBit(0); id >= 0; id = nodes.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            switch (node.op()) {
                case CONSTANT -> values[id] = node.constantTensor();
                case LEAF -> values[id] = leafValues[node.leafIndex()];
                default -> {
                    Tensor a = values[node.input(0).id()];
                    Tensor b = node.arity() > 1 ? values[node.input(1).id()] : null;
                    Op op = node.op();
                    Tensor v;
                    if (op.kind() == Op.Kind.ELEMENTWISE && node.shape().isScalar()) {
                        v = Tensor.scalar(op.value(a.item(), b == null ? 0 : b.item()));
                    } else {
                        try {
                            v = op.evaluate(a, b, node.attrs());
                        } catch (dev.chainrule.tensor.DomainException e) {
                            throw ChainException.runtimeAt(graph.spanWithin(node, nodes), node.id(), e.getMessage());
                        }
                    }
                    values[id] = v;
                    if (!v.allFinite()) {
                        if (origin == null) {
                            origin = new int[graph.size()];
                            java.util.Arrays.fill(origin, -1);
                        }
                        origin[id] = origin(node, a, b, v, origin);
                    }
                }
            }
        }
        for (Node root : roots) {
            Tensor v = values[root.id()];
            if (origin != null && v != null && !v.allFinite() && origin[root.id()] >= 0) {
                Node culprit = graph.get(origin[root.id()]);
                Tensor a = values[culprit.input(0).id()];
                Tensor b = culprit.arity() > 1 ? values[culprit.input(1).id()] : null;
                checkDomain(graph, culprit, a, b, values[culprit.id()], nodes);
            }
        }
        return values;
    }

    /**
     * The node a non-finite value comes from: the node itself when an element-wise operation
     * made it from finite elements, else the earliest origin among its inputs (-1 for none: an
     * input given as inf, say).
     */
    private static int origin(Node node, Tensor a, Tensor b, Tensor v, int[] origin) {
        if (node.op().kind() == Op.Kind.ELEMENTWISE && firstFresh(a, b, v) >= 0) {
            return node.id();
        }
        int from = -1;
        for (int k = 0; k < node.arity(); k++) {
            int o = origin[node.input(k).id()];
            if (o >= 0 && (from < 0 || o < from)) {
                from = o;
            }
        }
        return from;
    }

    /** The first element of {@code v} that is not finite although the elements it came from are, or -1. */
    private static int firstFresh(Tensor a, Tensor b, Tensor v) {
        Shape shape = v.shape();
        Tensor wideA = a.broadcastTo(shape);
        Tensor wideB = b == null ? null : b.broadcastTo(shape);
        for (int i = 0; i < v.size(); i++) {
            if (!Double.isFinite(v.get(i)) && Double.isFinite(wideA.get(i)) && (wideB == null || Double.isFinite(wideB.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    /** Reports the first element that became infinite or NaN from finite elements. */
    private static void checkDomain(Graph graph, Node node, Tensor a, Tensor b, Tensor v, BitSet nodes) {
        int i = firstFresh(a, b, v);
        Shape shape = v.shape();
        Tensor wideA = a.broadcastTo(shape);
        Tensor wideB = b == null ? null : b.broadcastTo(shape);
        double x = wideA.get(i);
        double y = wideB == null ? 0 : wideB.get(i);
        throw domainError(graph.spanWithin(node, nodes), node, x, y, v.get(i), shape.isScalar() ? "" : " at " + Tensors.element("", shape, i));
    }

    private static ChainException domainError(Span span, Node node, double a, double b, double v, String where) {
        Op op = node.op();
        String reason = op.domainProblem(a, b);
        if (reason == null) {
            reason = Double.isNaN(v) ? "the result is not a number" : "the result overflows";
        }
        return ChainException.runtimeAt(span, node.id(), reason + ": " + call(op, a, b) + " is " + Numbers.format(v) + where);
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
