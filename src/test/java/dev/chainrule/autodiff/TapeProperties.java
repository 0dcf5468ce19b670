package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import dev.chainrule.testing.RandomExpressions;
import dev.chainrule.testing.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tape gives the graph sweeps' values and gradients (the general, object-based sweeps), on random scalar expressions. */
class TapeProperties {

    @Test
    void tapeEqualsTheGraphSweeps() {
        Seeds.qt()
                .withExamples(300)
                .forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS)
                .checkAssert((choices, at) -> {
                    Model model = RandomExpressions.parse(choices, at, "");
                    Node f = model.scope().lookup("f");
                    List<Node> params = model.scope().params();
                    Tape tape = Tape.compile(model.graph(), f, params);
                    assertNotNull(tape);
                    double value = tape.forward(model.scope().leafValues());
                    double[] gradient = tape.backward();
                    String text = RandomExpressions.expression(choices);
                    var values = Forward.values(model.graph(), model.scope().leafValues(), f);
                    assertEquals(values[f.id()].item(), value, 0.0, text);
                    var expected = Gradients.numeric(model.graph(), values, f, params);
                    for (int k = 0; k < params.size(); k++) {
                        double g = expected[k].item();
                        assertEquals(g, gradient[k], 1e-12 * Math.max(1, Math.abs(g)), text);
                    }
                });
    }

    @Test
    void tensorsAreNotLowered() {
        Model model = Model.parse("m", "param W = [[1, 2], [3, 4]]\nE = sum(W * W)\n");
        assertNull(Tape.compile(model.graph(), model.scope().lookup("E"), model.scope().params()));
    }

    /**
     * Rules specialised to constant inputs (the 2 of x^2 folded, x^1 and x/1 reduced to x) give
     * the general rules' numbers, and leaves that are not asked for take no adjoint yet leave the
     * asked ones right.
     */
    @Test
    void specialisedRulesGiveTheGeneralNumbers() {
        Model model = Model.parse("m", """
                param x = 0.7, y = -1.3
                input c = 2.5
                f = x^2 + x^1 + x/1 + 0.5*x + (y - x)^3 + 2^x + c*y + (x*c)^2
                """);
        Node f = model.scope().lookup("f");
        List<Node> wrt = List.of(model.scope().lookup("x"));
        Tape tape = Tape.compile(model.graph(), f, wrt);
        tape.forward(model.scope().leafValues());
        double[] gradient = tape.backward();
        var values = Forward.values(model.graph(), model.scope().leafValues(), f);
        double expected = Gradients.numeric(model.graph(), values, f, wrt)[0].item();
        double x = 0.7;
        double y = -1.3;
        double byHand = 2 * x + 1 + 1 + 0.5 - 3 * (y - x) * (y - x) + Math.pow(2, x) * Math.log(2) + 2 * 2.5 * 2.5 * x;
        assertEquals(expected, gradient[0], 1e-15 * Math.abs(expected));
        assertEquals(byHand, gradient[0], 1e-12 * Math.abs(byHand));
    }
}
