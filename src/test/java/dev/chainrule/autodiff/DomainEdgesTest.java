package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Session;
import dev.chainrule.check.RuleCheck;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Derivatives at the edges of a power's domain, where a rule multiplies an exact zero by an
 * infinity: every way to a gradient gives the value torch and JAX give, on scalars (the tape),
 * on tensors (the graph sweep) and symbolically.
 */
class DomainEdgesTest {

    /** The gradient by reverse mode on the tape, on the graph, and the symbolic derivative's value. */
    private static void allWaysGive(String function, String wrt, double expected) {
        Model scalar = Model.parse("m.chain", "param x = 0, y = 2, w = 0\nE = " + function + "\n");
        assertEquals(expected, scalar.gradient(scalar.scope().lookup("E"), List.of(scalar.scope().lookup(wrt))).get(wrt).item(),
                0.0, function + " on the tape");
        Model tensor = Model.parse("m.chain", "param x = [0, 0], y = [2, 2], w = [0, 0]\nE = sum(" + function + ")\n");
        Tensor g = tensor.gradient(tensor.scope().lookup("E"), List.of(tensor.scope().lookup(wrt))).get(wrt);
        assertEquals(expected, g.get(0), 0.0, function + " on the graph");
        var d = new Session(scalar, Options.defaults()).derive(
                new dev.chainrule.lang.Command.Target(scalar.scope().lookup("E"), "E", scalar.source().whole()),
                scalar.scope().lookup(wrt), scalar.source().whole());
        assertEquals(expected, d.value().item(), 0.0, function + " symbolically: " + d.ascii());
    }

    @ParameterizedTest
    @CsvSource({"w^0, w, 0", "w^1, w, 1", "w^2, w, 0", "w^3, w, 0", "x^y, y, 0", "x^y, x, 0", "'pow(w, 0) * 3', w, 0"})
    void powersAtZero(String function, String wrt, double expected) {
        allWaysGive(function, wrt, expected);
    }

    @Test
    void everyEdgeOfTheTableAgreesWithDifferences() {
        var findings = RuleCheck.run(1);
        for (Op op : Op.values()) {
            if (!op.edges().isEmpty()) {
                assertEquals(true, findings.get(op).agrees(), findings.get(op).toString());
            }
        }
    }
}
