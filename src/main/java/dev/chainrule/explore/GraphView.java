package dev.chainrule.explore;

import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.print.DotPrinter;
import dev.chainrule.print.Format;
import dev.chainrule.print.Tensors;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The graph under an output as a drawing needs it: each node with its name, what it is, its value
 * and its gradient (the output's derivative with respect to it) as short lines of text, placed in
 * a column and a row so that every edge runs left to right.
 *
 * <p>Two drawings: every operation of the graph ({@link #of}), or the model's names only
 * ({@link #overNames}), the network as a tutorial draws it, each edge a named node's local
 * derivative through its consumer's definition, the unnamed operations folded inside.
 *
 * <p>The layout is a layered one: a node's column is one past its furthest input (leaves and
 * constants sit just left of their first consumer), and the rows in each column are ordered by
 * the mean row of their neighbours, sweeping right, left and right again, which keeps most edges
 * short and uncrossed. Loops only, no recursion: a graph as deep as the user likes is laid out in
 * linear time per sweep.
 */
public final class GraphView {
    /** Graphs with more nodes than this are not drawn: the view says how many there are. */
    public static final int MAX_DRAWN = 3000;
    /** A named node's definition is written on it up to this many characters. */
    static final int DEFINITION_CHARS = 40;

    /** One node of the drawing; {@code grad} is null where no gradient reaches it. */
    public record ViewNode(int id, String name, String op, String kind, boolean leaf, List<String> value,
                           List<String> grad, int layer, int row) {
    }

    /**
     * The edge into input {@code k} of {@code to}; {@code role} names the input where the
     * operation's inputs do not commute. Over names, {@code local} is the local derivative
     * {@code ∂to/∂from} and {@code formula} that derivative in the model's names.
     */
    public record Edge(int from, int to, int k, String role, List<String> local, String formula) {
    }

    /**
     * The drawing: {@code total} nodes under the output, {@code nodes} those drawn (none past
     * {@link #MAX_DRAWN}); {@code names} when it is the drawing over names, and {@code note} why
     * not when that was asked for and could not be drawn.
     */
    public record View(String output, boolean names, int total, int shown, int layers, List<ViewNode> nodes, List<Edge> edges,
                       String note) {
        /** The same drawing, with a note on why it is not the one asked for. */
        View noted(String why) {
            return new View(output, names, total, shown, layers, nodes, edges, why);
        }
    }

    private GraphView() {
    }

    /** Every operation under {@code output} (named {@code label}), with values and gradients at the model's current leaf values. */
    public static View of(Model model, Node output, String label, int digits) {
        Graph graph = model.graph();
        BitSet reach = graph.reachableFrom(output);
        int total = reach.cardinality();
        if (total > MAX_DRAWN) {
            return new View(label, false, total, 0, 0, List.of(), List.of(), null);
        }
        Tensor[] values = Forward.values(graph, model.scope().leafValues(), reach, output);
        Object[] gradients = output.shape().isScalar()
                ? Gradients.numericAdjoints(graph, values, output, graph.leaves()) : new Object[0];
        int[] ids = reach.stream().toArray();
        int[][] place = layout(inputs(graph, ids));
        List<ViewNode> nodes = new ArrayList<>(ids.length);
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Node node = graph.get(ids[i]);
            nodes.add(viewNode(model, node, DotPrinter.what(node), values, gradients, digits, place[0][i], place[1][i]));
            for (int k = 0; k < node.arity(); k++) {
                edges.add(new Edge(node.input(k).id(), ids[i], k, node.op().operandName(k), null, null));
            }
        }
        return new View(label, false, total, nodes.size(), layers(place[0]), nodes, edges, null);
    }

    /**
     * The model's names under {@code output}: each named node and leaf the output depends on,
     * with its definition written in names, and an edge from each name to each named consumer it
     * appears in, carrying the local derivative through that consumer's definition (the factors
     * {@code explain} and the sweep over names write). Drawn for graphs of scalars.
     */
    public static View overNames(Model model, Node output, String label, int digits) {
        Graph graph = model.graph();
        BitSet reach = graph.reachableFrom(output);
        int total = reach.cardinality();
        if (total > MAX_DRAWN) {
            return new View(label, true, total, 0, 0, List.of(), List.of(), null);
        }
        NamedGraph named = NamedGraph.of(model, output, reach, "the graph over names is drawn for");
        Map<Integer, Map<Integer, Node>> locals = named.locals();
        TreeMap<Integer, Integer> index = new TreeMap<>();
        index.put(output.id(), 0);
        locals.forEach((consumer, ins) -> {
            index.put(consumer, 0);
            ins.keySet().forEach(input -> index.put(input, 0));
        });
        int[] ids = index.keySet().stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        Tensor[] values = named.values();
        Object[] gradients = named.adjoints();
        int[][] inputs = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            Map<Integer, Node> ins = locals.getOrDefault(ids[i], Map.of());
            inputs[i] = ins.keySet().stream().mapToInt(index::get).toArray();
        }
        int[][] place = layout(inputs);
        List<ViewNode> nodes = new ArrayList<>(ids.length);
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Node node = graph.get(ids[i]);
            String definition = node.isLeaf() ? node.leafKind().keyword() : model.print(node, Format.TEXT).expression();
            if (definition.length() > DEFINITION_CHARS) {
                definition = definition.substring(0, DEFINITION_CHARS - 1) + "…";
            }
            nodes.add(viewNode(model, node, definition, values, gradients, digits, place[0][i], place[1][i]));
            int k = 0;
            for (Map.Entry<Integer, Node> in : locals.getOrDefault(ids[i], Map.of()).entrySet()) {
                Node d = in.getValue();
                edges.add(new Edge(in.getKey(), ids[i], k++, null, Tensors.brief(values[d.id()], digits),
                        model.reference(d, Format.TEXT)));
            }
        }
        return new View(label, true, total, nodes.size(), layers(place[0]), nodes, edges, null);
    }

    private static ViewNode viewNode(Model model, Node node, String op, Tensor[] values, Object[] gradients, int digits,
                                     int layer, int row) {
        String name = model.scope().nameOf(node);
        Object g = node.id() < gradients.length ? gradients[node.id()] : null;
        return new ViewNode(node.id(), name, op, kind(node), node.isLeaf(), Tensors.brief(values[node.id()], digits),
                g == null ? null : Tensors.brief((Tensor) g, digits), layer, row);
    }

    static String kind(Node node) {
        return node.isConstant() ? "constant" : node.isLeaf() ? node.leafKind().keyword() : "op";
    }

    private static int layers(int[] layer) {
        int layers = 0;
        for (int l : layer) {
            layers = Math.max(layers, l + 1);
        }
        return layers;
    }

    /**
     * Columns and rows of a DAG given by each node's inputs, as indices of nodes before it: its
     * columns, then its rows ({@code [0]} and {@code [1]}).
     */
    static int[][] layout(int[][] inputs) {
        int n = inputs.length;
        int[] layer = new int[n];
        for (int i = 0; i < n; i++) {
            for (int in : inputs[i]) {
                layer[i] = Math.max(layer[i], layer[in] + 1);
            }
        }
        int[][] consumers = consumers(inputs);
        // a source sits one column before its nearest consumer, so an input used late is not drawn far to the left of its use
        for (int i = 0; i < n; i++) {
            if (inputs[i].length == 0 && consumers[i].length > 0) {
                int nearest = Integer.MAX_VALUE;
                for (int c : consumers[i]) {
                    nearest = Math.min(nearest, layer[c]);
                }
                layer[i] = nearest - 1;
            }
        }
        return new int[][] {layer, rows(inputs, consumers, layer)};
    }

    /** Rows within each column, ordered by the mean row of each node's neighbours, three sweeps. */
    private static int[] rows(int[][] inputs, int[][] consumers, int[] layer) {
        int layers = layers(layer);
        List<List<Integer>> columns = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            columns.add(new ArrayList<>());
        }
        for (int i = 0; i < layer.length; i++) {
            columns.get(layer[i]).add(i);
        }
        int[] row = new int[layer.length];
        for (List<Integer> column : columns) {
            for (int r = 0; r < column.size(); r++) {
                row[column.get(r)] = r;
            }
        }
        double[] key = new double[layer.length];
        for (int sweep = 0; sweep < 3; sweep++) {
            boolean rightward = sweep % 2 == 0;
            for (int c = 0; c < layers; c++) {
                List<Integer> column = columns.get(rightward ? c : layers - 1 - c);
                for (int i : column) {
                    int[] neighbours = rightward && inputs[i].length > 0 ? inputs[i] : consumers[i];
                    double sum = 0;
                    for (int j : neighbours) {
                        sum += row[j];
                    }
                    key[i] = neighbours.length == 0 ? row[i] : sum / neighbours.length;
                }
                column.sort(Comparator.comparingDouble((Integer i) -> key[i]).thenComparingInt(i -> i));
                for (int r = 0; r < column.size(); r++) {
                    row[column.get(r)] = r;
                }
            }
        }
        return row;
    }

    /** The consumers of each node, in ascending order (an input used twice is listed twice). */
    static int[][] consumers(int[][] inputs) {
        int[] count = new int[inputs.length];
        for (int[] ins : inputs) {
            for (int in : ins) {
                count[in]++;
            }
        }
        int[][] consumers = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            consumers[i] = new int[count[i]];
            count[i] = 0;
        }
        for (int i = 0; i < inputs.length; i++) {
            for (int in : inputs[i]) {
                consumers[in][count[in]++] = i;
            }
        }
        return consumers;
    }

    /**
     * The inputs of each node of {@code ids} (ascending, and holding every input of each), as
     * positions in {@code ids}: the DAG {@link #layout} and {@link #consumers} take.
     */
    static int[][] inputs(Graph graph, int[] ids) {
        int[][] inputs = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            Node node = graph.get(ids[i]);
            inputs[i] = new int[node.arity()];
            for (int k = 0; k < node.arity(); k++) {
                inputs[i][k] = Arrays.binarySearch(ids, node.input(k).id());
            }
        }
        return inputs;
    }
}
