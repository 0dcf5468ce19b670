package dev.chainrule.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;

/**
 * Hash-consing: asking for a node again returns it, under every way the table files nodes (the
 * slots of the newest input, the hash table once those are full, constants by value).
 */
class InternTableTest {

    /** x is made after the constants, so it is the newest input of every x + c and its 4 slots overflow. */
    @Test
    void aNodeWithManyConsumersFindsEachOfThemAgain() {
        Graph g = new Graph();
        List<Node> constants = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            constants.add(g.constant(i + 0.5));
        }
        Node x = g.leaf("x", LeafKind.PARAM);
        List<Node> sums = new ArrayList<>();
        for (Node c : constants) {
            sums.add(g.node(Op.ADD, x, c));
            sums.add(g.node(Op.MUL, c, x));
        }
        int size = g.size();
        for (int i = 0; i < constants.size(); i++) {
            assertSame(sums.get(2 * i), g.node(Op.ADD, x, constants.get(i)));
            assertSame(sums.get(2 * i + 1), g.node(Op.MUL, constants.get(i), x));
            assertNotSame(sums.get(2 * i), g.node(Op.ADD, constants.get(i), x), "inputs in the other order are another node");
        }
        assertEquals(size + constants.size(), g.size());
    }

    @Test
    void opsAttributesAndArityTellNodesApart() {
        Graph g = new Graph();
        Node x = g.leaf("x", LeafKind.PARAM, Shape.of(2, 3));
        Node sum0 = g.node(Op.SUM, new int[] {0}, x);
        Node sum1 = g.node(Op.SUM, new int[] {1}, x);
        assertNotSame(sum0, sum1);
        assertSame(sum0, g.node(Op.SUM, new int[] {0}, x));
        assertSame(sum1, g.node(Op.SUM, new int[] {1}, x));
        Node neg = g.node(Op.NEG, x);
        Node tanh = g.node(Op.TANH, x);
        assertNotSame(neg, tanh);
        assertSame(neg, g.node(Op.NEG, x));
        assertSame(tanh, g.node(Op.TANH, x));
        assertSame(g.node(Op.ADD, x, x), g.node(Op.ADD, x, x));
    }

    @Test
    void constantsAreOneNodePerValueAndShape() {
        Graph g = new Graph();
        assertSame(g.constant(2), g.constant(2.0));
        assertNotSame(g.constant(0.0), g.constant(-0.0));
        Node v = g.constant(Tensor.of(Shape.of(2), 1, 2));
        assertSame(v, g.constant(Tensor.of(Shape.of(2), 1, 2)));
        assertNotSame(v, g.constant(Tensor.of(Shape.of(1, 2), 1, 2)));
    }

    /** A long chain, where each node is the newest input of the next, stays one node per step. */
    @Test
    void aChainOfAMillionStepsIsBuiltOnceAndFoundAgain() {
        Graph g = new Graph();
        Node x = g.leaf("x", LeafKind.PARAM);
        Node h = x;
        for (int i = 0; i < 1_000_000; i++) {
            h = i % 2 == 0 ? g.node(Op.SIN, h) : g.node(Op.ADD, h, x);
        }
        int size = g.size();
        Node again = x;
        for (int i = 0; i < 1_000_000; i++) {
            again = i % 2 == 0 ? g.node(Op.SIN, again) : g.node(Op.ADD, again, x);
        }
        assertSame(h, again);
        assertEquals(size, g.size());
    }
}
