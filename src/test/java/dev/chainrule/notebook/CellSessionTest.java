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
}
