package dev.chainrule.autodiff;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gradients of one node with respect to leaves, as numbers or as graphs. */
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
     * @return adjoints by id; null where a node is not involved
     */
    public static Object[] numericAdjoints(Graph graph, double[] values, Node root, List<Node> wrt) {
        return numericAdjoints(graph, values, root, involved(graph, root, wrt));
    }

    /** As {@link #numericAdjoints(Graph, double[], Node, List)}, with the involved set computed once by the caller. */
    public static Object[] numericAdjoints(Graph graph, double[] values, Node root, BitSet involved) {
        ReverseSweep<Double> sweep = new ReverseSweep<>(graph, DoubleAlgebra.INSTANCE, id -> values[id]);
        return sweep.run(root, 1.0, involved, involved);
    }

    /** {@code ∂root/∂leaf} for each leaf of {@code wrt}, in order; 0 where root does not depend on it. */
    public static double[] numeric(Graph graph, double[] values, Node root, List<Node> wrt) {
        return numeric(graph, values, root, wrt, involved(graph, root, wrt));
    }

    /** As {@link #numeric(Graph, double[], Node, List)}, with {@link #involved} computed once by the caller. */
    public static double[] numeric(Graph graph, double[] values, Node root, List<Node> wrt, BitSet involved) {
        Object[] adjoints = numericAdjoints(graph, values, root, involved);
        double[] gradient = new double[wrt.size()];
        for (int i = 0; i < gradient.length; i++) {
            int id = wrt.get(i).id();
            gradient[i] = id < adjoints.length && adjoints[id] != null ? (Double) adjoints[id] : 0.0;
        }
        return gradient;
    }

    /**
     * The simplified symbolic derivatives {@code ∂root/∂leaf}, built as nodes of the same graph
     * by one backward sweep; a leaf root does not depend on maps to the constant 0.
     */
    public static Map<Node, Node> symbolic(Graph graph, Node root, List<Node> wrt) {
        BitSet involved = involved(graph, root, wrt);
        SymbolicAlgebra algebra = new SymbolicAlgebra(graph);
        ReverseSweep<Node> sweep = new ReverseSweep<>(graph, algebra, graph::get);
        Object[] adjoints = sweep.run(root, algebra.constant(1), involved, involved);
        Map<Node, Node> derivatives = new LinkedHashMap<>();
        for (Node leaf : wrt) {
            int id = leaf.id();
            Node d = id < adjoints.length && adjoints[id] != null ? (Node) adjoints[id] : algebra.constant(0);
            derivatives.put(leaf, d);
        }
        return derivatives;
    }

    /** The simplified symbolic derivative {@code ∂root/∂leaf}. */
    public static Node symbolic(Graph graph, Node root, Node leaf) {
        return symbolic(graph, root, List.of(leaf)).get(leaf);
    }
}
