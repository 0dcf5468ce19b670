package dev.chainrule.graph;

import java.util.List;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;

/**
 * The hash-consing table of a {@link Graph}: looking a node up allocates nothing. A node's
 * identity is its operation with its attributes and input ids, or, for a constant, its value
 * (shape and element bits).
 *
 * <p>An operation is first looked for among the few nodes filed under its newest input (the input
 * with the larger id): {@link #LOCAL} slots per node id, in one array in id order. A graph is
 * built forwards, so the newest input is nearly always a node made a moment ago, its slots and
 * the nodes in them are still in cache, and a lookup costs no cache miss where a hash table of a
 * million nodes costs one per lookup (most of the time of building such a graph). A node whose
 * slots are full (an input with many consumers) files its further consumers in the hash table
 * and is marked, so only lookups under marked nodes, and constants, probe it.
 */
final class InternTable {
    /** Slots per node id for the operations whose newest input it is. */
    private static final int LOCAL = 4;
    private final List<Node> nodes;
    /** For node id k, slots k·LOCAL ... hold id + 1 of operations whose newest input is k (0: free). */
    private int[] local = new int[LOCAL * 1024];
    /** The ids whose slots are full, so that more of their consumers are in the hash table. */
    private final java.util.BitSet overflowed = new java.util.BitSet();
    /**
     * Two longs per slot: the node's full 64-bit hash, then its id + 1 (0 in a free slot). Probing
     * compares the hash before reading the node, so a miss touches one cache line of this array and
     * no node (on a 10^6-node graph the node reads were most of the build time), and growing never
     * recomputes a hash.
     */
    private long[] table = new long[2 << 10];
    private int used;
    /** Where the last missed lookup ended and its hash: {@link #add} of that node writes there. */
    private int freeIndex = -1;
    private long freeHash;

    InternTable(List<Node> nodes) {
        this.nodes = nodes;
    }

    /** The id of the node {@code op[attrs](a, b)}, or -1. */
    int find(Op op, int[] attrs, int a, int b) {
        int newest = Math.max(a, b);
        if (newest < local.length / LOCAL) {
            for (int i = newest * LOCAL, end = i + LOCAL; i < end && local[i] != 0; i++) {
                Node node = nodes.get(local[i] - 1);
                if (node.op() == op && sameInputs(node, a, b) && sameAttrs(node, attrs)) {
                    return local[i] - 1;
                }
            }
        }
        return overflowed.get(newest) ? findHashed(op, attrs, a, b) : -1;
    }

    private int findHashed(Op op, int[] attrs, int a, int b) {
        long h = hash(op, attrs, a, b);
        int mask = (table.length >> 1) - 1;
        for (int i = index(h) & mask; ; i = (i + 1) & mask) {
            long slot = table[2 * i + 1];
            if (slot == 0) {
                freeIndex = i;
                freeHash = h;
                return -1;
            }
            if (table[2 * i] == h) {
                Node node = nodes.get((int) slot - 1);
                if (node.op() == op && !node.isConstant() && sameInputs(node, a, b) && sameAttrs(node, attrs)) {
                    return (int) slot - 1;
                }
            }
        }
    }

    /** The id of the constant node holding {@code value}, or -1. */
    int findConstant(Tensor value) {
        long h = mix(value.hashCode());
        int mask = (table.length >> 1) - 1;
        for (int i = index(h) & mask; ; i = (i + 1) & mask) {
            long slot = table[2 * i + 1];
            if (slot == 0) {
                freeIndex = i;
                freeHash = h;
                return -1;
            }
            if (table[2 * i] == h) {
                Node node = nodes.get((int) slot - 1);
                if (node.isConstant() && node.constantTensor().equals(value)) {
                    return (int) slot - 1;
                }
            }
        }
    }

    /** Records a node that {@link #find} did not find. */
    void add(Node node) {
        if (!node.isConstant()) {
            int newest = node.arity() > 1 ? Math.max(node.input(0).id(), node.input(1).id()) : node.input(0).id();
            if (newest >= local.length / LOCAL) {
                local = java.util.Arrays.copyOf(local, Math.max(local.length * 2, (newest + 1) * LOCAL));
            }
            for (int i = newest * LOCAL, end = i + LOCAL; i < end; i++) {
                if (local[i] == 0) {
                    local[i] = node.id() + 1;
                    return;
                }
            }
            overflowed.set(newest);
        }
        addHashed(node);
    }

    private void addHashed(Node node) {
        long h = hash(node);
        if (4 * (used + 1) > table.length) {
            grow();
            insert(table, node.id() + 1, h);
        } else if (freeIndex >= 0 && freeHash == h && table[2 * freeIndex + 1] == 0) {
            table[2 * freeIndex] = h;
            table[2 * freeIndex + 1] = node.id() + 1;
        } else {
            insert(table, node.id() + 1, h);
        }
        freeIndex = -1;
        used++;
    }

    private static void insert(long[] table, long slot, long h) {
        int mask = (table.length >> 1) - 1;
        int i = index(h) & mask;
        while (table[2 * i + 1] != 0) {
            i = (i + 1) & mask;
        }
        table[2 * i] = h;
        table[2 * i + 1] = slot;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i + 1] != 0) {
                insert(table, old[i + 1], old[i]);
            }
        }
    }

    /** The first slot to probe for a hash. */
    private static int index(long h) {
        return (int) (h ^ (h >>> 32));
    }

    private static long hash(Node node) {
        if (node.isConstant()) {
            return mix(node.constantTensor().hashCode());
        }
        return hash(node.op(), node.attrs(), node.input(0).id(), node.arity() > 1 ? node.input(1).id() : -1);
    }

    private static long hash(Op op, int[] attrs, int a, int b) {
        long h = (op.ordinal() + 1) * 0x9E3779B97F4A7C15L;
        h = (h ^ a) * 0xBF58476D1CE4E5B9L;
        h = (h ^ b) * 0x94D049BB133111EBL;
        for (int attr : attrs) {
            h = (h ^ attr) * 0x9E3779B97F4A7C15L;
        }
        return h ^ (h >>> 31);
    }

    private static long mix(int h) {
        long x = (h + 0x632BE59BD9B4E019L) * 0x9E3779B97F4A7C15L;
        return x ^ (x >>> 29);
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
