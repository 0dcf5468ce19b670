package dev.chainrule.graph;

import java.util.List;

/**
 * The hash-consing table of a {@link Graph}: open addressing over node ids, so looking a node up
 * allocates nothing. A node's identity is its operation with its attributes and input ids, or,
 * for a constant, its value (shape and element bits).
 */
final class InternTable {
    private final List<Node> nodes;
    /** Node id + 1 in each used slot, 0 in a free one. */
    private int[] slots = new int[1 << 10];
    private int used;

    InternTable(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** The id of the node {@code op[attrs](a, b)}, or -1. */
    int find(Op op, int[] attrs, int a, int b) {
        int mask = slots.length - 1;
        for (int i = hash(op, attrs, a, b) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            Node node = nodes.get(slot - 1);
            if (node.op() == op && !node.isConstant() && sameInputs(node, a, b) && sameAttrs(node, attrs)) {
                return slot - 1;
            }
        }
    }

    /** The id of the constant node holding {@code value}, or -1. */
    int findConstant(Tensor value) {
        int mask = slots.length - 1;
        for (int i = mix(value.hashCode()) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            Node node = nodes.get(slot - 1);
            if (node.isConstant() && node.constantTensor().equals(value)) {
                return slot - 1;
            }
        }
    }

    /** Records a node that {@link #find} did not find. */
    void add(Node node) {
        if (2 * (used + 1) > slots.length) {
            grow();
        }
        insert(node);
        used++;
    }

    private void insert(Node node) {
        int mask = slots.length - 1;
        int i = hash(node) & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = node.id() + 1;
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        for (int slot : old) {
            if (slot != 0) {
                insert(nodes.get(slot - 1));
            }
        }
    }

    private static int hash(Node node) {
        if (node.isConstant()) {
            return mix(node.constantTensor().hashCode());
        }
        return hash(node.op(), node.attrs(), node.input(0).id(), node.arity() > 1 ? node.input(1).id() : -1);
    }

    private static int hash(Op op, int[] attrs, int a, int b) {
        long h = op.ordinal() * 0x9E3779B97F4A7C15L;
        h = (h ^ a) * 0xBF58476D1CE4E5B9L;
        h = (h ^ b) * 0x94D049BB133111EBL;
        for (int attr : attrs) {
            h = (h ^ attr) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 31) ^ (h >>> 17));
    }

    private static int mix(int h) {
        long x = h * 0x9E3779B97F4A7C15L;
        return (int) (x ^ (x >>> 29));
    }

    private static boolean sameInputs(Node node, int a, int b) {
        return node.input(0).id() == a && (node.arity() < 2 || node.input(1).id() == b);
    }

    private static boolean sameAttrs(Node node, int[] attrs) {
        if (node.attrsLength() != attrs.length) {
            return false;
        }
        for (int i = 0; i < attrs.length; i++) {
            if (node.attr(i) != attrs[i]) {
                return false;
            }
        }
        return true;
    }
}
