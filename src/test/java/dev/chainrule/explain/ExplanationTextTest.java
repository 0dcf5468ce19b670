package dev.chainrule.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.print.Format;
import dev.chainrule.testing.Golden;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The explanations of the 2-2-2 network's gradients, asserted whole. */
class ExplanationTextTest {
    private Model model;

    @BeforeEach
    void load() {
        model = Golden.exampleModel("backprop-2-2-2", "# The forward pass.");
    }

    private String explain(String wrt, Format format) {
        var scope = model.scope();
        Explanation e = model.explain(scope.lookup("E"), "E", scope.lookup(wrt), null);
        return new ExplanationPrinter(model.graph(), scope::nameOf, format, 9).print(e);
    }

    @Test
    void outputWeightIsOneChain() {
        assertEquals("""
                ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5
                       = 0.74136507 · 0.186815602 · 0.593269992
                       = 0.0821670406

                local derivatives:
                  ∂E/∂out_o1      = -(t1 - out_o1)      = 0.74136507
                  ∂out_o1/∂net_o1 = out_o1·(1 - out_o1) = 0.186815602
                  ∂net_o1/∂w5     = out_h1              = 0.593269992
                """, explain("w5", Format.TEXT));
    }

    @Test
    void hiddenWeightSumsOverBothPaths() {
        assertEquals("""
                ∂E/∂w1 = ∂E/∂out_h1 · ∂out_h1/∂net_h1 · ∂net_h1/∂w1
                       = 0.0363503064 · 0.241300709 · 0.05
                       = 0.000438567734
                ∂E/∂out_h1 = ∂E/∂net_o1 · ∂net_o1/∂out_h1 + ∂E/∂net_o2 · ∂net_o2/∂out_h1
                           = 0.138498562 · 0.4 + (-0.0380982365) · 0.5
                           = 0.0553994247 - 0.0190491183
                           = 0.0363503064
                             (out_h1 feeds net_o1 and net_o2: one term per path)
                ∂E/∂net_o1 = ∂E/∂out_o1 · ∂out_o1/∂net_o1
                           = 0.74136507 · 0.186815602
                           = 0.138498562
                ∂E/∂net_o2 = ∂E/∂out_o2 · ∂out_o2/∂net_o2
                           = (-0.217071535) · 0.175510053
                           = -0.0380982365

                local derivatives:
                  ∂out_h1/∂net_h1 = out_h1·(1 - out_h1) = 0.241300709
                  ∂net_h1/∂w1     = i1                  = 0.05
                  ∂net_o1/∂out_h1 = w5                  = 0.4
                  ∂net_o2/∂out_h1 = w7                  = 0.5
                  ∂E/∂out_o1      = -(t1 - out_o1)      = 0.74136507
                  ∂out_o1/∂net_o1 = out_o1·(1 - out_o1) = 0.186815602
                  ∂E/∂out_o2      = -(t2 - out_o2)      = -0.217071535
                  ∂out_o2/∂net_o2 = out_o2·(1 - out_o2) = 0.175510053
                """, explain("w1", Format.TEXT));
    }

    @Test
    void asciiUsesDAndStar() {
        assertEquals("""
                dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5
                       = 0.74136507 * 0.186815602 * 0.593269992
                       = 0.0821670406

                local derivatives:
                  dE/dout_o1      = -(t1 - out_o1)      = 0.74136507
                  dout_o1/dnet_o1 = out_o1*(1 - out_o1) = 0.186815602
                  dnet_o1/dw5     = out_h1              = 0.593269992
                """, explain("w5", Format.ASCII));
    }

    @Test
    void latexIsAnAlignedBlock() {
        String latex = explain("w5", Format.LATEX);
        assertTrue(latex.startsWith("\\begin{aligned}\n\\frac{\\partial E}{\\partial w_{5}} &= "
                + "\\frac{\\partial E}{\\partial \\mathrm{out}_{o1}} \\cdot "), latex);
        assertTrue(latex.contains("\\frac{\\partial \\mathrm{out}_{o1}}{\\partial \\mathrm{net}_{o1}} &= "
                + "\\mathrm{out}_{o1} \\cdot \\left(1 - \\mathrm{out}_{o1}\\right) = 0.186815602"), latex);
        assertTrue(latex.endsWith("\\end{aligned}\n"), latex);
    }

    @Test
    void markdownHasMathAndATableOfLocalDerivatives() {
        String md = explain("w1", Format.MARKDOWN);
        assertTrue(md.startsWith("**Chain rule for $\\frac{\\partial E}{\\partial w_{1}}$**\n\n$$\n\\begin{aligned}\n"), md);
        assertTrue(md.contains("`out_h1` feeds net_o1 and net_o2: one term per path."), md);
        assertTrue(md.contains("| $\\frac{\\partial \\mathrm{net}_{h1}}{\\partial w_{1}}$ | $i_{1}$ | 0.05 |"), md);
    }

    @Test
    void aTargetThatDoesNotDependOnTheLeaf() {
        Model m = Model.parse("m", "param a = 1, b = 2\ny = a*a\n");
        Explanation e = m.explain(m.scope().lookup("y"), "y", m.scope().lookup("b"), null);
        assertEquals("y does not depend on b: ∂y/∂b = 0\n",
                new ExplanationPrinter(m.graph(), m.scope()::nameOf, Format.TEXT, 9).print(e));
    }

    @Test
    void aNodeUsedTwiceInOneDefinitionFoldsIntoOneFactor() {
        Model m = Model.parse("m", "param a = 3\nh = a^2\ny = h*h + h\n");
        Explanation e = m.explain(m.scope().lookup("y"), "y", m.scope().lookup("a"), null);
        assertEquals("""
                ∂y/∂a = ∂y/∂h · ∂h/∂a
                      = 19 · 6
                      = 114

                local derivatives:
                  ∂y/∂h = 2·h + 1 = 19
                  ∂h/∂a = 2·a     = 6
                """, new ExplanationPrinter(m.graph(), m.scope()::nameOf, Format.TEXT, 9).print(e));
    }

    @Test
    void everyTermSumsToItsEquation() {
        var scope = model.scope();
        for (var leaf : scope.params()) {
            Explanation e = model.explain(scope.lookup("E"), "E", leaf, null);
            for (Explanation.Equation eq : e.equations()) {
                double sum = eq.terms().stream().mapToDouble(Explanation.Term::value).sum();
                assertEquals(eq.value(), sum, 1e-15 * Math.max(1, Math.abs(eq.value())), eq.node());
            }
        }
    }
}
