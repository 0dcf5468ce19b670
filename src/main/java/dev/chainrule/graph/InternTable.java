package dev.chainrule.graph;

import java.util.List;

/**
 * The hash-consing table of a {@link Graph}: open addressing over node ids, so looking a node up
 * allocates nothing. A node's identity is its operation with its input ids, or, for a constant,
 * the bits of its value.
 */
final class InternTable {
    private final List<Node> nodes;
    /** Node id + 1 in each used slot, 0 in a free one. */
    private int[] slots = new int[1 << 10];
    private int used;

    InternTable(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** The id of the node {@code op(a, b)} (or the constant with {@code bits}), or -1. */
    int find(Op op, int a, int b, long bits) {
        int mask = slots.length - 1;
        for (int i = hash(op, a, b, bits) & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if (matches(nodes.get(slot - 1), op, a, b, bits)) {
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
        return node.isConstant()
                ? hash(Op.CONSTANT, -1, -1, Double.doubleToLongBits(node.constantValue()))
                : hash(node.op(), node.input(0).id(), node.arity() > 1 ? node.input(1).id() : -1, 0);
    }

    private static int hash(Op op, int a, int b, long bits) {
        long h = op.ordinal() * 0x9E3779B97F4A7C15L;
        h = (h ^ a) * 0xBF58476D1CE4E5B9L;
        h = (h ^ b) * 0x94D049BB133111EBL;
        h ^= bits * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 31) ^ (h >>> 17));
    }

    private static boolean matches(Node node, Op op, int a, int b, long bits) {
        if (node.op() != op) {
            return false;
        }
        if (op == Op.CONSTANT) {
            return Double.doubleToLongBits(node.constantValue()) == bits;
        }
        return node.input(0).id() == a && (node.arity() < 2 || node.input(1).id() == b);
    }
}
