package dev.chainrule.explain;

import dev.chainrule.model.Scope;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.diag.Span;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.graph.op.Scalars;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.print.Tensors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A model with its tensors split into scalars: the scalar view a reader of the scalar tutorials
 * can follow weight by weight. Each element of a named tensor is named like {@code net_h[0]} or
 * {@code W1[0, 1]}; every operation is written out element by element by the op table's own
 * {@link Op#unroll} (element-wise operations with broadcasting resolved, {@code @} and sums as
 * chains of products and additions, the softmax family from {@code exp}, {@code log} and sums).
 *
 * <p>The view of one weight's paths ({@link #around}) writes out only the elements that depend on
 * that weight and reach the root; every other element the root reads is its value: a named scalar
 * ({@code W1[0, 1]}, {@code z[2]}) when its tensor has a name, a number otherwise. So explaining
 * one element of a 3000×3000 matrix costs the rows and columns it touches, not nine million
 * scalars. {@link #of} writes out everything (an oracle for tests).
 */
public final class Unrolled {
    private final Scope source;
    private final Scope target;
    private final Node[][] elements;
    /** By node id, the elements written out (not taken as values). */
    private final BitSet[] written;

    private Unrolled(Scope source) {
        this.source = source;
        this.target = new Scope(source.options());
        this.elements = new Node[source.graph().size()][];
        this.written = new BitSet[source.graph().size()];
    }

    /** The whole scalar view of what {@code roots} depend on, and of every leaf. */
    public static Unrolled of(Scope scope, Node... roots) {
        Graph graph = scope.graph();
        List<Node> needed = new ArrayList<>(List.of(roots));
        needed.addAll(graph.leaves());
        BitSet reach = graph.reachableFrom(needed.toArray(Node[]::new));
        BitSet[] all = new BitSet[graph.size()];
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            all[id] = everything(graph.get(id).shape());
        }
        Unrolled u = new Unrolled(scope);
        u.build(reach, all, all, null);
        return u;
    }

    /**
     * The scalar view of the paths from element {@code element} of {@code leaf} to the scalar
     * {@code root}: what depends on that element is written out, what does not is its value.
     *
     * @throws dev.chainrule.diag.ChainException (runtime) when a value on the way cannot be computed
     */
    public static Unrolled around(Scope scope, Node root, Node leaf, int element) {
        Graph graph = scope.graph();
        BitSet reach = graph.reachableFrom(root);
        Tensor[] values = Forward.values(graph, scope.leafValues(), reach, root);
        BitSet[] depends = new BitSet[graph.size()];
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            depends[id] = dependents(graph.get(id), leaf, element, depends);
        }
        BitSet[] reads = new BitSet[graph.size()];
        reads[root.id()] = everything(root.shape());
        for (int id = root.id(); id >= 0; id = reach.previousSetBit(id - 1)) {
            Node node = graph.get(id);
            if (reads[id] == null || node.arity() == 0) {
                continue;
            }
            BitSet expanded = (BitSet) reads[id].clone();
            expanded.and(depends[id]);
            if (!expanded.isEmpty()) {
                recordReads(node, expanded, reads);
            }
        }
        // the weight explained is in the view even where the root does not depend on it
        if (reads[leaf.id()] == null) {
            reads[leaf.id()] = new BitSet();
            depends[leaf.id()] = new BitSet();
        }
        reads[leaf.id()].set(element);
        BitSet read = new BitSet();
        for (int id = 0; id < reads.length; id++) {
            if (reads[id] != null) {
                read.set(id);
            }
        }
        Unrolled u = new Unrolled(scope);
        u.build(read, reads, depends, values);
        return u;
    }

    /** The scalar model: every name of the view, element by element. */
    public Scope scope() {
        return target;
    }

    /** Element {@code flat} of {@code node} (the root, or anything of the view under it) in the scalar view. */
    public Node element(Node node, int flat) {
        return elements[node.id()][flat];
    }

    private static BitSet everything(Shape shape) {
        BitSet all = new BitSet();
        all.set(0, shape.size());
        return all;
    }

    /** The elements of {@code node} that depend on element {@code element} of {@code leaf}. */
    private static BitSet dependents(Node node, Node leaf, int element, BitSet[] depends) {
        if (node.arity() == 0) {
            BitSet own = new BitSet();
            if (node == leaf) {
                own.set(element);
            }
            return own;
        }
        BitSet a = depends[node.input(0).id()];
        BitSet b = node.arity() > 1 ? depends[node.input(1).id()] : new BitSet();
        if (a.isEmpty() && b.isEmpty()) {
            return new BitSet();
        }
        Shape sb = node.arity() > 1 ? node.input(1).shape() : null;
        return node.op().dependents(node.input(0).shape(), sb, node.shape(), node.attrs(), a, node.arity() > 1 ? b : null);
    }

    /** Adds to {@code reads} the input elements that writing out the {@code expanded} elements of {@code node} reads. */
    private static void recordReads(Node node, BitSet expanded, BitSet[] reads) {
        Reads recorder = new Reads();
        Integer[] a = Reads.tokens(node.input(0).shape().size(), 0);
        Integer[] b = node.arity() > 1 ? Reads.tokens(node.input(1).shape().size(), 1) : null;
        Integer[] result = node.op().unroll(recorder, a, b, node.input(0).shape(), node.arity() > 1 ? node.input(1).shape() : null,
                node.shape(), node.attrs(), expanded);
        for (Integer token : result) {
            recorder.record(token);
        }
        for (int k = 0; k < node.arity(); k++) {
            int input = node.input(k).id();
            if (reads[input] == null) {
                reads[input] = new BitSet();
            }
            reads[input].or(recorder.read[k]);
        }
    }

    /**
     * Scalars that are the input elements themselves (a token per element: its index, input b's
     * offset by 2^30) and record every one an expansion touches.
     */
    private static final class Reads implements Scalars<Integer> {
        private static final int B = 1 << 30;
        final BitSet[] read = {new BitSet(), new BitSet()};

        static Integer[] tokens(int size, int input) {
            Integer[] tokens = new Integer[size];
            for (int i = 0; i < size; i++) {
                tokens[i] = input * B + i;
            }
            return tokens;
        }

        void record(Integer token) {
            if (token != null) {
                read[token / B].set(token % B);
            }
        }

        @Override
        public Integer constant(double value) {
            return null;
        }

        @Override
        public Integer apply(Op op, Integer a) {
            record(a);
            return null;
        }

        @Override
        public Integer apply(Op op, Integer a, Integer b) {
            record(a);
            record(b);
            return null;
        }
    }

    /** Scalars that are nodes of the view's graph, written exactly as the tensor expression computes them. */
    private Scalars<Node> nodes() {
        Graph g = target.graph();
        return new Scalars<>() {
            @Override
            public Node constant(double value) {
                return g.constant(value);
            }

            @Override
            public Node apply(Op op, Node a) {
                return g.node(op, a);
            }

            @Override
            public Node apply(Op op, Node a, Node b) {
                return g.node(op, a, b);
            }
        };
    }

    /**
     * Makes the elements {@code wanted[id]} of each node of {@code ids}, in id order: those in
     * {@code expand[id]} written out by the op table, the others (only in {@link #around}) as
     * their values from {@code values}.
     */
    private void build(BitSet ids, BitSet[] wanted, BitSet[] expand, Tensor[] values) {
        Graph graph = source.graph();
        Graph scalars = target.graph();
        Scalars<Node> nodes = nodes();
        for (int id = ids.nextSetBit(0); id >= 0; id = ids.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            int before = scalars.size();
            Node[] out = new Node[node.shape().size()];
            BitSet written = (BitSet) wanted[id].clone();
            written.and(expand[id]);
            if (node.isLeaf()) {
                declare(node, wanted[id], out);
            } else if (node.isConstant()) {
                for (int i = wanted[id].nextSetBit(0); i >= 0; i = wanted[id].nextSetBit(i + 1)) {
                    out[i] = scalars.constant(node.constantTensor().get(i));
                }
            } else if (!written.isEmpty()) {
                Node[] b = node.arity() > 1 ? elements[node.input(1).id()] : null;
                Node[] made = node.op().unroll(nodes, elements[node.input(0).id()], b, node.input(0).shape(),
                        node.arity() > 1 ? node.input(1).shape() : null, node.shape(), node.attrs(), written);
                for (int i = written.nextSetBit(0); i >= 0; i = written.nextSetBit(i + 1)) {
                    out[i] = made[i];
                }
            }
            BitSet valued = (BitSet) wanted[id].clone();
            valued.andNot(expand[id]);
            if (!node.isLeaf() && !node.isConstant() && !valued.isEmpty()) {
                valuesOf(node, valued, values[id], out);
            }
            elements[id] = out;
            this.written[id] = written;
            // the scalar nodes of an element stand where the tensor expression is written
            Span span = graph.span(node);
            if (span != null) {
                scalars.markFrom(before, span);
            }
        }
        nameElements();
    }

    /** The wanted elements of a leaf, each a leaf of the view named like {@code W1[0, 1]}, with its value. */
    private void declare(Node leaf, BitSet wanted, Node[] out) {
        Tensor value = source.leafValue(leaf);
        for (int i = wanted.nextSetBit(0); i >= 0; i = wanted.nextSetBit(i + 1)) {
            String name = Tensors.element(leaf.leafName(), leaf.shape(), i);
            out[i] = target.declare(name, leaf.leafKind(), Tensor.scalar(value.get(i)), source.definedAt(leaf.leafName()));
        }
    }

    /**
     * Elements that do not depend on the weight explained: a named tensor's as scalars of the view
     * named like {@code z[2]} and holding their values, an unnamed one's as numbers.
     */
    private void valuesOf(Node node, BitSet valued, Tensor value, Node[] out) {
        String name = source.nameOf(node);
        for (int i = valued.nextSetBit(0); i >= 0; i = valued.nextSetBit(i + 1)) {
            String element = name == null ? null : Tensors.element(name, node.shape(), i);
            if (element != null && target.lookup(element) == null) {
                out[i] = target.declare(element, dev.chainrule.graph.LeafKind.INPUT, Tensor.scalar(value.get(i)),
                        source.definedAt(name));
            } else {
                out[i] = element != null ? target.lookup(element) : target.graph().constant(value.get(i));
            }
        }
    }

    /**
     * Names the written-out elements of each named node after it, element by element, in the
     * model's order of names, the names made inside calls ({@code h1.net[0]}) after the others.
     */
    private void nameElements() {
        for (String name : source.allNames()) {
            Node node = source.find(name);
            if (node.isLeaf() || elements[node.id()] == null) {
                continue;
            }
            BitSet done = written[node.id()];
            for (int i = done.nextSetBit(0); i >= 0; i = done.nextSetBit(i + 1)) {
                String element = Tensors.element(name, node.shape(), i);
                if (target.lookup(element) == null) {
                    target.define(element, elements[node.id()][i], source.definedAt(name));
                }
            }
        }
    }
}
