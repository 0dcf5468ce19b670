package dev.chainrule.explain;

import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.LocalDerivatives;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.print.DotPrinter;
import dev.chainrule.print.Tensors;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The picture of an explanation: the paths from one node up to the root, with the local
 * derivative {@code ∂consumer/∂input} written on each of their edges, for a drawing to highlight.
 * The chain rule reads off it: the derivative of the root with respect to the node is the sum, over
 * the paths, of the product of the numbers along each.
 */
public final class Paths {
    private Paths() {
    }

    /**
     * The highlight of the paths from {@code from} to {@code root}; empty when the root does not
     * depend on it.
     *
     * @param values node values by id, at least those of the nodes under the root
     * @param digits significant digits of the numbers written
     */
    public static DotPrinter.Highlight of(Graph graph, Node root, Node from, Tensor[] values, int digits) {
        BitSet nodes = Gradients.involved(graph, root, List.of(from));
        Map<Long, List<String>> notes = new HashMap<>();
        for (int id = nodes.nextSetBit(0); id >= 0; id = nodes.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            for (int k = 0; k < node.arity(); k++) {
                if (nodes.get(node.input(k).id())) {
                    notes.put(DotPrinter.Highlight.edge(node, k), lines(LocalDerivatives.of(node, k, values), digits));
                }
            }
        }
        return new DotPrinter.Highlight(nodes, notes);
    }

    /**
     * A local derivative in a few short lines: a number between scalars; "element-wise" and the
     * summary of the partials where each element of a tensor depends on its own element only;
     * else "Jacobian" with the shapes it maps between, and its summary when it could be formed.
     */
    public static List<String> lines(LocalDerivatives.Local local, int digits) {
        String jacobian = "Jacobian " + local.out() + " by " + local.in();
        if (local.form() == LocalDerivatives.Form.TOO_LARGE) {
            return List.of(jacobian, "too large to show");
        }
        List<String> brief = Tensors.brief(local.value(), digits);
        if (local.out().isScalar() && local.in().isScalar()) {
            return brief;
        }
        List<String> lines = new ArrayList<>();
        // a Jacobian's header says its shape in its own terms; element-wise partials keep theirs after the word
        lines.add(local.form() == LocalDerivatives.Form.ELEMENTWISE ? "element-wise " + brief.get(0) : jacobian);
        lines.addAll(brief.subList(1, brief.size()));
        return lines;
    }
}
