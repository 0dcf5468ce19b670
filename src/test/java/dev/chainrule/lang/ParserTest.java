package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.chainrule.api.Model;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import org.junit.jupiter.api.Test;

/** The grammar's precedence and associativity, statements and separators, and sharing of nodes. */
class ParserTest {

    private static double value(String expression) {
        Model m = Model.parse("m", "input x = 3\ne = " + expression + "\n");
        return m.value(m.scope().lookup("e")).item();
    }

    @Test
    void powerBindsTighterThanUnaryMinusAndIsRightAssociative() {
        assertEquals(-9, value("-x^2"));
        assertEquals(9, value("(-x)^2"));
        assertEquals(Math.pow(2, 9), value("2^x^2"));
        assertEquals(1.0 / 8, value("2^-x"));
        assertEquals(-1, value("1 - x + 1"));
        assertEquals(0.5, value("x / 2 / 3"));
        assertEquals(7, value("1 + 2 * x"));
        assertEquals(27, value("pow(x, 3)"));
    }

    @Test
    void numbersInEveryForm() {
        assertEquals(0.001, value("1e-3"));
        assertEquals(0.5, value(".5"));
        assertEquals(5, value("5.0"));
        assertEquals(250, value("2.5E2"));
        // no trailing dot, so that a range reads as one: 1..3 is 1, '..', 3
        ChainException trailing = assertThrows(ChainException.class, () -> value("5."));
        assertEquals("m:2:7: expected a name, found end of line", trailing.render().lines().findFirst().orElseThrow());
    }

    @Test
    void statementsCommentsAndSeparators() {
        Model m = Model.parse("m", """
                # a comment line
                input a = 1, b = -2.5   # trailing comment
                param w = 0.5; c = a*w; d = c + b

                print c, d
                grad d wrt w, a; derive d wrt w
                explain d wrt w
                check d
                train d lr 0.1 steps 3 wrt w
                graph d
                """);
        assertEquals(-2, m.value(m.scope().lookup("d")).item());
        assertEquals(7, m.commands().size());
        assertEquals(Command.Print.class, m.commands().get(0).getClass());
        assertEquals(Command.Train.class, m.commands().get(5).getClass());
        assertEquals(3, ((Command.Train) m.commands().get(5)).steps());
    }

    @Test
    void identicalSubexpressionsAreSharedAndEveryNameIsANodeOfItsOwn() {
        Model m = Model.parse("m", "param x = 1, y = 2\na = sin(x*y) + x\nb = sin(x*y) * x\nc = a\nd = sin(x*y) + x\n");
        Node a = m.scope().lookup("a");
        Node b = m.scope().lookup("b");
        assertSame(a.input(0), b.input(0));
        assertEquals(Op.SIN, a.input(0).op());
        assertEquals("a", m.scope().nameOf(a));
        // a name for a node that exists already (an alias, the same expression again) is a copy of it
        Node c = m.scope().lookup("c");
        Node d = m.scope().lookup("d");
        assertEquals(Op.COPY, c.op());
        assertSame(a, c.input(0));
        assertEquals(Op.COPY, d.op());
        assertSame(a, d.input(0));
        org.junit.jupiter.api.Assertions.assertNotSame(c, d);
        assertEquals("c", m.scope().nameOf(c));
    }

    @Test
    void gradInsideAnExpressionIsANode() {
        Model m = Model.parse("m", "param x = 2\nf = x^3\nd2 = grad(grad(f, x), x)\n");
        assertEquals(12, m.value(m.scope().lookup("d2")).item());
    }
}
