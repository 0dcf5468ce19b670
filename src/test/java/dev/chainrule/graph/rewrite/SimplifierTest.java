package dev.chainrule.graph.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.chainrule.graph.op.Op;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;

/** The rewrite rules, one by one, and sharing by interning. */
class SimplifierTest {
    private Graph graph;
    private Simplifier s;
    private Node x;
    private Node y;

    @BeforeEach
    void setUp() {
        graph = new Graph();
        s = new Simplifier(graph);
        x = graph.leaf("x", LeafKind.PARAM);
        y = graph.leaf("y", LeafKind.PARAM);
    }

    private Node c(double v) {
        return graph.constant(v);
    }

    private String text(Node n) {
        return new ExprPrinter(graph, Format.ASCII, node -> null).inline(n);
    }

    @Test
    void identities() {
        assertSame(x, s.make(Op.MUL, x, c(1)));
        assertSame(x, s.make(Op.MUL, c(1), x));
        assertEquals("0", text(s.make(Op.MUL, x, c(0))));
        assertSame(x, s.make(Op.ADD, x, c(0)));
        assertSame(x, s.make(Op.ADD, c(0), x));
        assertSame(x, s.make(Op.SUB, x, c(0)));
        assertEquals("-x", text(s.make(Op.SUB, c(0), x)));
        assertSame(x, s.make(Op.NEG, s.make(Op.NEG, x)));
        assertSame(x, s.make(Op.POW, x, c(1)));
        assertEquals("1", text(s.make(Op.POW, x, c(0))));
        assertSame(x, s.make(Op.DIV, x, c(1)));
        assertEquals("0", text(s.make(Op.SUB, x, x)));
    }

    @Test
    void constantsFoldAndGather() {
        assertEquals("6", text(s.make(Op.MUL, c(2), c(3))));
        assertEquals("6*x", text(s.make(Op.MUL, c(2), s.make(Op.MUL, c(3), x))));
        assertEquals("2*x", text(s.make(Op.MUL, x, c(2))));
        assertEquals("-x", text(s.make(Op.MUL, x, c(-1))));
        assertEquals("2*(x*y)", text(s.make(Op.MUL, x, s.make(Op.MUL, c(2), y))));
        assertEquals("x + 3", text(s.make(Op.ADD, c(3), x)));
        assertEquals("x + 5", text(s.make(Op.ADD, s.make(Op.ADD, x, c(2)), c(3))));
    }

    @Test
    void likeTermsGather() {
        assertEquals("2*x", text(s.make(Op.ADD, x, x)));
        assertEquals("5*x", text(s.make(Op.ADD, s.make(Op.MUL, c(2), x), s.make(Op.MUL, c(3), x))));
        assertEquals("2*x + 1", text(s.make(Op.ADD, s.make(Op.ADD, c(1), x), x)));
        assertEquals("0", text(s.make(Op.ADD, s.make(Op.NEG, x), x)));
    }

    @Test
    void signsMove() {
        assertEquals("x - y", text(s.make(Op.ADD, x, s.make(Op.NEG, y))));
        assertEquals("x + y", text(s.make(Op.SUB, x, s.make(Op.NEG, y))));
        assertEquals("x*y", text(s.make(Op.MUL, s.make(Op.NEG, x), s.make(Op.NEG, y))));
        assertEquals("x + 2*y", text(s.make(Op.SUB, x, s.make(Op.MUL, c(-2), y))));
        Node product = graph.node(Op.MUL, graph.node(Op.MUL, c(-2), y), graph.leaf("z", LeafKind.PARAM));
        assertEquals("x + 2*y*z", text(s.make(Op.SUB, x, product)));
        assertEquals("x - 2*y", text(s.make(Op.SUB, x, s.make(Op.MUL, c(2), y))), "a positive coefficient stays");
    }

    /** mean's adjoint is -1/n spread over the rows: a constant filled with one number, which acts as that number. */
    @Test
    void aConstantFilledWithOneNumberIsThatNumberWhenTheOtherSideGivesTheShape() {
        dev.chainrule.tensor.Shape three = dev.chainrule.tensor.Shape.of(3);
        Node v = graph.leaf("v", LeafKind.PARAM, three);
        Node half = graph.constant(dev.chainrule.tensor.Tensor.filled(three, -0.5));
        assertEquals("-0.5*v", text(s.make(Op.MUL, half, v)));
        assertEquals("v + 0.5", text(s.make(Op.SUB, v, half)));
        assertSame(v, s.make(Op.MUL, v, graph.constant(dev.chainrule.tensor.Tensor.filled(three, 1))), "filled with 1: v itself");
        Node mixed = graph.constant(dev.chainrule.tensor.Tensor.of(three, 1, 2, 3));
        assertEquals(three, s.make(Op.MUL, mixed, v).input(0).shape(), "different numbers stay a tensor");
        Node widened = s.make(Op.MUL, half, x);
        assertEquals(three, widened.shape(), "a scalar times the filled constant keeps the constant's shape");
        assertEquals(three, widened.input(0).shape());
    }

    @Test
    void identicalNodesAreOneNode() {
        Node a = graph.node(Op.SIN, graph.node(Op.MUL, x, y));
        Node b = graph.node(Op.SIN, graph.node(Op.MUL, x, y));
        assertSame(a, b);
        assertSame(s.make(Op.COS, x), s.make(Op.COS, x));
    }

    @Test
    void foldingNeverHidesADomainError() {
        assertEquals("log(-1)", text(s.make(Op.LOG, c(-1))));
    }
}
