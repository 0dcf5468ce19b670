package dev.chainrule.explain;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;

/** The part of a graph that one named node's definition covers. */
final class Regions {
    private Regions() {
    }

    /**
     * The involved nodes of {@code root}'s definition: the root, the unnamed nodes under it, and
     * the named nodes where that stops, in descending id order. Found by a work list, so explaining
     * a long chain of named nodes costs time linear in its length.
     */
    static int[] definition(Graph graph, Node root, BitSet involved, Predicate<Node> named) {
        Set<Integer> seen = new HashSet<>();
        Deque<Node> work = new ArrayDeque<>();
        seen.add(root.id());
        work.push(root);
        while (!work.isEmpty()) {
            Node node = work.pop();
            if (node != root && named.test(node)) {
                continue;
            }
            for (int k = 0; k < node.arity(); k++) {
                Node input = node.input(k);
                if (involved.get(input.id()) && seen.add(input.id())) {
                    work.push(input);
                }
            }
        }
        return seen.stream().mapToInt(id -> -id).sorted().map(id -> -id).toArray();
    }
}
