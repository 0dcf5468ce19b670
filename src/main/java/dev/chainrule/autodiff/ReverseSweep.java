package dev.chainrule.autodiff;

import dev.chainrule.graph.Algebra;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import java.util.BitSet;
import java.util.function.IntFunction;

/**
 * The backward sweep of reverse mode, written once for numbers and for graphs.
 *
 * <p>Starting from the root's seed adjoint, nodes are visited in descending id order (reverse
 * topological order). Each visited node passes {@code adjoint · ∂node/∂input} to each input, and an
 * input that feeds several consumers sums what it receives. Only the engine orders, seeds and
 * sums; the local derivatives come from {@link dev.chainrule.graph.Op#partial}.
 *
 * @param <T> {@code Double} for numeric gradients, {@link Node} for symbolic ones
 */
public final class ReverseSweep<T> {
    private final Graph graph;
    private final Algebra<T> algebra;
    private final IntFunction<T> valueOf;

    /**
     * @param valueOf what the rules see as the value of a node, by id: its number, or the node
     */
    public ReverseSweep(Graph graph, Algebra<T> algebra, IntFunction<T> valueOf) {
        this.graph = graph;
        this.algebra = algebra;
        this.valueOf = valueOf;
    }

    /**
     * Runs the sweep from {@code root}.
     *
     * @param seed       the adjoint of the root (1 for a plain gradient)
     * @param receives   ids of nodes that take part: a node's adjoint is only passed to inputs in
     *                   this set (the nodes that depend on some leaf of interest)
     * @param propagates ids of nodes that pass their adjoint on; the others only collect it
     * @return adjoints indexed by node id, null where nothing arrived
     */
    public Object[] run(Node root, T seed, BitSet receives, BitSet propagates) {
        Object[] adjoints = new Object[root.id() + 1];
        adjoints[root.id()] = seed;
        for (int id = root.id(); id >= 0; id = receives.previousSetBit(id - 1)) {
            if (adjoints[id] == null || !propagates.get(id)) {
                continue;
            }
            @SuppressWarnings("unchecked")
            T adjoint = (T) adjoints[id];
            Node node = graph.get(id);
            T a = node.arity() > 0 ? valueOf.apply(node.input(0).id()) : null;
            T b = node.arity() > 1 ? valueOf.apply(node.input(1).id()) : null;
            T out = valueOf.apply(id);
            for (int k = 0; k < node.arity(); k++) {
                int input = node.input(k).id();
                if (!receives.get(input)) {
                    continue;
                }
                T contribution = algebra.mul(adjoint, node.op().partial(algebra, k, a, b, out));
                @SuppressWarnings("unchecked")
                T sum = adjoints[input] == null ? contribution : algebra.add((T) adjoints[input], contribution);
                adjoints[input] = sum;
            }
        }
        return adjoints;
    }
}
