package dev.chainrule.graph;

import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;

/**
 * One operation in a {@link Graph}. Nodes are immutable and interned: two nodes with the same
 * operation, attributes and inputs (or the same constant, or the same leaf name) are one object.
 * A node's inputs always have smaller ids than the node, and its shape is known when it is made.
 */
public final class Node {
    /** The attributes of an operation that has none. */
    public static final int[] NO_ATTRS = new int[0];

    private final int id;
    private final Op op;
    /** The inputs, in fields rather than an array: one object per node, not two. */
    private final Node a;
    private final Node b;
    private final int[] attrs;
    private final Shape shape;
    /**
     * What only some nodes have, in one field so that an operation node (nearly all of a large
     * graph) is 40 bytes: a constant's {@link Tensor}, a leaf's {@link Leaf}, else null.
     */
    private final Object extra;

    /** What a leaf node has besides its shape. */
    private record Leaf(String name, LeafKind kind, int index) {
    }

    private Node(int id, Op op, Node a, Node b, int[] attrs, Shape shape, Object extra) {
        this.id = id;
        this.op = op;
        this.a = a;
        this.b = b;
        this.attrs = attrs;
        this.shape = shape;
        this.extra = extra;
    }

    static Node constant(int id, Tensor value) {
        return new Node(id, Op.CONSTANT, null, null, NO_ATTRS, value.shape(), value);
    }

    static Node leaf(int id, String name, LeafKind kind, Shape shape, int leafIndex) {
        return new Node(id, Op.LEAF, null, null, NO_ATTRS, shape, new Leaf(name, kind, leafIndex));
    }

    static Node operation(int id, Op op, int[] attrs, Shape shape, Node a, Node b) {
        return new Node(id, op, a, b, attrs.length == 0 ? NO_ATTRS : attrs.clone(), shape, null);
    }

    /** Position in the graph; inputs have smaller ids, so id order is topological. */
    public int id() {
        return id;
    }

    public Op op() {
        return op;
    }

    public int arity() {
        return a == null ? 0 : b == null ? 1 : 2;
    }

    public Node input(int k) {
        if (k < 0 || k >= arity()) {
            throw new IndexOutOfBoundsException("input " + k + " of a node of " + arity() + " inputs");
        }
        return k == 0 ? a : b;
    }

    /** The operation's attributes (an axis, a target shape); empty for most operations. */
    public int[] attrs() {
        return attrs.length == 0 ? NO_ATTRS : attrs.clone();
    }

    int attrsLength() {
        return attrs.length;
    }

    int attr(int i) {
        return attrs[i];
    }

    public Shape shape() {
        return shape;
    }

    public boolean isConstant() {
        return op == Op.CONSTANT;
    }

    /** True for a constant whose every element equals {@code value} (a scalar, or a tensor filled with it). */
    public boolean isConstant(double value) {
        if (op != Op.CONSTANT) {
            return false;
        }
        Tensor constant = (Tensor) extra;
        for (int i = 0; i < constant.size(); i++) {
            if (constant.get(i) != value) {
                return false;
            }
        }
        return true;
    }

    /** True for a constant that is a single number. */
    public boolean isScalarConstant() {
        return op == Op.CONSTANT && shape.isScalar();
    }

    public boolean isLeaf() {
        return op == Op.LEAF;
    }

    /** The value of a scalar constant node. */
    public double constantValue() {
        return constantTensor().item();
    }

    /** The value of a constant node. */
    public Tensor constantTensor() {
        return extra instanceof Tensor t ? t : null;
    }

    /** The declared name of a leaf node. */
    public String leafName() {
        return extra instanceof Leaf leaf ? leaf.name() : null;
    }

    /** Whether a leaf is an input or a param. */
    public LeafKind leafKind() {
        return extra instanceof Leaf leaf ? leaf.kind() : null;
    }

    /** A leaf's position among the graph's leaves (0, 1, ...), where its value is bound. */
    public int leafIndex() {
        return extra instanceof Leaf leaf ? leaf.index() : -1;
    }

    @Override
    public String toString() {
        if (isLeaf()) {
            return leafName();
        }
        if (isConstant()) {
            return extra.toString();
        }
        StringBuilder s = new StringBuilder(op.name()).append('#').append(id).append('(');
        for (int k = 0; k < arity(); k++) {
            s.append(k > 0 ? ", " : "").append('#').append(input(k).id);
        }
        return s.append(')').toString();
    }
}
