package dev.chainrule.autodiff;

import dev.chainrule.graph.op.Algebra;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The backward sweep of reverse mode, written once for numbers and for graphs.
 *
 * <p>Starting from the root's seed adjoint, nodes are visited in descending id order (reverse
 * topological order). Each visited node passes {@code adjoint · ∂node/∂input} (for tensors, the
 * vector-Jacobian product) to each input, and an input that feeds several consumers sums what it
 * receives. Only the engine orders, seeds and sums; the rules come from
 * {@link dev.chainrule.graph.op.Op#vjp}, which for element-wise operations is built on
 * {@link dev.chainrule.graph.op.Op#partial}.
 *
 * @param <T> {@link dev.chainrule.tensor.Tensor} for numeric gradients, {@link Node} for symbolic ones
 */
public final class ReverseSweep<T> {
    private final Graph graph;
    private final Algebra<T> algebra;
    private final IntFunction<T> valueOf;
    private final Watch<T> watch;

    /**
     * @param valueOf what the rules see as the value of a node, by id: its number, or the node
     */
    public ReverseSweep(Graph graph, Algebra<T> algebra, IntFunction<T> valueOf) {
        this(graph, algebra, valueOf, null);
    }

    /** A sweep that shows {@code watch} every contribution it passes (null for none). */
    public ReverseSweep(Graph graph, Algebra<T> algebra, IntFunction<T> valueOf, Watch<T> watch) {
        this.graph = graph;
        this.algebra = algebra;
        this.valueOf = valueOf;
        this.watch = watch;
    }

    /** Sees each contribution {@code adjoint · ∂node/∂input k} as the sweep makes it, in sweep order. */
    public interface Watch<T> {
        void contribution(Node node, int k, T adjoint, T a, T b, T out, T contribution);
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
        Adjoints<T> store = new Adjoints<>() {
            @Override
            @SuppressWarnings("unchecked")
            public T get(int id) {
                return (T) adjoints[id];
            }

            @Override
            public void put(int id, T value) {
                adjoints[id] = value;
            }
        };
        for (int id = root.id(); id >= 0; id = receives.previousSetBit(id - 1)) {
            if (adjoints[id] != null && propagates.get(id)) {
                propagate(graph.get(id), store, receives::get);
            }
        }
        return adjoints;
    }

    /**
     * Runs the sweep over an explicit set of nodes, for sweeps that touch a small part of a large
     * graph: the cost is proportional to {@code descending.length}, not to the graph.
     *
     * @param descending the ids taking part, root first, in descending order
     * @param receives   whether a node takes an adjoint
     * @param propagates whether a node passes its adjoint on
     * @return adjoints by id, for the nodes that received one
     */
    public Map<Integer, T> run(Node root, T seed, int[] descending, IntPredicate receives, IntPredicate propagates) {
        Map<Integer, T> adjoints = new HashMap<>();
        adjoints.put(root.id(), seed);
        Adjoints<T> store = new Adjoints<>() {
            @Override
            public T get(int id) {
                return adjoints.get(id);
            }

            @Override
            public void put(int id, T value) {
                adjoints.put(id, value);
            }
        };
        for (int id : descending) {
            if (adjoints.containsKey(id) && propagates.test(id)) {
                propagate(graph.get(id), store, receives);
            }
        }
        return adjoints;
    }

    /** Where a sweep keeps its adjoints. */
    private interface Adjoints<T> {
        T get(int id);

        void put(int id, T value);
    }

    /** Passes the node's vector-Jacobian product to each input that receives, summing with what it has. */
    private void propagate(Node node, Adjoints<T> adjoints, IntPredicate receives) {
        T adjoint = adjoints.get(node.id());
        T a = node.arity() > 0 ? valueOf.apply(node.input(0).id()) : null;
        T b = node.arity() > 1 ? valueOf.apply(node.input(1).id()) : null;
        T out = valueOf.apply(node.id());
        for (int k = 0; k < node.arity(); k++) {
            int input = node.input(k).id();
            if (!receives.test(input)) {
                continue;
            }
            T contribution = node.op().vjp(algebra, k, adjoint, a, b, out, node.attrs());
            if (watch != null) {
                watch.contribution(node, k, adjoint, a, b, out, contribution);
            }
            T previous = adjoints.get(input);
            adjoints.put(input, previous == null ? contribution : algebra.add(previous, contribution));
        }
    }
}
