package dev.chainrule.explain;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.ReverseSweep;
import dev.chainrule.autodiff.SymbolicAlgebra;
import dev.chainrule.diag.Span;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.model.Scope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the chain-rule {@link Explanation} of {@code ∂of/∂wrt} over the user's named nodes.
 *
 * <p>The named nodes on some path from the target to the leaf form a small DAG. Its edge from a
 * named node N to a named node M in N's definition carries the local derivative {@code ∂N/∂M},
 * obtained by a symbolic backward sweep from N that passes through unnamed nodes and stops at
 * named ones. Then {@code ∂of/∂X} is the sum, over X's consumers C, of
 * {@code ∂of/∂C · ∂C/∂X}; a run of single-consumer nodes is written as one chain of factors, and a
 * node with several consumers gets an equation of its own.
 */
public final class Explainer {
    private final Scope scope;
    private final Graph graph;
    private final java.util.function.Function<Node, String> names;

    /** Explains over every named node, the names made inside calls too ({@code h1.net}). */
    public Explainer(Scope scope) {
        this(scope, scope::nameOf);
    }

    /**
     * Explains over the nodes {@code names} gives a name ({@link Scope#outerNameOf} folds each call
     * into one step); a node it leaves unnamed is part of the step of the named node above it.
     */
    public Explainer(Scope scope, java.util.function.Function<Node, String> names) {
        this.scope = scope;
        this.graph = scope.graph();
        this.names = names;
    }

    /**
     * @param label how to call the target when it has no name (its expression text)
     * @param span  where the request was made; new derivative nodes are marked with it
     */
    public Explanation explain(Node of, String label, Node wrt, Span span) {
        String ofName = names.apply(of) != null ? names.apply(of) : "(" + label + ")";
        Tensor[] values = Forward.values(graph, scope.leafValues(), of);
        requireScalars(of, wrt, span);
        double value = values[of.id()].item();
        if (of == wrt) {
            Explanation.Equation same = new Explanation.Equation(wrt.leafName(), List.of(), 1, List.of());
            return new Explanation(ofName, wrt.leafName(), value, 1, List.of(same), List.of());
        }
        BitSet involved = Gradients.involved(graph, of, List.of(wrt));
        if (!involved.get(wrt.id())) {
            return new Explanation(ofName, wrt.leafName(), value, 0, List.of(), List.of());
        }
        Object[] adjoints = Gradients.numericAdjoints(graph, values, of, List.of(wrt));
        return new Build(of, ofName, wrt, involved, adjoints, span).run(value);
    }

    /**
     * The local derivatives between the named nodes among {@code involved} (the target counts as
     * named): for each named consumer C, by id, and each named node M in its definition, by id,
     * {@code ∂C/∂M} through C's definition with every other name held fixed, as a simplified node
     * of the graph (marked with {@code span}). These are the factors every explanation, and the
     * explorer's step-by-step sweep over names, is written with.
     */
    public Map<Integer, Map<Integer, Node>> localDerivatives(Node of, BitSet involved, Span span) {
        java.util.function.Predicate<Node> named = node -> node == of || names.apply(node) != null;
        Map<Integer, Map<Integer, Node>> local = new TreeMap<>();
        int before = graph.size();
        SymbolicAlgebra algebra = new SymbolicAlgebra(graph);
        ReverseSweep<Node> sweep = new ReverseSweep<>(graph, algebra, graph::get);
        for (int id = involved.nextSetBit(0); id >= 0; id = involved.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            if (!named.test(node) || node.isLeaf()) {
                continue;
            }
            int[] region = Regions.definition(graph, node, involved, named);
            Map<Integer, Node> d = sweep.run(node, algebra.constant(1), region, involved::get,
                    k -> k == node.id() || !named.test(graph.get(k)));
            for (int input : region) {
                if (input != node.id() && named.test(graph.get(input)) && d.get(input) != null) {
                    local.computeIfAbsent(node.id(), k -> new LinkedHashMap<>()).put(input, d.get(input));
                }
            }
        }
        graph.markFrom(before, span);
        return local;
    }

    /**
     * Explanations follow scalar nodes, factor by factor. The vectorised form (layer deltas with
     * their matrices) is the next step; until then a tensor on the way is reported plainly.
     */
    private void requireScalars(Node of, Node wrt, Span span) {
        BitSet involved = Gradients.involved(graph, of, List.of(wrt));
        for (int id = involved.nextSetBit(0); id >= 0; id = involved.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            if (!node.shape().isScalar()) {
                String what = names.apply(node) != null ? "'" + names.apply(node) + "'" : "a value on the way";
                String message = "explain follows scalar nodes one factor at a time, and " + what + " is a "
                        + node.shape() + " value; vector and matrix explanations are not built yet";
                if (span == null) {
                    throw new IllegalArgumentException(message);
                }
                throw dev.chainrule.diag.ChainException.semantic(span, message);
            }
        }
    }

