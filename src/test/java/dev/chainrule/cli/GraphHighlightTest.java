package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.Cli;
import dev.chainrule.testing.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code graph --highlight X} (and {@code graph E wrt X}): exactly the edges on the paths from X to
 * the output are drawn bold, each with the local derivative that {@code explain} multiplies.
 */
class GraphHighlightTest {
    @TempDir
    Path dir;
    private String network;
    private String softmax;

    @BeforeEach
    void files() {
        String text = Golden.example("backprop-2-2-2");
        network = file(dir, "net.chain", text.substring(0, text.indexOf("# The forward pass.")));
        String tensors = Golden.example("softmax-3-3-3");
        softmax = file(dir, "softmax.chain", tensors.substring(0, tensors.indexOf("print ")));
    }

    /** A DOT drawing read back: node labels by id, every edge, and the highlighted ones with their labels. */
    private record Drawing(Map<Integer, String> labels, Set<Integer> highlightedNodes, List<int[]> edges, Map<List<Integer>, String> highlighted) {
        static Drawing read(String dot) {
            Map<Integer, String> labels = new TreeMap<>();
            Set<Integer> nodes = new HashSet<>();
            List<int[]> edges = new ArrayList<>();
            Map<List<Integer>, String> highlighted = new HashMap<>();
            Matcher node = Pattern.compile("(?m)^  n(\\d+) \\[label=\"((?:[^\"\\\\]|\\\\.)*)\"(.*)\\];$").matcher(dot);
            while (node.find()) {
                int id = Integer.parseInt(node.group(1));
                labels.put(id, node.group(2));
                if (node.group(3).contains("#ffedd5")) {
                    nodes.add(id);
                }
            }
            Matcher edge = Pattern.compile("(?m)^  n(\\d+) -> n(\\d+)(?: \\[label=\"((?:[^\"\\\\]|\\\\.)*)\"(.*)\\])?;$").matcher(dot);
            while (edge.find()) {
                int from = Integer.parseInt(edge.group(1));
                int to = Integer.parseInt(edge.group(2));
                edges.add(new int[] {from, to});
                if (edge.group(4) != null && edge.group(4).contains("penwidth=2.5")) {
                    highlighted.put(List.of(from, to), edge.group(3));
                }
            }
            return new Drawing(labels, nodes, edges, highlighted);
        }

        /** The id of the node named {@code name}: the first field of its record. */
        int id(String name) {
            for (Map.Entry<Integer, String> e : labels.entrySet()) {
                if (e.getValue().startsWith(name + " | ")) {
                    return e.getKey();
                }
            }
            throw new AssertionError("no node " + name + " in " + labels);
        }

        /** A node with a name of its own: its record has the name as a field before what it is, value and grad. */
        boolean named(int id) {
            return labels.get(id).split(" \\| ").length == 4;
        }

        /** The edges on some path from {@code from} to {@code to}, found from the edge list alone. */
        Set<List<Integer>> edgesBetween(int from, int to) {
            Set<Integer> below = new HashSet<>(List.of(from));
            Set<Integer> above = new HashSet<>(List.of(to));
            // node ids are a topological order: one pass up, one pass down
            List<int[]> sorted = new ArrayList<>(edges);
            sorted.sort((a, b) -> Integer.compare(a[0], b[0]));
            for (int[] e : sorted) {
                if (below.contains(e[0])) {
                    below.add(e[1]);
                }
            }
            sorted.sort((a, b) -> Integer.compare(b[1], a[1]));
            for (int[] e : sorted) {
                if (above.contains(e[1])) {
                    above.add(e[0]);
                }
            }
            Set<List<Integer>> on = new HashSet<>();
            for (int[] e : edges) {
                if (below.contains(e[0]) && above.contains(e[1])) {
                    on.add(List.of(e[0], e[1]));
                }
            }
            return on;
        }

        /** The label of the one highlighted edge out of node {@code id}. */
        String leaving(int id) {
            List<String> labels = highlighted.entrySet().stream().filter(e -> e.getKey().get(0) == id).map(Map.Entry::getValue).toList();
            assertEquals(1, labels.size(), "highlighted edges out of n" + id);
            return labels.get(0);
        }

        /** The number on a highlighted edge: its last line (the first may name the operand). */
        double number(List<Integer> edge) {
            String[] lines = highlighted.get(edge).split("\\\\n");
            return Double.parseDouble(lines[lines.length - 1]);
        }

        /**
         * {@code ∂to/∂from} read off the drawing: the sum over the highlighted paths from one named
         * node to another through unnamed ones of the product of the numbers on their edges.
         */
        double chain(int from, int to) {
            Map<Integer, Double> sums = new TreeMap<>(Map.of(from, 1.0));
            for (int id = from; id <= to; id++) {
                Double sum = sums.get(id);
                if (sum == null || id != from && named(id)) {
                    continue;
                }
                for (List<Integer> e : highlighted.keySet()) {
                    if (e.get(0) == id && (e.get(1) == to || !named(e.get(1)))) {
                        sums.merge(e.get(1), sum * number(e), Double::sum);
                    }
                }
            }
            return sums.getOrDefault(to, 0.0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"w5", "w1", "b1", "out_h2", "net_o1"})
    void exactlyTheEdgesOnThePathsToTheOutputAreHighlighted(String from) {
        Cli.Run r = run("graph", network, "--of", "E", "--highlight", from);
        assertEquals(0, r.status(), r.err());
        Drawing d = Drawing.read(r.out());
        Set<List<Integer>> expected = d.edgesBetween(d.id(from), d.id("E"));
        assertFalse(expected.isEmpty());
        assertEquals(expected, d.highlighted.keySet());
        Set<Integer> onPaths = new HashSet<>();
        expected.forEach(e -> onPaths.addAll(e));
        assertEquals(onPaths, d.highlightedNodes);
    }

