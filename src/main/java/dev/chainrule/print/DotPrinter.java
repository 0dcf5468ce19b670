package dev.chainrule.print;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Notation;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
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
 *
 * <p>A drawing may highlight the paths from one node to the root, the picture of an explanation:
 * the nodes on them are filled, and each edge between two of them is drawn bold and carries its
 * local derivative.
 */
public final class DotPrinter {
    /** The colour of highlighted paths. */
    private static final String PATH_COLOUR = "#c2410c";
    /** The fill of the nodes on them. */
    private static final String PATH_FILL = "#ffedd5";

    private DotPrinter() {
    }

    /**
     * What a drawing highlights: the nodes on the paths from one node to the root, and, for each
     * edge between two of them (keyed by {@link #edge}), the lines written on it.
     */
    public record Highlight(BitSet nodes, Map<Long, List<String>> notes) {
        /** The key of the edge into input {@code k} of {@code consumer}: an input used twice ({@code x·x}) has two edges. */
        public static long edge(Node consumer, int k) {
            return (long) consumer.id() * 2 + k;
        }
    }

    /**
     * @param values    node values by id
     * @param gradients {@code ∂root/∂node} by id, null entries where no gradient flows
     * @param highlight the paths to draw out, or null for none
     */
    public static String print(Graph graph, Node root, Function<Node, String> names, Tensor[] values,
                               Object[] gradients, Highlight highlight, int digits) {
        BitSet reach = graph.reachableFrom(root);
        StringBuilder out = new StringBuilder("digraph chainrule {\n  rankdir=LR;\n  node [shape=record, fontname=\"Helvetica\"];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=10];\n");
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            out.append("  n").append(id).append(" [label=\"").append(label(node, names, values, gradients, digits)).append("\"");
            boolean onPath = highlight != null && highlight.nodes().get(id);
            if (node == root) {
                out.append(onPath ? ", style=\"bold,filled\", fillcolor=\"" + PATH_FILL + "\", color=\"" + PATH_COLOUR + "\"" : ", style=bold");
            } else if (onPath) {
                out.append(", style=filled, fillcolor=\"" + PATH_FILL + "\", color=\"" + PATH_COLOUR + "\", penwidth=2");
            } else if (node.isLeaf()) {
                out.append(", style=filled, fillcolor=\"#eef5ff\"");
            }
            out.append("];\n");
        }
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            for (int k = 0; k < node.arity(); k++) {
                out.append("  n").append(node.input(k).id()).append(" -> n").append(id).append(edge(node, k, highlight)).append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    /**
     * The attributes of the edge into input {@code k}: the input's name where the operation's
     * inputs do not commute, and on a highlighted path the local derivative below it, bold.
     */
    private static String edge(Node node, int k, Highlight highlight) {
        List<String> lines = new ArrayList<>();
        String role = node.op().operandName(k);
        if (role != null) {
            lines.add(role);
        }
        List<String> note = highlight == null ? null : highlight.notes().get(Highlight.edge(node, k));
        if (note != null) {
            lines.addAll(note);
        }
        if (lines.isEmpty()) {
            return "";
        }
        StringBuilder attributes = new StringBuilder(" [label=\"");
        for (int i = 0; i < lines.size(); i++) {
            attributes.append(i > 0 ? "\\n" : "").append(quoted(lines.get(i)));
        }
        attributes.append('"');
        if (note != null) {
            attributes.append(", color=\"" + PATH_COLOUR + "\", fontcolor=\"" + PATH_COLOUR + "\", penwidth=2.5");
        }
        return attributes.append(']').toString();
    }

    /** The record of one node: its name (if any), what it is, its value and its gradient, each a field (one above the other, as the graph runs left to right). */
    private static String label(Node node, Function<Node, String> names, Tensor[] values, Object[] gradients, int digits) {
        String name = node.isLeaf() ? node.leafName() : names.apply(node);
        String what = what(node);
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

    /**
     * What a node is, in a word: its number for a scalar constant, {@code constant} for another,
     * its keyword for a leaf ({@code param}), the operation as the user writes it otherwise
     * ({@code +}, {@code sigmoid}, {@code [0:2]}). Every drawing of the graph labels nodes by it.
     */
    public static String what(Node node) {
        return node.isConstant() ? (node.isScalarConstant() ? Numbers.shortest(node.constantValue()) : "constant")
                : node.isLeaf() ? node.leafKind().keyword()
                // a slice or element is written as the user writes it, x[0:2], not by the op's inner name
                : node.op() == dev.chainrule.graph.op.Op.INDEX ? "[" + dev.chainrule.tensor.Indexing.text(node.attrs(), node.input(0).shape()) + "]"
                : node.op().notation().fixity() == Notation.Fixity.CALL
                ? node.op().functionName() : node.op().notation().text();
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
