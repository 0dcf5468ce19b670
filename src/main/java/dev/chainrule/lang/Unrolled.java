package dev.chainrule.lang;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Op;
import dev.chainrule.graph.Shape;
import dev.chainrule.graph.Tensor;
import dev.chainrule.print.Tensors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A model with every tensor split into scalars: the scalar view a reader of the scalar tutorials
 * can follow weight by weight. Each element of a named tensor is named like {@code net_h[0]} or
 * {@code W1[0, 1]}; element-wise operations become one scalar operation per element (with
 * broadcasting resolved), {@code @} and sums become chains of products and additions, and the
 * softmax family is written out from {@code exp}, {@code log} and sums. Used for the per-weight
 * explanation of matrix models and as an oracle in tests.
 */
public final class Unrolled {
    private final Scope source;
    private final Scope target;
    private final Node[][] elements;

    private Unrolled(Scope source) {
        this.source = source;
        this.target = new Scope(source.options());
        this.elements = new Node[source.graph().size()][];
    }

    /**
     * The scalar view of what {@code roots} depend on, and of every leaf; names of the nodes in
     * it are carried over element by element.
     *
     * @throws IllegalArgumentException for an operation with no scalar form (argmax masks)
     */
    public static Unrolled of(Scope scope, Node... roots) {
        Unrolled u = new Unrolled(scope);
        u.run(roots);
        return u;
    }

    /** The scalar model: every name of the view, element by element. */
    public Scope scope() {
        return target;
    }

    /** Element {@code flat} of {@code node} (a root or anything under one) in the scalar view. */
    public Node element(Node node, int flat) {
        return elements[node.id()][flat];
    }

