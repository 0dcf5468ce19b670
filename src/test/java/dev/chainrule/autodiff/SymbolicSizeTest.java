package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * No expression swell: the gradient graph of sin(sin(...(x·y)...)) stays within four times the
 * size of the function's graph at every depth (a tree would grow with the square of the depth).
 */
class SymbolicSizeTest {

    @ParameterizedTest
    @ValueSource(ints = {10, 40, 1000, 100_000})
    void nestedSinesStayLinear(int depth) {
        Graph graph = new Graph();
        Node x = graph.leaf("x", LeafKind.PARAM);
        Node y = graph.leaf("y", LeafKind.PARAM);
        Node f = graph.node(Op.MUL, x, y);
        for (int i = 0; i < depth; i++) {
            f = graph.node(Op.SIN, f);
        }
        int forward = graph.reachableFrom(f).cardinality();
        Node dx = Gradients.symbolic(graph, f, x);
        int gradient = graph.reachableFrom(dx).cardinality();
        assertTrue(gradient <= 4 * forward, "depth " + depth + ": " + gradient + " gradient nodes for " + forward);
    }

    @Test
    void theTwoTwoTwoNetworksFullGradientStaysLinear() {
        var model = Golden.exampleModel("backprop-2-2-2", "# The forward pass.");
        Node e = model.scope().lookup("E");
        Graph graph = model.graph();
        int forward = graph.reachableFrom(e).cardinality();
        var derivatives = Gradients.symbolic(graph, e, model.scope().params());
        int gradient = graph.reachableFrom(derivatives.values().toArray(Node[]::new)).cardinality();
        assertTrue(gradient <= 4 * forward, gradient + " gradient nodes for " + forward);
    }
}
