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
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The vectorised chain rule of a tensor model, as the layer-wise tutorials write it: the delta
 * of each named node, {@code δ_N = ∂E/∂N}, from the target down to the leaf, each written from
 * the deltas of the nodes it feeds ({@code δ_net_o = δ_out_o ⊙ out_o ⊙ (1 - out_o)},
 * {@code δ_out_h = W2ᵀ @ δ_net_o}), and last {@code ∂E/∂W} itself ({@code δ_net_o ⊗ out_h}),
 * each with its numbers.
 *
 * <p>Each expression is the symbolic vector-Jacobian product of a consumer's definition, seeded
 * with a symbol standing for the consumer's delta, so it comes from the op table's rules like
 * every other derivative.
 */
public final class LayerExplainer {
    private final Scope scope;
    private final Graph graph;

    /** One line of the derivation: {@code node}'s delta, written and evaluated. */
    public record Step(String node, boolean isLeaf, Node expression, Tensor value) {
    }

    /** The derivation of {@code ∂of/∂wrt}, and the names under which its symbols print. */
    public record Derivation(String of, String wrt, double value, Tensor gradient, List<Step> steps,
                             Map<Node, String> symbols) {
    }

    private final java.util.function.Function<Node, String> names;

    /** Explains over every named node, the names made inside calls too. */
    public LayerExplainer(Scope scope) {
        this(scope, scope::nameOf);
    }

    /** Explains over the nodes {@code names} gives a name ({@link Scope#outerNameOf} folds each call into one step). */
    public LayerExplainer(Scope scope, java.util.function.Function<Node, String> names) {
        this.scope = scope;
        this.graph = scope.graph();
        this.names = names;
    }

    public Derivation explain(Node of, String label, Node wrt, Span span) {
        String ofName = names.apply(of) != null ? names.apply(of) : "(" + label + ")";
        Tensor[] values = Forward.values(graph, scope.leafValues(), of);
        BitSet involved = Gradients.involved(graph, of, List.of(wrt));
        Object[] deltas = Gradients.numericAdjoints(graph, values, of, involved);
        int before = graph.size();
        SymbolicAlgebra algebra = new SymbolicAlgebra(graph);
        ReverseSweep<Node> sweep = new ReverseSweep<>(graph, algebra, graph::get);
        Map<Node, String> symbols = new HashMap<>();
        Map<Integer, Node> incoming = new HashMap<>();
        List<Node> order = new ArrayList<>();
        for (int id = of.id(); id >= 0; id = involved.previousSetBit(id - 1)) {
            Node node = graph.get(id);
            if (!(node == of || names.apply(node) != null)) {
                continue;
            }
            order.add(node);
            if (node == wrt) {
                continue;
            }
            Node seed;
            if (node == of) {
                seed = algebra.constant(1);
            } else {
                seed = graph.symbol("δ_" + names.apply(node), node.shape());
                symbols.put(seed, "δ_" + names.apply(node));
            }
            int[] region = Regions.definition(graph, node, involved, n -> n == of || names.apply(n) != null);
            Map<Integer, Node> received = sweep.run(node, seed, region, involved::get,
                    k -> k == node.id() || !(graph.get(k) == of || names.apply(graph.get(k)) != null));
            for (int input : region) {
                Node in = graph.get(input);
                if (input != id && (in == of || names.apply(in) != null) && received.get(input) != null) {
                    Node term = received.get(input);
                    incoming.merge(input, term, algebra::add);
                }
            }
        }
        graph.markFrom(before, span);
        List<Step> steps = new ArrayList<>();
        for (Node node : order) {
            if (node == of) {
                continue;
            }
            steps.add(new Step(names.apply(node), node.isLeaf(), incoming.get(node.id()), (Tensor) deltas[node.id()]));
        }
        return new Derivation(ofName, wrt.leafName(), values[of.id()].item(), (Tensor) deltas[wrt.id()], steps, symbols);
    }
}