    private void run(Node... roots) {
        Graph graph = source.graph();
        List<Node> needed = new ArrayList<>(List.of(roots));
        needed.addAll(graph.leaves());
        BitSet reach = graph.reachableFrom(needed.toArray(Node[]::new));
        Graph scalars = target.graph();
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            int before = scalars.size();
            elements[id] = unroll(graph.get(id));
            // the scalar nodes of an element stand where the tensor expression is written
            dev.chainrule.diag.Span span = graph.span(graph.get(id));
            if (span != null) {
                scalars.markFrom(before, span);
            }
        }
        for (String name : source.names()) {
            Node node = source.lookup(name);
            if (node.isLeaf() || !reach.get(node.id())) {
                continue;
            }
            Node[] parts = elements[node.id()];
            for (int i = 0; i < parts.length; i++) {
                String element = Tensors.element(name, node.shape(), i);
                if (target.lookup(element) == null) {
                    target.define(element, parts[i], source.definedAt(name));
                }
            }
        }
    }

    private Graph g() {
        return target.graph();
    }

    private Node[] unroll(Node node) {
        Shape shape = node.shape();
        return switch (node.op().kind()) {
            case LEAF -> node.isConstant() ? constants(node.constantTensor()) : leaf(node);
            case ELEMENTWISE -> elementwise(node);
            case STRUCTURAL -> structural(node, shape);
        };
    }

    private Node[] constants(Tensor t) {
        Node[] out = new Node[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = g().constant(t.get(i));
        }
        return out;
    }

    private Node[] leaf(Node leaf) {
        Tensor value = source.leafValue(leaf);
        Node[] out = new Node[value.size()];
        for (int i = 0; i < out.length; i++) {
            String name = Tensors.element(leaf.leafName(), leaf.shape(), i);
            out[i] = target.declare(name, leaf.leafKind(), Tensor.scalar(value.get(i)), source.definedAt(leaf.leafName()));
        }
        return out;
    }

    /** Where each output element reads from an input that is broadcast to {@code to}. */
    private static int[] broadcastMap(Shape from, Shape to) {
        Tensor map = Tensor.positions(from).broadcastTo(to);
        int[] out = new int[map.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) map.get(i);
        }
        return out;
    }

    private Node[] elementwise(Node node) {
        Node[] a = elements[node.input(0).id()];
        Node[] out = new Node[node.shape().size()];
        int[] ia = broadcastMap(node.input(0).shape(), node.shape());
        if (node.arity() == 1) {
            for (int i = 0; i < out.length; i++) {
                out[i] = g().node(node.op(), a[ia[i]]);
            }
            return out;
        }
        Node[] b = elements[node.input(1).id()];
        int[] ib = broadcastMap(node.input(1).shape(), node.shape());
        for (int i = 0; i < out.length; i++) {
            out[i] = g().node(node.op(), a[ia[i]], b[ib[i]]);
        }
        return out;
    }

    private Node sum(List<Node> terms) {
        Node total = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            total = g().node(Op.ADD, total, terms.get(i));
        }
        return total;
    }

    /** For each output element, the input elements an axis reduction combines. */
    private static List<List<Integer>> groups(Shape in, int axis) {
        Shape kept = axis < 0 ? Shape.SCALAR : keep(in, axis);
        int[] target = broadcastMap(kept, in);
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < target.length; i++) {
            groups.get(target[i]).add(i);
        }
        return groups;
    }

    private static Shape keep(Shape in, int axis) {
        int[] dims = in.dims();
        dims[axis] = 1;
        return Shape.of(dims);
    }

    private Node[] structural(Node node, Shape shape) {
        Node[] a = elements[node.input(0).id()];
        Shape in = node.input(0).shape();
        int[] attrs = node.attrs();
        switch (node.op()) {
            case MATMUL -> {
                Node[] b = elements[node.input(1).id()];
                Shape bs = node.input(1).shape();
                int m = in.rank() == 2 ? in.dim(0) : 1;
                int n = in.dim(in.rank() - 1);
                int p = bs.rank() == 2 ? bs.dim(1) : 1;
                Node[] out = new Node[m * p];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < p; j++) {
                        List<Node> terms = new ArrayList<>();
                        for (int k = 0; k < n; k++) {
                            terms.add(g().node(Op.MUL, a[i * n + k], b[k * p + j]));
                        }
                        out[i * p + j] = sum(terms);
                    }
                }
                return out;
            }
            case TRANSPOSE, RESHAPE, INDEX, BROADCAST_TO -> {
                Tensor map = node.op().evaluate(Tensor.positions(in), null, attrs);
                Node[] out = new Node[shape.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = a[(int) map.get(i)];
                }
                return out;
            }
            case SUM, SUM_TO -> {
                int axis = node.op() == Op.SUM ? attrs[0] : -2;
                List<List<Integer>> groups = node.op() == Op.SUM ? groups(in, axis) : sumToGroups(in, shape);
                Node[] out = new Node[groups.size()];
                for (int i = 0; i < out.length; i++) {
                    List<Node> terms = new ArrayList<>();
                    groups.get(i).forEach(k -> terms.add(a[k]));
                    out[i] = sum(terms);
                }
                return out;
            }
            case SOFTMAX, LOG_SOFTMAX, LOGSUMEXP -> {
                List<List<Integer>> groups = groups(in, attrs[0]);
                Node[] out = new Node[shape.size()];
                for (int gi = 0; gi < groups.size(); gi++) {
                    List<Integer> line = groups.get(gi);
                    List<Node> exps = new ArrayList<>();
                    line.forEach(k -> exps.add(g().node(Op.EXP, a[k])));
                    Node total = sum(exps);
                    if (node.op() == Op.LOGSUMEXP) {
                        out[gi] = g().node(Op.LOG, total);
                        continue;
                    }
                    Node logTotal = g().node(Op.LOG, total);
                    for (int j = 0; j < line.size(); j++) {
                        int k = line.get(j);
                        out[k] = node.op() == Op.SOFTMAX ? g().node(Op.DIV, exps.get(j), total) : g().node(Op.SUB, a[k], logTotal);
                    }
                }
                return out;
            }
            case MAX_ALL -> {
                Node best = a[0];
                for (int i = 1; i < a.length; i++) {
                    best = g().node(Op.MAX, best, a[i]);
                }
                return new Node[] {best};
            }
            case SCATTER -> {
                Tensor map = Op.INDEX.evaluate(Tensor.positions(shape), null, java.util.Arrays.copyOfRange(attrs, attrs.length / 2, attrs.length));
                Node zero = g().constant(0);
                Node[] out = new Node[shape.size()];
                java.util.Arrays.fill(out, zero);
                for (int i = 0; i < map.size(); i++) {
                    out[(int) map.get(i)] = a[i];
                }
                return out;
            }
            default -> throw new IllegalArgumentException("the scalar view has no form for " + node.op());
        }
    }

    private static List<List<Integer>> sumToGroups(Shape in, Shape to) {
        int[] target = broadcastMap(to, in);
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < to.size(); i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < target.length; i++) {
            groups.get(target[i]).add(i);
        }
        return groups;
    }
}
