package dev.chainrule.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.api.Options;
import dev.chainrule.diag.ChainException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cells share one model; names may be defined again and what used them is rebuilt. */
class CellSessionTest {
    private static String text(CellSession.CellResult result) {
        StringBuilder s = new StringBuilder();
        result.results().forEach(r -> s.append(r.text(Options.defaults())));
        return s.toString();
    }

    @Test
    void cellsShareDefinitions() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("param x = 2\ny = x^2");
        assertEquals("y = 4\n", text(session.execute("print y")));
        assertEquals("y = 4\n∂y/∂x = 4\n", text(session.execute("grad y")));
    }

    @Test
    void theLatestDefinitionWinsAndDependentsAreRebuilt() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("param x = 2\ny = x^2\nz = y + 1\nw = 3*x");
        CellSession.CellResult redefined = session.execute("y = x^3\nprint z, w");
        assertEquals(List.of("z"), redefined.rebuilt());
        assertEquals("z = 9\nw = 6\n", text(redefined));
        assertEquals("z = 9\n∂z/∂x = 12\n", text(session.execute("grad z")));
    }

    @Test
    void aRedefinitionLaterInTheSameCellRebuildsWhatTheCellBuiltOnIt() {
        CellSession session = new CellSession(Options.defaults());
        CellSession.CellResult result = session.execute("param x = 2\na = x\nb = a + 1\na = 3*x\nprint b");
        assertEquals(List.of("b"), result.rebuilt());
        assertEquals("b = 7\n", text(result));
    }

    @Test
    void runningADeclarationAgainSetsItsValue() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("param x = 2\ny = x^2");
        session.execute("param x = 5");
        assertEquals("y = 25\n", text(session.execute("print y")));
        ChainException e = assertThrows(ChainException.class, () -> session.execute("param x = [1, 2]"));
        assertEquals("cell 4:1:7: 'x' is a scalar param; a new value must have that shape (restart to change it)",
                e.render().lines().findFirst().orElseThrow());
    }

    @Test
    void mistakesPointIntoTheirCell() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("param x = 2");
        ChainException e = assertThrows(ChainException.class, () -> session.execute("y = x +\n"));
        assertEquals("cell 2:1:8: expected an expression, found end of line\ny = x +\n       ^", e.render());
        ChainException unknown = assertThrows(ChainException.class, () -> session.execute("print xx"));
        assertEquals("cell 3:1:7: unknown name 'xx'; did you mean 'x'?\nprint xx\n      ^^", unknown.render());
    }

    @Test
    void aBareExpressionPrintsItsValue() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("param x = 2\ny = x^2");
        assertEquals("y + 1 = 5\n", text(session.execute("y + 1")));
        assertEquals("y = 4\n", text(session.execute("y")));
        ChainException e = assertThrows(ChainException.class, () -> session.execute("y +"));
        assertEquals("cell 4:1:4: expected an expression, found end of input", e.render().lines().findFirst().orElseThrow());
    }

    @Test
    void trainingMovesOnlyTheParamsItsLossDependsOn() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("param a = 1, b = 5\nL1 = (a - 3)^2\nL2 = (b - 1)^2");
        session.execute("train L1 lr 0.1 steps 10");
        assertEquals("b = 5\n", text(session.execute("print b")));
        String trained = text(session.execute("train L2 lr 0.1 steps 1 optimizer adam"));
        assertEquals("train L2: 1 step of gradient descent (adam), lr 0.1: L2 16 -> 15.21\n  b = 4.9\n", trained);
    }

    @Test
    void aFunctionWrittenAgainRebuildsWhatCallsIt() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("def act(x) = sigmoid(x)\nparam w = 0\nh = act(w)\nz = 2 * h");
        CellSession.CellResult redefined = session.execute("def act(x) = tanh(x)\nprint z");
        assertEquals(List.of("h", "z"), redefined.rebuilt());
        assertEquals("z = 0\n", text(redefined));
    }

    @Test
    void blocksAreWrittenOverSeveralLinesOfACell() {
        CellSession session = new CellSession(Options.defaults());
        session.execute("""
                def twice(x):
                    y = 2 * x
                    return y
                end
                h[0] = 1
                for t in 1..3:
                    h[t] = twice(h[t-1])
                end
                """);
        assertEquals("h[3] = 8\n", text(session.execute("print h[3]")));
        assertEquals(1, dev.chainrule.lang.Language.openBlocks("def f(x):\n    y = x\n"));
        assertEquals(0, dev.chainrule.lang.Language.openBlocks("for t in 1..2: h[t] = 1\n"));
        assertEquals(2, dev.chainrule.lang.Language.openBlocks("for t in 1..2:\n  for s in 1..2:\n"));
    }
}
