package dev.chainrule.graph;

import dev.chainrule.diag.Span;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;

/**
 * A store of interned nodes. Asking for a node that exists returns it (hash-consing), so a name
 * used twice is one node and identical subexpressions are shared. Nodes are numbered in creation
 * order; since a node is made after its inputs, ascending id is a topological order and the
 * helpers here are plain loops over ids. Every new node is held to the graph's {@link Limits}
 * (its shape's elements, the count of nodes) before it is made.
 */
public final class Graph {
    private final List<Node> nodes = new ArrayList<>();
    /**
     * The input ids of each node by id (-1 where it has none): the graph's edges as two int arrays,
     * so that walking it ({@link #reachableFrom}) reads 8 bytes a node instead of the nodes.
     */
    private int[] in0 = new int[1024];
    private int[] in1 = new int[1024];
    /** Where each node was written, by id; grown only as far as a node is marked (nodes past it have none). */
    private Span[] spans = new Span[16];
    private final InternTable interned = new InternTable(nodes);
    private final Map<String, Node> leaves = new LinkedHashMap<>();
    private final List<Node> leafList = new ArrayList<>();
    private final Limits limits;

    /** A graph under the default {@link Limits}. */
    public Graph() {
        this(Limits.DEFAULT);
    }

    /** A graph whose nodes are held to {@code limits}. */
    public Graph(Limits limits) {
        this.limits = java.util.Objects.requireNonNull(limits);
    }

    /** The limits every node of this graph is checked against when it is made. */
    public Limits limits() {
        return limits;
    }

    /** The number of nodes; ids run from 0 to size() - 1. */
    public int size() {
        return nodes.size();
    }

    public Node get(int id) {
        return nodes.get(id);
    }

    /**
     * The id of input {@code k} (0 or 1) of node {@code id}, or -1 where it has none: the edge read
     * from the graph's arrays, not from the node (walks of large graphs read less memory).
     */
    public int inputId(int id, int k) {
        Objects.checkIndex(id, nodes.size());
        return k == 0 ? in0[id] : k == 1 ? in1[id] : -1;
    }

    /** The scalar constant node holding {@code value}. */
    public Node constant(double value) {
        return constant(Tensor.scalar(value));
    }

    /** The constant node holding {@code value}. */
    public Node constant(Tensor value) {
        int id = interned.findConstant(value);
        if (id >= 0) {
            return nodes.get(id);
        }
        limits.requireElements(value.shape());
        return add(Node.constant(nodes.size(), value));
    }

    /** Declares a new scalar leaf; the caller checks that the name is free. */
    public Node leaf(String name, LeafKind kind) {
        return leaf(name, kind, Shape.SCALAR);
    }

    /** Declares a new leaf of a shape; the caller checks that the name is free. */
    public Node leaf(String name, LeafKind kind, Shape shape) {
        if (leaves.containsKey(name)) {
            throw new IllegalStateException("leaf " + name + " exists");
        }
        limits.requireElements(shape);
        Node node = Node.leaf(nodes.size(), name, kind, shape, leafList.size());
        append(node);
        leaves.put(name, node);
        leafList.add(node);
        return node;
    }

    /**
     * A symbol: a leaf that stands for a value in a derivation (such as {@code δ_net_o}, the
     * adjoint a layer receives) and is never evaluated; it is not one of {@link #leaves()}.
     */
    public Node symbol(String name, Shape shape) {
        limits.requireElements(shape);
        Node node = Node.leaf(nodes.size(), name, LeafKind.INPUT, shape, -1);
        append(node);
        return node;
    }

    /** The leaf with this name, or null. */
    public Node leaf(String name) {
        return leaves.get(name);
    }

    /** All leaves in declaration order; leaf {@code i} has {@code leafIndex() == i}. */
    public List<Node> leaves() {
        return Collections.unmodifiableList(leafList);
    }

    /** The node applying {@code op} to {@code inputs}, exactly as written (no simplification). */
    public Node node(Op op, Node... inputs) {
        return node(op, Node.NO_ATTRS, inputs);
    }

    /** The node applying the unary {@code op} to {@code a} (no array made for the inputs). */
    public Node node(Op op, Node a) {
        return node(op, Node.NO_ATTRS, a, null, 1);
    }

    /** The node applying the binary {@code op} to {@code a} and {@code b} (no array made for the inputs). */
    public Node node(Op op, Node a, Node b) {
        return node(op, Node.NO_ATTRS, a, b, 2);
    }

    /**
     * The node applying {@code op} with attributes {@code attrs} to {@code inputs}, exactly as
     * written (no simplification).
     *
     * @throws ShapeException when the operation cannot take the inputs' shapes
     */
    public Node node(Op op, int[] attrs, Node... inputs) {
        if (inputs.length == 0 || inputs.length > 2) {
            throw new IllegalArgumentException(op + " takes " + op.arity() + " inputs, not " + inputs.length);
        }
        return node(op, attrs, inputs[0], inputs.length > 1 ? inputs[1] : null, inputs.length);
    }

    private Node node(Op op, int[] attrs, Node a, Node b, int arity) {
        if (arity != op.arity()) {
            throw new IllegalArgumentException(op + " takes " + op.arity() + " inputs, not " + arity);
        }
        int id = interned.find(op, attrs, a.id(), b != null ? b.id() : -1);
        if (id >= 0) {
            return nodes.get(id);
        }
        Shape shape = op.shape(a.shape(), b != null ? b.shape() : null, attrs);
        limits.requireElements(shape);
        return add(Node.operation(nodes.size(), op, attrs, shape, a, b));
    }

