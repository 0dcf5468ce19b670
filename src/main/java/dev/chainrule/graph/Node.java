package dev.chainrule.graph;

/**
 * One operation in a {@link Graph}. Nodes are immutable and interned: two nodes with the same
 * operation and the same inputs (or the same constant, or the same leaf name) are one object. A
 * node's inputs always have smaller ids than the node.
 */
public final class Node {
    private static final Node[] NO_INPUTS = new Node[0];

    private final int id;
    private final Op op;
    private final Node[] inputs;
    private final double constant;
    private final String leafName;
    private final LeafKind leafKind;
    private final int leafIndex;

    private Node(int id, Op op, Node[] inputs, double constant, String leafName, LeafKind leafKind,
                 int leafIndex) {
        this.id = id;
        this.op = op;
        this.inputs = inputs;
        this.constant = constant;
        this.leafName = leafName;
        this.leafKind = leafKind;
        this.leafIndex = leafIndex;
    }

    static Node constant(int id, double value) {
        return new Node(id, Op.CONSTANT, NO_INPUTS, value, null, null, -1);
    }

    static Node leaf(int id, String name, LeafKind kind, int leafIndex) {
        return new Node(id, Op.LEAF, NO_INPUTS, Double.NaN, name, kind, leafIndex);
    }

    static Node operation(int id, Op op, Node[] inputs) {
        return new Node(id, op, inputs, Double.NaN, null, null, -1);
    }

    /** Position in the graph; inputs have smaller ids, so id order is topological. */
    public int id() {
        return id;
    }

    public Op op() {
        return op;
    }

    public int arity() {
        return inputs.length;
    }

    public Node input(int k) {
        return inputs[k];
    }

    public Shape shape() {
        return Shape.SCALAR;
    }

    public boolean isConstant() {
        return op == Op.CONSTANT;
    }

    public boolean isConstant(double value) {
        return op == Op.CONSTANT && constant == value;
    }

    public boolean isLeaf() {
        return op == Op.LEAF;
    }

    /** The value of a constant node. */
    public double constantValue() {
        return constant;
    }

    /** The declared name of a leaf node. */
    public String leafName() {
        return leafName;
    }

    /** Whether a leaf is an input or a param. */
    public LeafKind leafKind() {
        return leafKind;
    }

    /** A leaf's position among the graph's leaves (0, 1, ...), where its value is bound. */
    public int leafIndex() {
        return leafIndex;
    }

    @Override
    public String toString() {
        if (isLeaf()) {
            return leafName;
        }
        if (isConstant()) {
            return Double.toString(constant);
        }
        StringBuilder s = new StringBuilder(op.name()).append('#').append(id).append('(');
        for (int k = 0; k < inputs.length; k++) {
            s.append(k > 0 ? ", " : "").append('#').append(inputs[k].id);
        }
        return s.append(')').toString();
    }
}
