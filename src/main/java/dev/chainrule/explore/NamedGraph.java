package dev.chainrule.explore;

import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.diag.ChainException;
import dev.chainrule.explain.Explainer;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * The graph under an output as its names make it, what the drawing and the sweep over names are
 * both built from: the leaves it depends on, the nodes on their paths, the local derivative from
 * each name to each named consumer through that consumer's definition (the factors explain
 * writes, {@link Explainer#localDerivatives}), and the values of all of them with the output's
 * adjoints. Built for graphs of scalars.
 *
 * @param locals   consumer id → (input id → {@code ∂consumer/∂input} as a graph node)
 * @param values   node values by id: the graph under the output and every local derivative
 * @param adjoints {@code ∂output/∂node} by id
 */
record NamedGraph(List<Node> leaves, BitSet involved, Map<Integer, Map<Integer, Node>> locals, Tensor[] values,
                  Object[] adjoints) {

    /**
     * @param what what is being made, for the message when a node is not a scalar ("the sweep
     *             over names follows", "the graph over names is drawn for")
     */
    static NamedGraph of(Model model, Node output, BitSet reach, String what) {
        Graph graph = model.graph();
        List<Node> leaves = new ArrayList<>();
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            if (!node.shape().isScalar()) {
                throw ChainException.semantic(graph.span(output), what + " scalar nodes, and " + SweepSteps.label(model, node)
                        + " is a " + node.shape() + " value");
            }
            if (node.isLeaf()) {
                leaves.add(node);
            }
        }
        BitSet involved = Gradients.involved(graph, output, leaves);
        Map<Integer, Map<Integer, Node>> locals = new Explainer(model.scope()).localDerivatives(output, involved, graph.span(output));
        List<Node> roots = new ArrayList<>(List.of(output));
        locals.values().forEach(inputs -> roots.addAll(inputs.values()));
        Tensor[] values = Forward.values(graph, model.scope().leafValues(), roots.toArray(Node[]::new));
        return new NamedGraph(leaves, involved, locals, values, Gradients.numericAdjoints(graph, values, output, leaves));
    }

    /** The value of a node (a scalar). */
    double value(Node node) {
        return values[node.id()].item();
    }
}
