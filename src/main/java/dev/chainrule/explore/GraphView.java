package dev.chainrule.explore;

import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.print.DotPrinter;
import dev.chainrule.print.Tensors;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * The graph under an output as a drawing needs it: each node with its name, what it is, its value
 * and its gradient (the output's derivative with respect to it) as short lines of text, placed in
 * a column and a row so that every edge runs left to right. The layout is a layered one: a node's
 * column is one past its furthest input (leaves and constants sit just left of their first
 * consumer), and the rows in each column are ordered by the mean row of their neighbours, sweeping
 * right, left and right again, which keeps most edges short and uncrossed. Loops only, no
 * recursion: a graph as deep as the user likes is laid out in linear time per sweep.
 */
public final class GraphView {
    /** Graphs with more nodes than this are not drawn: the view says how many there are. */
    public static final int MAX_DRAWN = 3000;

    /** One node of the drawing; {@code grad} is null where no gradient reaches it. */
    public record ViewNode(int id, String name, String op, String kind, boolean leaf, List<String> value,
                           List<String> grad, int layer, int row) {
    }

    /** The edge into input {@code k} of {@code to}; {@code role} names the input where the operation's inputs do not commute. */
    public record Edge(int from, int to, int k, String role) {
    }

    /** The drawing: {@code total} nodes under the output, {@code nodes} those drawn (none past {@link #MAX_DRAWN}). */
    public record View(String output, int total, int shown, int layers, List<ViewNode> nodes, List<Edge> edges) {
    }

    private GraphView() {
    }

    /** The graph under {@code output} (named {@code label}), with values and gradients at the model's current leaf values. */
    public static View of(Model model, Node output, String label, int digits) {
        Graph graph = model.graph();
        BitSet reach = graph.reachableFrom(output);
        int total = reach.cardinality();
        if (total > MAX_DRAWN) {
            return new View(label, total, 0, 0, List.of(), List.of());
        }
        Tensor[] values = Forward.values(graph, model.scope().leafValues(), reach, output);
        Object[] gradients = output.shape().isScalar()
                ? Gradients.numericAdjoints(graph, values, output, graph.leaves()) : new Object[0];
        int[] ids = reach.stream().toArray();
        int[] layer = layers(graph, ids, reach);
        int[] row = rows(graph, ids, reach, layer);
        List<ViewNode> nodes = new ArrayList<>(ids.length);
        List<Edge> edges = new ArrayList<>();
        int layers = 0;
        for (int id : ids) {
            Node node = graph.get(id);
            String name = node.isLeaf() ? node.leafName() : model.scope().nameOf(node);
            Object g = id < gradients.length ? gradients[id] : null;
            nodes.add(new ViewNode(id, name, DotPrinter.what(node), kind(node), node.isLeaf(),
                    Tensors.brief(values[id], digits), g == null ? null : Tensors.brief((Tensor) g, digits), layer[id], row[id]));
            layers = Math.max(layers, layer[id] + 1);
            for (int k = 0; k < node.arity(); k++) {
                edges.add(new Edge(node.input(k).id(), id, k, node.op().operandName(k)));
            }
        }
        return new View(label, total, nodes.size(), layers, nodes, edges);
    }

    static String kind(Node node) {
        return node.isConstant() ? "constant" : node.isLeaf() ? node.leafKind().keyword() : "op";
    }

    /**
     * Columns: one past the furthest input for an operation; for a leaf or constant, one before
     * its nearest consumer, so that an input used late is not drawn far to the left of its use.
     * Ids are a topological order (inputs are made before their consumers).
     */
    static int[] layers(Graph graph, int[] ids, BitSet reach) {
        int[] layer = new int[graph.size()];
        for (int id : ids) {
            Node node = graph.get(id);
            int l = 0;
            for (int k = 0; k < node.arity(); k++) {
                l = Math.max(l, layer[node.input(k).id()] + 1);
            }
            layer[id] = l;
        }
        int[] nearest = new int[graph.size()];
        java.util.Arrays.fill(nearest, Integer.MAX_VALUE);
        for (int id : ids) {
            Node node = graph.get(id);
            for (int k = 0; k < node.arity(); k++) {
                int in = node.input(k).id();
                nearest[in] = Math.min(nearest[in], layer[id]);
            }
        }
        for (int id : ids) {
            Node node = graph.get(id);
            if (node.arity() == 0 && nearest[id] != Integer.MAX_VALUE) {
                layer[id] = nearest[id] - 1;
            }
        }
        return layer;
    }

    /** Rows within each column, ordered by the mean row of each node's neighbours, three sweeps. */
    static int[] rows(Graph graph, int[] ids, BitSet reach, int[] layer) {
        int layers = 0;
        for (int id : ids) {
            layers = Math.max(layers, layer[id] + 1);
        }
        List<List<Integer>> columns = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            columns.add(new ArrayList<>());
        }
        for (int id : ids) {
            columns.get(layer[id]).add(id);
        }
        // consumers of each node, for the sweeps that look right
        int[][] consumers = consumers(graph, ids);
        int[] row = new int[graph.size()];
        for (List<Integer> column : columns) {
            for (int i = 0; i < column.size(); i++) {
                row[column.get(i)] = i;
            }
        }
        double[] key = new double[graph.size()];
        for (int sweep = 0; sweep < 3; sweep++) {
            boolean rightward = sweep % 2 == 0;
            for (int c = 0; c < layers; c++) {
                List<Integer> column = columns.get(rightward ? c : layers - 1 - c);
                for (int id : column) {
                    Node node = graph.get(id);
                    double sum = 0;
                    int count = 0;
                    if (rightward && node.arity() > 0) {
                        for (int k = 0; k < node.arity(); k++) {
                            sum += row[node.input(k).id()];
                            count++;
                        }
                    } else {
                        for (int consumer : consumers[id]) {
                            sum += row[consumer];
                            count++;
                        }
                    }
                    key[id] = count == 0 ? row[id] : sum / count;
                }
                column.sort(Comparator.comparingDouble((Integer id) -> key[id]).thenComparingInt(id -> id));
                for (int i = 0; i < column.size(); i++) {
                    row[column.get(i)] = i;
                }
            }
        }
        return row;
    }

    /** The consumers of each node among {@code ids}, by id (an input used twice is listed twice). */
    static int[][] consumers(Graph graph, int[] ids) {
        int[] count = new int[graph.size()];
        for (int id : ids) {
            Node node = graph.get(id);
            for (int k = 0; k < node.arity(); k++) {
                count[node.input(k).id()]++;
            }
        }
        int[][] consumers = new int[graph.size()][];
        for (int id : ids) {
            consumers[id] = new int[count[id]];
            count[id] = 0;
        }
        for (int id : ids) {
            Node node = graph.get(id);
            for (int k = 0; k < node.arity(); k++) {
                int in = node.input(k).id();
                consumers[in][count[in]++] = id;
            }
        }
        return consumers;
    }
}
