package dev.chainrule.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Graphs and texts far deeper than the Java stack: every traversal is a loop, so a chain of
 * 1,000,000 nodes evaluates and differentiates on the default stack.
 */
class DeepGraphTest {

    @Test
    void millionNodeChainThroughTheGraphApi() {
        Graph graph = new Graph();
        Node x = graph.leaf("x", LeafKind.PARAM);
        Node half = graph.constant(0.5);
        Node node = x;
        while (graph.size() < 1_000_000) {
            node = graph.node(Op.ADD, graph.node(Op.MUL, half, graph.node(Op.SIN, node)), x);
        }
        assertTrue(graph.size() >= 1_000_000);
        Tensor[] leaves = {Tensor.scalar(0.3)};
        Tensor[] values = Forward.values(graph, leaves, node);
        double gradient = Gradients.numeric(graph, values, node, List.of(x))[0].item();
        // the same chain by hand: v' = 0.5·cos(v)·v' + 1
        double v = 0.3;
        double dv = 1;
        for (int i = 0; i < (graph.size() - 2) / 3; i++) {
            dv = 0.5 * Math.cos(v) * dv + 1;
            v = 0.5 * Math.sin(v) + 0.3;
        }
        assertEquals(v, values[node.id()].item(), 1e-12);
        assertEquals(dv, gradient, 1e-9);
    }

    @Test
    void halfAMillionTermSumOnOneLine() {
        StringBuilder text = new StringBuilder("param x = 2\ny = x");
        for (int i = 1; i < 500_000; i++) {
            text.append(" + ").append(i).append("*x");
        }
        Model model = Model.parse("sum.chain", text.append('\n').toString());
        Node y = model.scope().lookup("y");
        assertTrue(model.graph().size() > 1_000_000, "nodes: " + model.graph().size());
        double n = 500_000;
        double coefficients = 1 + (n - 1) * n / 2;
        assertEquals(2 * coefficients, model.value(y).item(), 1e-6);
        assertEquals(coefficients, model.gradient(y, model.scope().params()).get("x").item(), 1e-6);
    }

    @Test
    void aChainOfAMillionLines() {
        StringBuilder text = new StringBuilder("param x0 = 0.1\n");
        for (int i = 1; i <= 1_000_000; i++) {
            text.append('x').append(i).append(" = x").append(i - 1).append(" * 1.000001\n");
        }
        Model model = Model.parse("chain.chain", text.toString());
        Node last = model.scope().lookup("x1000000");
        assertEquals(0.1 * Math.pow(1.000001, 1_000_000), model.value(last).item(), 1e-9);
        assertEquals(Math.pow(1.000001, 1_000_000), model.gradient(last, model.scope().params()).get("x0").item(), 1e-8);
    }

    @Test
    void bracketsNestedOneHundredThousandDeep() {
        int depth = 100_000;
        String text = "param x = 0.5\ny = " + "sin(".repeat(depth) + "x" + ")".repeat(depth) + "\n";
        Model model = Model.parse("nested.chain", text);
        Node y = model.scope().lookup("y");
        double v = 0.5;
        double dv = 1;
        for (int i = 0; i < depth; i++) {
            dv *= Math.cos(v);
            v = Math.sin(v);
        }
        assertEquals(v, model.value(y).item(), 1e-12);
        assertEquals(dv, model.gradient(y, model.scope().params()).get("x").item(), 1e-12);
        Node d = model.derivative(y, model.scope().lookup("x"), null);
        assertEquals(dv, model.value(d).item(), 1e-12);
        assertTrue(model.graph().size() < 5 * depth, "symbolic gradient stays linear: " + model.graph().size());
    }

    /** Each named node's local derivatives come from a sweep over its own definition only. */
    @Test
    void explainsAChainOfTwoHundredThousandNamedNodes() {
        int n = 200_000;
        StringBuilder text = new StringBuilder("param x0 = 0.1\n");
        for (int i = 1; i <= n; i++) {
            text.append('x').append(i).append(" = sin(x").append(i - 1).append(") + 0.5\n");
        }
        Model model = Model.parse("chain.chain", text.toString());
        var e = model.explain(model.scope().lookup("x" + n), "x" + n, model.scope().lookup("x0"), null);
        assertEquals(n, e.factors().size());
        assertEquals(1, e.equations().size());
        double v = 0.1;
        double dv = 1;
        for (int i = 0; i < n; i++) {
            dv *= Math.cos(v);
            v = Math.sin(v) + 0.5;
        }
        assertEquals(dv, e.gradient(), 1e-12 * Math.abs(dv));
        assertEquals("cos(x0)", model.print(e.factors().get(n - 1).expression(), dev.chainrule.print.Format.ASCII).inline());
    }
}