    private Node add(Node node) {
        append(node);
        interned.add(node);
        return node;
    }

    private void append(Node node) {
        int id = nodes.size();
        if (id >= limits.maxNodes()) {
            limits.requireNodes(id + 1L);
        }
        if (id == in0.length) {
            in0 = java.util.Arrays.copyOf(in0, 2 * id);
            in1 = java.util.Arrays.copyOf(in1, 2 * id);
        }
        in0[id] = node.arity() > 0 ? node.input(0).id() : -1;
        in1[id] = node.arity() > 1 ? node.input(1).id() : -1;
        nodes.add(node);
    }

    /** Where the node was first written in a source, or null for nodes the engine derived. */
    public Span span(Node node) {
        return node.id() < spans.length ? spans[node.id()] : null;
    }

    /**
     * Later places where an operation node was written again (hash-consing made them one node),
     * by id; only nodes written more than once have an entry.
     */
    private final Map<Integer, List<Span>> alsoAt = new java.util.HashMap<>();

    /** Records where a node was written, unless an earlier place is known. */
    public void mark(Node node, Span span) {
        reserveSpans(node.id() + 1);
        if (spans[node.id()] == null) {
            spans[node.id()] = span;
        }
    }

    /**
     * Records another place where an operation that already has a node was written again: an
     * error in it is then reported at the place the statement being run wrote it
     * ({@link #spanWithin}).
     */
    public void markAgain(Node node, Span span) {
        if (node.arity() == 0 || span == null || span.equals(span(node))) {
            return;
        }
        List<Span> places = alsoAt.computeIfAbsent(node.id(), id -> new ArrayList<>());
        if (!places.contains(span)) {
            places.add(span);
        }
    }

    /**
     * Where {@code node} was written in the computation of {@code within} (a set closed under
     * inputs, such as what a statement evaluates): a node written in several definitions (one
     * node, by hash-consing) is reported at the place on the line of a consumer that is part of
     * {@code within}, not at a definition the statement does not use. The first place otherwise.
     */
    public Span spanWithin(Node node, BitSet within) {
        Span first = span(node);
        List<Span> places = alsoAt.get(node.id());
        if (places == null || first == null) {
            return first;
        }
        for (int id = within.nextSetBit(node.id() + 1); id >= 0; id = within.nextSetBit(id + 1)) {
            if (in0[id] != node.id() && in1[id] != node.id()) {
                continue;
            }
            Span consumer = span(nodes.get(id));
            if (consumer == null) {
                continue;
            }
            if (sameLine(first, consumer)) {
                return first;
            }
            for (Span place : places) {
                if (sameLine(place, consumer)) {
                    return place;
                }
            }
        }
        return first;
    }

    private static boolean sameLine(Span a, Span b) {
        return a.source() == b.source() && a.line() == b.line();
    }

    /** Records {@code span} for every node from id {@code firstId} on that has no place yet. */
    public void markFrom(int firstId, Span span) {
        reserveSpans(nodes.size());
        for (int id = firstId; id < nodes.size(); id++) {
            if (spans[id] == null) {
                spans[id] = span;
            }
        }
    }

    private void reserveSpans(int size) {
        if (size > spans.length) {
            spans = java.util.Arrays.copyOf(spans, Math.max(size, spans.length * 2));
        }
    }

    /**
     * The ids of {@code root} and of the nodes under it, found by a work list without recursion,
     * in descending id order (reverse topological order): inputs are followed from the root and
     * from every node {@code expand} accepts, and an input is kept only when {@code keep} accepts
     * it. The cost is that of the part visited, not of the graph.
     */
    public static int[] below(Node root, java.util.function.Predicate<Node> expand, java.util.function.Predicate<Node> keep) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        java.util.Deque<Node> work = new java.util.ArrayDeque<>();
        seen.add(root.id());
        work.push(root);
        while (!work.isEmpty()) {
            Node node = work.pop();
            if (node != root && !expand.test(node)) {
                continue;
            }
            for (int k = 0; k < node.arity(); k++) {
                Node input = node.input(k);
                if (keep.test(input) && seen.add(input.id())) {
                    work.push(input);
                }
            }
        }
        return seen.stream().mapToInt(id -> -id).sorted().map(id -> -id).toArray();
    }

    /** The ids of every node that {@code roots} depend on, roots included. */
    public BitSet reachableFrom(Node... roots) {
        BitSet reach = new BitSet(size());
        int top = -1;
        for (Node root : roots) {
            reach.set(root.id());
            top = Math.max(top, root.id());
        }
        for (int id = top; id >= 0; id = reach.previousSetBit(id - 1)) {
            if (in0[id] >= 0) {
                reach.set(in0[id]);
                if (in1[id] >= 0) {
                    reach.set(in1[id]);
                }
            }
        }
        return reach;
    }

    /**
     * The ids, among {@code within}, of the nodes whose value depends on at least one node of
     * {@code sources} (sources included).
     */
    public BitSet dependents(BitSet sources, BitSet within) {
        BitSet depends = new BitSet(size());
        for (int id = within.nextSetBit(0); id >= 0; id = within.nextSetBit(id + 1)) {
            if (sources.get(id)) {
                depends.set(id);
                continue;
            }
            Node node = nodes.get(id);
            for (int k = 0; k < node.arity(); k++) {
                if (depends.get(node.input(k).id())) {
                    depends.set(id);
                    break;
                }
            }
        }
        return depends;
    }
}
