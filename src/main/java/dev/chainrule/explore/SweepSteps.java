package dev.chainrule.explore;

import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.LocalDerivatives;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Span;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.print.Format;
import dev.chainrule.print.Numbers;
import dev.chainrule.print.Tensors;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sweeps of automatic differentiation one node at a time, as a learner works them by hand.
 *
 * <p>Reverse mode: from the output down, each node's adjoint {@code ∂out/∂node} is the sum of one
 * term per consumer, the consumer's adjoint times the local derivative {@code ∂consumer/∂node}.
 * Forward mode, for one leaf: from the leaf up, each node's tangent {@code ∂node/∂leaf} is the
 * sum of one term per input, the local derivative times the input's tangent. The adjoints come
 * from the engine's own reverse sweep and the local derivatives from the op table; the terms of
 * a scalar are multiplied here only to show them, and their sum is the engine's number.
 */
public final class SweepSteps {
    /**
     * One term of a sum: from {@code other} (a consumer in reverse mode, an input in forward mode).
     * {@code formula} is the local derivative as an expression in the model's names, in the sweep
     * over names (null in the sweep over operations, where it is the op table's own rule).
     */
    public record Term(int other, String otherLabel, List<String> carried, List<String> local, List<String> product,
                       String formula) {
    }

    /** One node's step: its adjoint (or tangent) and the terms that make it. */
    public record Step(int node, String label, List<String> total, List<Term> terms) {
    }

    /**
     * A sweep in the order it runs. {@code sweeps} is how many sweeps of this mode give the
     * gradient with respect to all {@code params}: one in reverse mode, one per param forward.
     */
    public record Sweep(String mode, boolean names, String of, String wrt, List<Step> steps, int params, int sweeps) {
    }

    /** Unnamed nodes are labelled by their expression, cut to this many characters. */
    static final int LABEL_CHARS = 48;

    private SweepSteps() {
    }

    /** The reverse sweep from {@code output}: one step per node the output's gradient reaches, output first. */
    public static Sweep backward(Model model, Node output, String label, int digits) {
        requireScalar(model, output, label);
        Graph graph = model.graph();
        BitSet reach = requireSmall(model, output, label);
        Tensor[] values = Forward.values(graph, model.scope().leafValues(), reach, output);
        Object[] adjoints = Gradients.numericAdjoints(graph, values, output, graph.leaves());
        int[] ids = reach.stream().toArray();
        int[][] consumers = GraphView.consumers(GraphView.inputs(graph, ids));
        Labels labels = new Labels(model);
        List<Step> steps = new ArrayList<>();
        for (int i = ids.length - 1; i >= 0; i--) {
            int id = ids[i];
            Object adjoint = id < adjoints.length ? adjoints[id] : null;
            if (adjoint == null || graph.get(id).isConstant() && id != output.id()) {
                continue;
            }
            List<Term> terms = new ArrayList<>();
            int previous = -1;
            for (int c : consumers[i]) {
                int consumerId = ids[c];
                if (consumerId == previous) {
                    continue; // an input used twice by one consumer: both its edges are taken below
                }
                previous = consumerId;
                Node consumer = graph.get(consumerId);
                Tensor upstream = (Tensor) adjoints[consumerId];
                if (upstream == null) {
                    continue;
                }
                for (int k = 0; k < consumer.arity(); k++) {
                    if (consumer.input(k).id() == id) {
                        LocalDerivatives.Local local = LocalDerivatives.of(consumer, k, values);
                        terms.add(new Term(consumerId, labels.of(consumer), Tensors.brief(upstream, digits),
                                dev.chainrule.explain.Paths.lines(local, digits), product(upstream, local, digits), null));
                    }
                }
            }
            steps.add(new Step(id, labels.of(graph.get(id)), Tensors.brief((Tensor) adjoint, digits), terms));
        }
        int params = countParams(graph, reach);
        return new Sweep("reverse", false, label, null, steps, params, 1);
    }