    /** The state of one explanation being built. */
    private final class Build {
        private final Node of;
        private final String ofName;
        private final Node wrt;
        private final Object[] adjoints;
        private final Span span;
        /** consumer id → (input id → local derivative node), only between named involved nodes. */
        private final Map<Integer, Map<Integer, Node>> local = new HashMap<>();
        /** input id → its consumers' ids, ascending. */
        private final Map<Integer, List<Integer>> consumers = new TreeMap<>();
        private final Map<Long, Explanation.Factor> factors = new LinkedHashMap<>();
        private Tensor[] factorValues;

        Build(Node of, String ofName, Node wrt, BitSet involved, Object[] adjoints, Span span) {
            this.of = of;
            this.ofName = ofName;
            this.wrt = wrt;
            this.adjoints = adjoints;
            this.span = span;
            findLocalDerivatives(involved);
        }

        private boolean named(Node node) {
            return node == of || names.apply(node) != null;
        }

        private String name(int id) {
            Node node = graph.get(id);
            return node == of ? ofName : names.apply(node);
        }

        private void findLocalDerivatives(BitSet involved) {
            List<Node> roots = new ArrayList<>();
            localDerivatives(of, involved, span).forEach((consumer, inputs) -> inputs.forEach((input, derivative) -> {
                local.computeIfAbsent(consumer, k -> new LinkedHashMap<>()).put(input, derivative);
                consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(consumer);
                roots.add(derivative);
            }));
            consumers.values().forEach(list -> list.sort(null));
            factorValues = Forward.values(graph, scope.leafValues(), roots.toArray(Node[]::new));
        }

        Explanation run(double value) {
            List<Explanation.Equation> equations = new ArrayList<>();
            Deque<Integer> queue = new ArrayDeque<>();
            Set<Integer> seen = new HashSet<>();
            queue.add(wrt.id());
            seen.add(wrt.id());
            while (!queue.isEmpty()) {
                int id = queue.poll();
                List<Explanation.Term> terms = new ArrayList<>();
                List<Integer> users = consumers.get(id);
                List<String> names = new ArrayList<>();
                if (users.size() == 1) {
                    terms.add(term(chain(id, queue, seen)));
                } else {
                    for (int user : users) {
                        List<Explanation.Part> parts = new ArrayList<>();
                        if (user != of.id()) {
                            // a consumer the target uses directly is one local factor; any other gets its own equation
                            List<Integer> above = consumers.get(user);
                            parts.add(above.size() == 1 && above.get(0) == of.id()
                                    ? new Explanation.Local(factor(of.id(), user)) : total(user, queue, seen));
                        }
                        parts.add(new Explanation.Local(factor(user, id)));
                        terms.add(term(parts));
                        names.add(name(user));
                    }
                }
                equations.add(new Explanation.Equation(name(id), terms, adjoint(id), names));
            }
            Set<Explanation.Factor> used = new LinkedHashSet<>();
            for (Explanation.Equation equation : equations) {
                for (Explanation.Term term : equation.terms()) {
                    for (Explanation.Part part : term.parts()) {
                        if (part instanceof Explanation.Local l) {
                            used.add(l.factor());
                        }
                    }
                }
            }
            return new Explanation(ofName, wrt.leafName(), value, adjoint(wrt.id()), equations, List.copyOf(used));
        }

        /**
         * {@code ∂of/∂X} as a product: local factors up through single-consumer nodes, headed by
         * the total derivative of the first node with several consumers (queued for its own
         * equation) unless the run reaches the target.
         */
        private List<Explanation.Part> chain(int id, Deque<Integer> queue, Set<Integer> seen) {
            Deque<Explanation.Part> parts = new ArrayDeque<>();
            int current = id;
            while (current != of.id() && consumers.get(current).size() == 1) {
                int user = consumers.get(current).get(0);
                parts.addFirst(new Explanation.Local(factor(user, current)));
                current = user;
                if (current != id && seen.contains(current)) {
                    // that node has an equation of its own: refer to it, so a long loop is explained in
                    // one line a step (∂E/∂h[t] = ∂E/∂h[t+1] · ∂h[t+1]/∂h[t]), not a product back from the end
                    break;
                }
            }
            if (current != of.id()) {
                parts.addFirst(total(current, queue, seen));
            }
            return new ArrayList<>(parts);
        }

        private Explanation.Total total(int id, Deque<Integer> queue, Set<Integer> seen) {
            if (seen.add(id)) {
                queue.add(id);
            }
            return new Explanation.Total(name(id), adjoint(id));
        }

        private Explanation.Factor factor(int user, int input) {
            long key = ((long) user << 32) | input;
            return factors.computeIfAbsent(key, k -> {
                Node d = local.get(user).get(input);
                return new Explanation.Factor(name(user), name(input), d, factorValues[d.id()].item());
            });
        }

        private Explanation.Term term(List<Explanation.Part> parts) {
            double product = 1;
            for (Explanation.Part part : parts) {
                product *= part.value();
            }
            return new Explanation.Term(List.copyOf(parts), product);
        }

        private double adjoint(int id) {
            return ((Tensor) adjoints[id]).item();
        }
    }
}
