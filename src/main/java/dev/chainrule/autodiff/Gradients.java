package dev.chainrule.autodiff;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradients of one scalar node with respect to leaves, as numbers or as graphs. A leaf's
 * gradient has the leaf's shape.
 */
public final class Gradients {
    private Gradients() {
    }

    /** The nodes on some path from {@code root} down to one of {@code wrt}: those that take part. */
    public static BitSet involved(Graph graph, Node root, List<Node> wrt) {
        BitSet sources = new BitSet(graph.size());
        for (Node leaf : wrt) {
            sources.set(leaf.id());
        }
        return graph.dependents(sources, graph.reachableFrom(root));
    }

    /**
     * Numeric adjoints {@code ∂root/∂node} of every involved node, from one backward sweep.
     *
     * @param values node values by id, from {@link Forward#values}
     * @return adjoints by id (each a {@link Tensor} of its node's shape); null where a node is not involved
     */
    public static Object[] numericAdjoints(Graph graph, Tensor[] values, Node root, List<Node> wrt) {
        return numericAdjoints(graph, values, root, involved(graph, root, wrt));
    }

    /** As {@link #numericAdjoints(Graph, Tensor[], Node, List)}, with the involved set computed once by the caller. */
    public static Object[] numericAdjoints(Graph graph, Tensor[] values, Node root, BitSet involved) {
        ReverseSweep<Tensor> sweep = new ReverseSweep<>(graph, NumericAlgebra.INSTANCE, id -> values[id]);
        return sweep.run(root, Tensor.scalar(1), involved, involved);
    }

    /** {@code ∂root/∂leaf} for each leaf of {@code wrt}, in order; zeros where root does not depend on it. */
    public static Tensor[] numeric(Graph graph, Tensor[] values, Node root, List<Node> wrt) {
        return numeric(graph, values, root, wrt, involved(graph, root, wrt));
    }

    /** As {@link #numeric(Graph, Tensor[], Node, List)}, with {@link #involved} computed once by the caller. */
    public static Tensor[] numeric(Graph graph, Tensor[] values, Node root, List<Node> wrt, BitSet involved) {
        Object[] adjoints = numericAdjoints(graph, values, root, involved);
        Tensor[] gradient = new Tensor[wrt.size()];
        for (int i = 0; i < gradient.length; i++) {
            Node leaf = wrt.get(i);
            int id = leaf.id();
            gradient[i] = id < adjoints.length && adjoints[id] != null
                    ? (Tensor) adjoints[id] : Tensor.filled(leaf.shape(), 0);
        }
        return gradient;
    }

    /**
     * The simplified symbolic derivatives {@code ∂root/∂leaf}, built as nodes of the same graph
     * by one backward sweep; a leaf root does not depend on maps to zeros of its shape.
     */
    public static Map<Node, Node> symbolic(Graph graph, Node root, List<Node> wrt) {
        BitSet involved = involved(graph, root, wrt);
        SymbolicAlgebra algebra = new SymbolicAlgebra(graph);
        ReverseSweep<Node> sweep = new ReverseSweep<>(graph, algebra, graph::get);
        Object[] adjoints = sweep.run(root, algebra.constant(1), involved, involved);
        Map<Node, Node> derivatives = new LinkedHashMap<>();
        for (Node leaf : wrt) {
            int id = leaf.id();
            Node d = id < adjoints.length && adjoints[id] != null ? (Node) adjoints[id]
                    : graph.constant(Tensor.filled(leaf.shape(), 0));
            derivatives.put(leaf, d);
        }
        return derivatives;
    }

    /** The simplified symbolic derivative {@code ∂root/∂leaf}. */
    public static Node symbolic(Graph graph, Node root, Node leaf) {
        return symbolic(graph, root, List.of(leaf)).get(leaf);
    }
}