    @Test
    void theOutputLayerWeightHasOnePathOfEightEdges() {
        Drawing d = Drawing.read(run("graph", network, "--of", "E", "--highlight", "w5").out());
        assertEquals(8, d.highlighted.size());
        assertEquals(9, d.highlightedNodes.size(), "w5, its product, a sum, net_o1, out_o1, t1 - out_o1, its square, half of it, E");
    }

    /** Each line {@code ∂N/∂M = expression = value} of an explanation's local derivatives, as [N, M, value]. */
    private static List<String[]> localDerivatives(String explanation) {
        List<String[]> factors = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^  ∂(\\S+)/∂(\\S+) +=.* = (\\S+)$").matcher(explanation);
        while (m.find()) {
            factors.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
        return factors;
    }

    @ParameterizedTest
    @ValueSource(strings = {"w5", "w1", "w4"})
    void theNumbersOnThePathsAreTheLocalDerivativesExplainMultiplies(String weight) {
        Cli.Run explained = run("explain", network, "--of", "E", "--wrt", weight, "--digits", "17");
        assertEquals(0, explained.status(), explained.err());
        List<String[]> factors = localDerivatives(explained.out());
        assertTrue(factors.size() >= 3, explained.out());
        Drawing d = Drawing.read(run("graph", network, "--of", "E", "--highlight", weight, "--digits", "17").out());
        for (String[] f : factors) {
            double explain = Double.parseDouble(f[2]);
            double drawn = d.chain(d.id(f[1]), d.id(f[0]));
            assertEquals(explain, drawn, 1e-14 * Math.max(1, Math.abs(explain)), "∂" + f[0] + "/∂" + f[1]);
        }
    }

    @Test
    void aSigmoidEdgeCarriesTheNumberExplainPrints() {
        Drawing d = Drawing.read(run("graph", network, "--of", "E", "--highlight", "w5").out());
        assertEquals("0.186815602", d.highlighted.get(List.of(d.id("net_o1"), d.id("out_o1"))));
        assertEquals("0.593269992", d.leaving(d.id("w5")));
        assertTrue(run("explain", network, "--of", "E", "--wrt", "w5").out()
                .contains("∂out_o1/∂net_o1 = out_o1·(1 - out_o1) = 0.186815602\n"));
    }

    @Test
    void anOperandThatDoesNotCommuteKeepsItsNameAboveTheDerivative() {
        Drawing d = Drawing.read(run("graph", network, "--of", "E", "--highlight", "w5").out());
        // out_o1 is the right operand of t1 - out_o1, whose derivative with respect to it is -1
        assertEquals("right\\n-1", d.leaving(d.id("out_o1")));
    }

    @Test
    void theStatementDrawsWhatTheFlagDraws() {
        String model = file(dir, "with.chain", Golden.example("backprop-2-2-2").substring(0,
                Golden.example("backprop-2-2-2").indexOf("# The forward pass.")) + "graph E wrt w5\n");
        Cli.Run statement = run("run", model);
        assertEquals(0, statement.status(), statement.err());
        String flag = run("graph", network, "--of", "E", "--highlight", "w5").out();
        assertEquals("▸ graph E wrt w5\n" + flag, statement.out());
    }

    @Test
    void tensorEdgesCarryTheirJacobianOrTheirElementwisePartials() {
        Cli.Run r = run("graph", softmax, "--of", "E", "--highlight", "W1");
        assertEquals(0, r.status(), r.err());
        Drawing d = Drawing.read(r.out());
        assertEquals(d.edgesBetween(d.id("W1"), d.id("E")), d.highlighted.keySet());
        // W1 @ x by W1: row i of the product takes row i of W1 times x, so the Jacobian holds x three times and zeros
        assertEquals("left\\nJacobian (3) by (3×3)\\nmin 0\\nmean 0.111111111\\nmax 0.7",
                d.leaving(d.id("W1")));
        // h2 = sigmoid(z2): each element by its own, h2·(1 - h2)
        assertEquals("element-wise (3)\\n0.0651946362\\n0.0321710086\\n0.0221514584", d.highlighted.get(List.of(d.id("z2"), d.id("h2"))));
    }

    @Test
    void anUnknownNameIsReportedWithASuggestion() {
        Cli.Run r = run("graph", network, "--of", "E", "--highlight", "w55");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("", r.out());
        assertEquals("--highlight:1:1: unknown name 'w55'; did you mean 'w5'?\nw55\n^^^\n", r.err());
    }

    @Test
    void anElementOrANodeTheOutputDoesNotUseIsRefused() {
        Cli.Run element = run("graph", softmax, "--of", "E", "--highlight", "W1[0, 0]");
        assertEquals(Main.BAD_INPUT, element.status());
        assertEquals("--highlight:1:1: graph draws the paths from a whole node, and 'W1[0, 0]' is one element of W1; highlight W1\n"
                + "W1[0, 0]\n^^^^^^^^\n", element.err());
        Cli.Run unused = run("graph", softmax, "--of", "z1", "--highlight", "W3");
        assertEquals(Main.BAD_INPUT, unused.status());
        assertEquals("--highlight:1:1: no path runs from W3 to z1: z1 does not depend on W3\nW3\n^^\n", unused.err());
    }
}