    /**
     * The reverse sweep over the model's names, as the backpropagation tutorials work it by hand:
     * one step per named node and leaf, from the output down, each adjoint the sum over its named
     * consumers of the consumer's adjoint times the local derivative through the consumer's
     * definition ({@code ∂out_h1/∂net_h1 = out_h1·(1 - out_h1)}), the unnamed operations inside
     * folded into it. These local derivatives are the ones {@code explain} writes. Shown for
     * graphs of scalars.
     */
    public static Sweep backwardOverNames(Model model, Node output, String label, int digits) {
        requireScalar(model, output, label);
        Graph graph = model.graph();
        BitSet reach = requireSmall(model, output, label);
        NamedGraph names = NamedGraph.of(model, output, reach, "the sweep over names follows");
        Map<Integer, List<Integer>> consumers = new HashMap<>();
        names.locals().forEach((consumer, inputs) -> inputs.keySet().forEach(
                input -> consumers.computeIfAbsent(input, k -> new ArrayList<>()).add(consumer)));
        Object[] adjoints = names.adjoints();
        BitSet involved = names.involved();
        Labels labels = new Labels(model);
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(output.id(), labels.of(output), List.of("1"), List.of()));
        for (int id = involved.previousSetBit(output.id() - 1); id >= 0; id = involved.previousSetBit(id - 1)) {
            List<Integer> users = consumers.get(id);
            Object adjoint = adjoints[id];
            if (users == null || adjoint == null) {
                continue; // an unnamed node: folded into the local derivative of the named node above it
            }
            List<Term> terms = new ArrayList<>();
            for (int user : users) {
                Node d = names.locals().get(user).get(id);
                double upstream = ((Tensor) adjoints[user]).item();
                double local = names.value(d);
                terms.add(new Term(user, labels.of(graph.get(user)), List.of(Numbers.format(upstream, digits)),
                        List.of(Numbers.format(local, digits)), List.of(Numbers.format(upstream * local, digits)),
                        model.reference(d, Format.TEXT)));
            }
            steps.add(new Step(id, labels.of(graph.get(id)), Tensors.brief((Tensor) adjoint, digits), terms));
        }
        return new Sweep("reverse", true, label, null, steps, countParams(graph, reach), 1);
    }

    /**
     * The forward sweep of the tangents {@code ∂node/∂leaf}, from {@code leaf} up to the output.
     * Shown for scalar graphs: a tangent of a tensor would need its whole Jacobian on the page.
     */
    public static Sweep forward(Model model, Node output, String label, Node leaf, String leafLabel, Span at, int digits) {
        requireScalar(model, output, label);
        Graph graph = model.graph();
        BitSet reach = requireSmall(model, output, label);
        if (!reach.get(leaf.id())) {
            throw ChainException.semantic(at, label + " does not depend on " + leafLabel);
        }
        Tensor[] values = Forward.values(graph, model.scope().leafValues(), reach, output);
        double[] tangent = new double[graph.size()];
        Labels labels = new Labels(model);
        BitSet moved = new BitSet();
        moved.set(leaf.id());
        tangent[leaf.id()] = 1;
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(leaf.id(), leafLabel, List.of("1"), List.of()));
        for (int id = reach.nextSetBit(leaf.id() + 1); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            List<Term> terms = new ArrayList<>();
            double sum = 0;
            for (int k = 0; k < node.arity(); k++) {
                Node input = node.input(k);
                if (!moved.get(input.id())) {
                    continue;
                }
                if (!node.shape().isScalar() || !input.shape().isScalar()) {
                    throw ChainException.semantic(at, "forward mode is shown for graphs of scalars; " + labels.of(node)
                            + " is a " + node.shape() + " value (reverse mode shows every graph)");
                }
                double local = LocalDerivatives.of(node, k, values).value().item();
                double product = local * tangent[input.id()];
                sum += product;
                terms.add(new Term(input.id(), labels.of(input), List.of(Numbers.format(tangent[input.id()], digits)),
                        List.of(Numbers.format(local, digits)), List.of(Numbers.format(product, digits)), null));
            }
            if (!terms.isEmpty()) {
                moved.set(id);
                tangent[id] = sum;
                steps.add(new Step(id, labels.of(node), List.of(Numbers.format(sum, digits)), terms));
            }
        }
        int params = countParams(graph, reach);
        return new Sweep("forward", false, label, leafLabel, steps, params, params);
    }

    /** A node as a learner reads it: its name, or its expression in the model's names, cut short. */
    static String label(Model model, Node node) {
        String name = model.scope().nameOf(node);
        if (name != null) {
            return name;
        }
        if (node.isConstant()) {
            return dev.chainrule.print.DotPrinter.what(node);
        }
        String text = model.print(node, Format.TEXT).expression();
        return text.length() <= LABEL_CHARS ? text : text.substring(0, LABEL_CHARS - 1) + "…";
    }

    /**
     * The labels of one sweep, each made once: a node is labelled at its own step and again in
     * the terms of every node it feeds, and an unnamed one is labelled by printing its expression.
     */
    private static final class Labels {
        private final Model model;
        private final Map<Integer, String> made = new HashMap<>();

        Labels(Model model) {
            this.model = model;
        }

        String of(Node node) {
            return made.computeIfAbsent(node.id(), id -> label(model, node));
        }
    }

    /** The term's product where both factors are numbers; a tensor's term is a vector–Jacobian product, not written out. */
    private static List<String> product(Tensor upstream, LocalDerivatives.Local local, int digits) {
        if (local.form() != LocalDerivatives.Form.TOO_LARGE && upstream.shape().isScalar() && local.out().isScalar()
                && local.in().isScalar()) {
            return List.of(Numbers.format(upstream.item() * local.value().item(), digits));
        }
        return null;
    }

    private static int countParams(Graph graph, BitSet reach) {
        int params = 0;
        for (Node leaf : graph.leaves()) {
            if (reach.get(leaf.id()) && leaf.leafKind() == dev.chainrule.graph.LeafKind.PARAM) {
                params++;
            }
        }
        return params;
    }

    /** The nodes under the output, when there are few enough to step through one by one. */
    private static BitSet requireSmall(Model model, Node output, String label) {
        BitSet reach = model.graph().reachableFrom(output);
        if (reach.cardinality() > GraphView.MAX_DRAWN) {
            throw ChainException.semantic(model.graph().span(output), "the sweeps are shown step by step for graphs of up to "
                    + GraphView.MAX_DRAWN + " nodes; " + label + " has " + reach.cardinality());
        }
        return reach;
    }

    private static void requireScalar(Model model, Node output, String label) {
        if (!output.shape().isScalar()) {
            throw ChainException.semantic(model.graph().span(output), "the sweeps are shown for a scalar output; " + label
                    + " is a " + output.shape() + " value");
        }
    }
}
