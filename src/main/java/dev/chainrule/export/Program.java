package dev.chainrule.export;

import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.ReverseSweep;
import dev.chainrule.autodiff.SymbolicAlgebra;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * What exported code computes, as lines {@code name = expression}: the forward pass from the
 * leaves to the output, then the reverse sweep from the output back to each leaf of interest.
 * The backward lines are the adjoints the symbolic sweep builds ({@link ReverseSweep} over
 * {@link SymbolicAlgebra}, from the op table's rules): the adjoint of each named node is a line
 * {@code d_name}, commented with its chain-rule step ({@code ∂E/∂out_h1 = ∂E/∂net_o1 ·
 * ∂net_o1/∂out_h1 + ...}). A part used more than once is computed once, as a temporary. Every walk
 * here is a work list, so a model of any depth is written without recursion.
 *
 * @param output    the output's variable
 * @param outputNode the output node
 * @param leaves    every input and param the output depends on, in the order they were declared
 * @param forward   the forward lines, in an order where each line's operands come first
 * @param backward  the backward lines, in the same kind of order
 * @param gradients each leaf of interest to the variable (or constant node) holding its gradient
 * @param names     every bound node (leaves included) by id to its variable
 * @param aliases   forward nodes that are also adjoints ({@code y - t} is ∂E/∂y), by id to the
 *                  name the reverse sweep reads them by ({@code d_y})
 */
public record Program(String label, String output, Node outputNode, List<Leaf> leaves, List<Line> forward, List<Line> backward,
                      Map<Leaf, Node> gradients, Map<Integer, String> names, Map<Integer, String> aliases, Graph graph) {

    /** An input or param: a function argument, with the model's current value as its default. */
    public record Leaf(String name, String variable, Node node, boolean param, Tensor value) {
    }

    /**
     * {@code variable = node}, written with the bound nodes below it by their variables.
     *
     * @param display how mathematics writes the variable: the model's name, {@code δ_name} for an
     *                adjoint, {@code τ_k} for a temporary
     * @param comment the chain-rule step of an adjoint, or null
     */
    public record Line(String variable, String display, Node node, String comment) {
        /** Whether the line gives a forward value its name as an adjoint ({@code d_y = tmp1}). */
        public boolean alias(Program p) {
            return !variable.equals(p.names().get(node.id()));
        }
    }

    /** Operations nested in one expression before a temporary takes over. */
    static final int MAX_NESTING = 24;

    /** The variable of a node bound to one, or null. */
    public String variableOf(Node node) {
        return names.get(node.id());
    }

    /** The variable of a node as the reverse sweep reads it: an adjoint computed in the forward pass by its d_ name. */
    public String backwardVariableOf(Node node) {
        String alias = aliases.get(node.id());
        return alias != null ? alias : names.get(node.id());
    }

    /**
     * The program of {@code of} and its gradient with respect to {@code wrt} (whole leaves).
     *
     * @param label   how the output is written ({@code E})
     * @param rename  makes a model name a variable of the target (keywords, dots and brackets)
     */
    public static Program of(Model model, Node of, String label, List<Node> wrt, Variables rename) {
        Graph graph = model.graph();
        BitSet involved = Gradients.involved(graph, of, wrt);
        SymbolicAlgebra algebra = new SymbolicAlgebra(graph);
        Object[] adjoints = new ReverseSweep<>(graph, algebra, graph::get).run(of, algebra.constant(1), involved, involved);

        Map<Integer, String> names = new HashMap<>();
        // leaves: the function's arguments
        List<Leaf> leaves = new ArrayList<>();
        int[] cone = Graph.below(of, n -> true, n -> true);
        TreeSet<Integer> leafIds = new TreeSet<>();
        for (int id : cone) {
            if (graph.get(id).isLeaf()) {
                leafIds.add(id);
            }
        }
        for (Node w : wrt) {
            leafIds.add(w.id());
        }
        Map<Integer, Leaf> leafById = new LinkedHashMap<>();
        for (int id : leafIds) {
            Node leaf = graph.get(id);
            Leaf l = new Leaf(leaf.leafName(), rename.variable(leaf.leafName()), leaf, leaf.leafKind() == LeafKind.PARAM, model.value(leaf));
            leaves.add(l);
            leafById.put(id, l);
            names.put(id, l.variable());
        }

        // the output and the named nodes of the forward pass
        String output = rename.variable(label);
        Map<Integer, String> bound = new LinkedHashMap<>();
        Map<Integer, String> display = new HashMap<>();
        display.put(of.id(), label);
        for (int id : cone) {
            Node n = graph.get(id);
            String name = model.scope().nameOf(n);
            if (!n.isLeaf() && !n.isConstant() && name != null && n != of) {
                bound.put(id, rename.variable(name));
                display.put(id, name);
            }
        }
        bound.put(of.id(), output);

        // the adjoints: d_name for the named nodes and the leaves of interest
        Map<Integer, String> comments = new HashMap<>();
        Map<Integer, String> aliases = new HashMap<>();
        List<Line> aliasLines = new ArrayList<>();
        Map<String, Integer> aliasOf = new HashMap<>();
        BitSet inCone = new BitSet();
        for (int id : cone) {
            inCone.set(id);
        }
        inCone.set(of.id());
        Map<Integer, Integer> adjointOf = new HashMap<>();
        Map<Leaf, Node> gradients = new LinkedHashMap<>();
        Map<Integer, List<Integer>> consumers = consumers(graph, involved);
        for (int id = involved.length() - 1; id >= 0; id = involved.previousSetBit(id - 1)) {
            Node n = graph.get(id);
            Node adjoint = id < adjoints.length ? (Node) adjoints[id] : null;
            boolean leafOfInterest = n.isLeaf() && wrt.contains(n);
            String name = model.scope().nameOf(n);
            if (adjoint == null || n == of || name == null || n.isLeaf() && !leafOfInterest) {
                continue;
            }
            if (adjoint.isConstant() || adjoint.isLeaf() || bound.containsKey(adjoint.id()) || aliases.containsKey(adjoint.id())) {
                continue;
            }
            String variable = rename.fresh("d_" + name);
            String step = chainStep(graph, model, of, label, n, name, consumers);
            if (inCone.get(adjoint.id())) {
                // an adjoint the forward pass computes already (y - t): a forward value, read backward by its d_ name
                aliases.put(adjoint.id(), variable);
                aliasLines.add(new Line(variable, "δ_" + name, adjoint, step));
                aliasOf.put(variable, id);
                continue;
            }
            bound.put(adjoint.id(), variable);
            display.put(adjoint.id(), "δ_" + name);
            adjointOf.put(adjoint.id(), id);
            comments.put(adjoint.id(), step);
        }
        for (Node w : wrt) {
            Node adjoint = w.id() < adjoints.length ? (Node) adjoints[w.id()] : null;
            gradients.put(leafById.get(w.id()), adjoint != null ? adjoint : graph.constant(Tensor.filled(w.shape(), 0)));
        }

        // parts used more than once are computed once
        List<Node> roots = new ArrayList<>();
        roots.add(of);
        gradients.values().forEach(roots::add);
        Predicate<Node> atom = n -> n.isLeaf() || n.isConstant();
        Map<Integer, Integer> uses = new HashMap<>();
        BitSet seen = new BitSet();
        ArrayDeque<Node> work = new ArrayDeque<>();
        for (Node r : roots) {
            work.push(r);
        }
        for (int id : bound.keySet()) {
            work.push(graph.get(id));
        }
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (seen.get(n.id()) || atom.test(n)) {
                continue;
            }
            seen.set(n.id());
            for (int k = 0; k < n.arity(); k++) {
                Node input = n.input(k);
                uses.merge(input.id(), 1, Integer::sum);
                work.push(input);
            }
        }
        // a temporary: tmp_k in the forward pass, d_tmp_k in the reverse sweep, τ_k in mathematics
        int[] temporaries = {0};
        java.util.function.IntConsumer temporary = id -> {
            temporaries[0]++;
            bound.put(id, rename.fresh((inCone.get(id) ? "tmp" : "d_tmp") + temporaries[0]));
            display.put(id, "τ_" + temporaries[0]);
        };
        for (Map.Entry<Integer, Integer> e : new java.util.TreeMap<>(uses).entrySet()) {
            Node n = graph.get(e.getKey());
            if (e.getValue() > 1 && !atom.test(n) && !bound.containsKey(n.id())) {
                temporary.accept(n.id());
            }
        }
        // an adjoint the forward pass computes is in the cone: a forward temporary
        for (int id : aliases.keySet()) {
            if (!bound.containsKey(id)) {
                temporary.accept(id);
            }
        }
        // an expression nested deeper than compilers like is cut into temporaries
        int[] depth = new int[graph.size()];
        for (int id = seen.nextSetBit(0); id >= 0; id = seen.nextSetBit(id + 1)) {
            Node n = graph.get(id);
            int d = 0;
            for (int k = 0; k < n.arity(); k++) {
                Node input = n.input(k);
                if (!atom.test(input) && !bound.containsKey(input.id())) {
                    d = Math.max(d, depth[input.id()]);
                }
            }
            depth[id] = d + 1;
            if (depth[id] > MAX_NESTING && !bound.containsKey(id)) {
                temporary.accept(id);
                depth[id] = 0;
            }
        }
        names.putAll(bound);
        List<Line> forward = new ArrayList<>();
        List<Line> backward = new ArrayList<>();
        Map<Integer, Integer> level = new HashMap<>();
        for (int id : new TreeSet<>(bound.keySet())) {
            Node n = graph.get(id);
            Line line = new Line(bound.get(id), display.get(id), n, comments.get(id));
            if (inCone.get(id)) {
                // the forward pass is what the output is made of; everything else the sweep made
                forward.add(line);
                continue;
            }
            // how many backward steps from the output: a line comes after the ones it reads
            int deepest = 0;
            for (int below : Graph.below(n, x -> x == n || !bound.containsKey(x.id()) && !atom.test(x), x -> true)) {
                if (below != id && (!inCone.get(below) && bound.containsKey(below) || aliases.containsKey(below))) {
                    deepest = Math.max(deepest, !inCone.get(below) ? level.get(below) : 1);
                }
            }
            level.put(id, deepest + 1);
            backward.add(line);
        }
        backward.addAll(aliasLines);
        // the steps of one depth in the order the model defines their nodes: out_o1 before out_o2, w5 before w7
        java.util.function.ToIntFunction<Line> steps = l -> aliases.containsKey(l.node().id()) && l.variable().equals(aliases.get(l.node().id()))
                ? 1 : level.get(l.node().id());
        java.util.function.ToIntFunction<Line> defined = l -> aliasOf.containsKey(l.variable()) ? aliasOf.get(l.variable())
                : adjointOf.getOrDefault(l.node().id(), Integer.MAX_VALUE);
        backward.sort(java.util.Comparator.comparingInt(steps).thenComparingInt(defined));
        return new Program(label, output, of, leaves, forward, backward, gradients, names, aliases, graph);
    }

    /** The consumers of each involved node, by id. */
    private static Map<Integer, List<Integer>> consumers(Graph graph, BitSet involved) {
        Map<Integer, List<Integer>> consumers = new HashMap<>();
        for (int id = involved.nextSetBit(0); id >= 0; id = involved.nextSetBit(id + 1)) {
            Node n = graph.get(id);
            for (int k = 0; k < n.arity(); k++) {
                if (involved.get(n.input(k).id())) {
                    consumers.computeIfAbsent(n.input(k).id(), x -> new ArrayList<>()).add(id);
                }
            }
        }
        return consumers;
    }

    /**
     * The chain-rule step that gives the adjoint of {@code node}, in the words {@code explain}
     * uses: one term per named node (or the output) it reaches through unnamed ones.
     */
    private static String chainStep(Graph graph, Model model, Node of, String label, Node node, String name,
                                    Map<Integer, List<Integer>> consumers) {
        TreeSet<Integer> named = new TreeSet<>();
        ArrayDeque<Integer> work = new ArrayDeque<>(consumers.getOrDefault(node.id(), List.of()));
        BitSet seen = new BitSet();
        while (!work.isEmpty()) {
            int id = work.pop();
            if (seen.get(id)) {
                continue;
            }
            seen.set(id);
            Node c = graph.get(id);
            if (c == of || model.scope().nameOf(c) != null) {
                named.add(id);
            } else {
                work.addAll(consumers.getOrDefault(id, List.of()));
            }
        }
        List<String> terms = new ArrayList<>();
        for (int id : named) {
            Node c = graph.get(id);
            String cName = c == of ? label : model.scope().nameOf(c);
            if (c != of) {
                terms.add("∂" + label + "/∂" + cName + " · ∂" + cName + "/∂" + name);
            }
        }
        if (named.contains(of.id())) {
            // through no named node: a local derivative of the output's own expression
            terms.add("∂" + label + "/∂" + name + " (local: " + name + " is in " + label + "'s own expression)");
            if (terms.size() == 1) {
                return terms.get(0);
            }
        }
        return "∂" + label + "/∂" + name + " = " + String.join(" + ", terms);
    }

    /** How model names become variables of a target. */
    public interface Variables {
        /** The variable of a name of the model: the same name, the same variable. */
        String variable(String modelName);

        /** A new variable, like {@code suggestion}, that is no other variable. */
        String fresh(String suggestion);
    }
}
