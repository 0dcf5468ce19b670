package dev.chainrule.print;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Notation;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;
import java.util.List;
import java.util.function.Function;

/**
 * Graphviz DOT of the graph under a root: one record per node with its name or operation, its
 * value and its gradient (the root's derivative with respect to that node), edges from inputs to
 * consumers, read left to right. The fields of a record are stacked, so that a node is as narrow
 * as its longest line and a deep graph stays as wide as its depth needs.
 *
 * <p>A drawing must stay readable whatever the sizes: a scalar is written as its number, a tensor
 * as its shape and a summary ({@link Tensors#brief}), never whole. Where the inputs of an
 * operation cannot be swapped ({@code a - b}, {@code a / b}, {@code A @ B}), each edge is labelled
 * with what its input is to the operation, as the op table names it ({@link
 * dev.chainrule.graph.op.Op#operandName}).
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
        StringBuilder out = new StringBuilder("digraph chainrule {\n  rankdir=LR;\n  node [shape=record, fontname=\"Helvetica\"];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=10];\n");
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            out.append("  n").append(id).append(" [label=\"").append(label(node, names, values, gradients, digits)).append("\"");
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
                out.append("  n").append(node.input(k).id()).append(" -> n").append(id);
                String role = node.op().operandName(k);
                if (role != null) {
                    out.append(" [label=\"").append(quoted(role)).append("\"]");
                }
                out.append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    /** The record of one node: its name (if any), what it is, its value and its gradient, each a field (one above the other, as the graph runs left to right). */
    private static String label(Node node, Function<Node, String> names, Tensor[] values, Object[] gradients, int digits) {
        String name = node.isLeaf() ? node.leafName() : names.apply(node);
        String what = node.isConstant() ? (node.isScalarConstant() ? Numbers.shortest(node.constantValue()) : "constant")
                : node.isLeaf() ? node.leafKind().keyword()
                : node.op().notation().fixity() == Notation.Fixity.CALL
                ? node.op().functionName() : node.op().notation().text();
        StringBuilder label = new StringBuilder();
        if (name != null) {
            label.append(escape(name)).append(" | ");
        }
        label.append(escape(what)).append(" | ").append(lines("value", values[node.id()], digits));
        Object g = node.id() < gradients.length ? gradients[node.id()] : null;
        if (g != null) {
            label.append(" | ").append(lines("grad", (Tensor) g, digits));
        }
        return label.toString();
    }

    /** {@code value 0.5} for a scalar; for a tensor its shape after the word, and its summary on the lines below. */
    private static String lines(String word, Tensor t, int digits) {
        List<String> brief = Tensors.brief(t, digits);
        StringBuilder s = new StringBuilder(word).append(' ').append(escape(brief.get(0)));
        for (int i = 1; i < brief.size(); i++) {
            s.append("\\n").append(escape(brief.get(i)));
        }
        return s.toString();
    }

    /** Text for inside a record field, where braces, bars and angle brackets have meanings of their own. */
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

    /** Text for inside a quoted DOT string that is not a record: only quotes and backslashes are special. */
    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
