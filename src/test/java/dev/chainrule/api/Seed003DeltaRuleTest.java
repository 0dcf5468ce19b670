package dev.chainrule.api;

import static dev.chainrule.testing.Golden.assertPrinted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.model.Scope;
import dev.chainrule.testing.Golden;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The 2-2-1 example of the delta-rule derivation (seed 003). Its text rounds by hand (it prints
 * o = 0.7101 where the exact value is 0.709977659), so the exact values are asserted here, each
 * also agreeing with the tutorial's 4-digit figure where that figure is a correct rounding.
 */
class Seed003DeltaRuleTest {
    private Model model;
    private Scope scope;

    @BeforeEach
    void load() {
        model = Golden.exampleModel("delta-rule-2-2-1", "print h1");
        scope = model.scope();
    }

    private double value(String name) {
        return model.value(scope.lookup(name)).item();
    }

    @Test
    void forwardPass() {
        assertPrinted("0.622459331", value("h1"));
        assertPrinted("0.574442517", value("h2"));
        assertPrinted("0.895275545", value("z"));
        assertPrinted("0.709977659", value("o"));
        assertPrinted("0.0420564791", value("E"));
        // the tutorial's figures: h1 0.6225, h2 0.5744, z 0.8953, E 0.0420 (o it rounds to 0.7101)
        assertPrinted("0.6225", value("h1"));
        assertPrinted("0.5744", value("h2"));
        assertPrinted("0.8953", value("z"));
        assertPrinted("0.0421", value("E"));
    }

    @Test
    void gradients() {
        Node e = scope.lookup("E");
        Map<String, Tensor> g = model.gradient(e, scope.params());
        assertPrinted("-0.00982381902", g.get("w11").item());
        assertEquals(0.0, g.get("w12").item(), 0.0);
        assertPrinted("-0.011678912", g.get("w21").item());
        assertEquals(0.0, g.get("w22").item(), 0.0);
        assertPrinted("-0.0371722263", g.get("v1").item());
        assertPrinted("-0.0343047427", g.get("v2").item());
        // the tutorial: dE/dv1 -0.0371, dE/dv2 -0.0342 (it truncates -0.03430), dE/dw11 -0.0098
        assertPrinted("-0.0372", g.get("v1").item());
        assertPrinted("-0.0098", g.get("w11").item());
    }

    /**
     * The output delta (o - y)·o·(1 - o). The tutorial prints -0.0596 because it multiplies its
     * rounded o = 0.7101 and truncates (-0.2899 · 0.2058 = -0.05966); the exact delta is -0.0597183.
     */
    @Test
    void outputDeltaIsTheProductOfTheFirstTwoFactors() {
        var e = model.explain(scope.lookup("E"), "E", scope.lookup("v1"), null);
        assertEquals("E", e.factors().get(0).numerator());
        assertEquals("o", e.factors().get(1).numerator());
        double delta = e.factors().get(0).value() * e.factors().get(1).value();
        assertPrinted("-0.0597183212", delta);
    }

    @Test
    void oneUpdate() {
        model.train(scope.lookup("E"), "E", scope.params(), 0.5, 1);
        assertPrinted("0.718586113", scope.leafValue(scope.lookup("v1")).item());
        assertPrinted("0.817152371", scope.leafValue(scope.lookup("v2")).item());
        assertPrinted("0.50491191", scope.leafValue(scope.lookup("w11")).item());
        assertPrinted("0.305839456", scope.leafValue(scope.lookup("w21")).item());
        assertPrinted("0.714775649", value("o"));
        // the tutorial: v1 0.7186, v2 0.8171, w11 0.5049, w21 0.3058 (it prints 0.3059), o 0.7148
        assertPrinted("0.7148", value("o"));
    }
}
