package dev.chainrule.explain;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import java.util.BitSet;
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
        return Graph.below(root, node -> !named.test(node), input -> involved.get(input.id()));
    }
}
