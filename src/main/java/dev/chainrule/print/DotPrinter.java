package dev.chainrule.print;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;
import java.util.function.Function;

/**
 * Graphviz DOT of the graph under a root: one record per node with its name or operation, its
 * value and its gradient (the root's derivative with respect to that node), edges from inputs to
 * consumers, read left to right.
 */
public final class DotPrinter {
    private DotPrinter() {
    }

    /**
     * @param values    node values by id
     * @param gradients {@code ∂root/∂node} by id, null entries where no gradient flows
     */
    public static String print(Graph graph, Node root, Function<Node, String> names, Tensor[] values,
                               Object[] gradients, int digits) {
        BitSet reach = graph.reachableFrom(root);
        StringBuilder out = new StringBuilder("digraph chainrule {\n  rankdir=LR;\n  node [shape=record, fontname=\"Helvetica\"];\n");
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            String name = node.isLeaf() ? node.leafName() : names.apply(node);
            String what = node.isConstant() ? (node.isScalarConstant() ? Numbers.shortest(node.constantValue()) : "constant " + node.shape())
                    : node.isLeaf() ? node.leafKind().keyword()
                    : node.op().notation().fixity() == dev.chainrule.graph.op.Notation.Fixity.CALL
                    ? node.op().functionName() : node.op().notation().text();
            StringBuilder label = new StringBuilder("{ ");
            if (name != null) {
                label.append(escape(name)).append(" | ");
            }
            label.append(escape(what)).append(" | value ").append(escape(Tensors.format(values[id], digits)));
            Object g = id < gradients.length ? gradients[id] : null;
            if (g != null) {
                label.append(" | grad ").append(escape(Tensors.format((Tensor) g, digits)));
            }
            label.append(" }");
            out.append("  n").append(id).append(" [label=\"").append(label).append("\"");
            if (node == root) {
                out.append(", style=bold");
            } else if (node.isLeaf()) {
                out.append(", style=filled, fillcolor=\"#eef5ff\"");
            }
            out.append("];\n");
        }
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            for (int k = 0; k < node.arity(); k++) {
                out.append("  n").append(node.input(k).id()).append(" -> n").append(id).append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ("{}|<>\"\\".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
