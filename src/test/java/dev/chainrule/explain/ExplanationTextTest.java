package dev.chainrule.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.print.Format;
import dev.chainrule.testing.Golden;
import java.util.List;
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
        assertEquals("""
                \\begin{aligned}
                \\frac{\\partial E}{\\partial w_{5}} &= \\frac{\\partial E}{\\partial \\mathrm{out}_{o1}} \\cdot \\frac{\\partial \\mathrm{out}_{o1}}{\\partial \\mathrm{net}_{o1}} \\cdot \\frac{\\partial \\mathrm{net}_{o1}}{\\partial w_{5}} \\\\
                &= 0.74136507 \\cdot 0.186815602 \\cdot 0.593269992 \\\\
                &= 0.0821670406 \\\\
                \\frac{\\partial E}{\\partial \\mathrm{out}_{o1}} &= -\\left(t_{1} - \\mathrm{out}_{o1}\\right) = 0.74136507 \\\\
                \\frac{\\partial \\mathrm{out}_{o1}}{\\partial \\mathrm{net}_{o1}} &= \\mathrm{out}_{o1} \\cdot \\left(1 - \\mathrm{out}_{o1}\\right) = 0.186815602 \\\\
                \\frac{\\partial \\mathrm{net}_{o1}}{\\partial w_{5}} &= \\mathrm{out}_{h1} = 0.593269992
                \\end{aligned}
                """, explain("w5", Format.LATEX));
    }

    @Test
    void markdownHasMathAndATableOfLocalDerivatives() {
        assertEquals("""
                **Chain rule for $\\frac{\\partial E}{\\partial w_{1}}$**

                $$
                \\begin{aligned}
                \\frac{\\partial E}{\\partial w_{1}} &= \\frac{\\partial E}{\\partial \\mathrm{out}_{h1}} \\cdot \\frac{\\partial \\mathrm{out}_{h1}}{\\partial \\mathrm{net}_{h1}} \\cdot \\frac{\\partial \\mathrm{net}_{h1}}{\\partial w_{1}} \\\\
                &= 0.0363503064 \\cdot 0.241300709 \\cdot 0.05 \\\\
                &= 0.000438567734
                \\end{aligned}
                $$

                $$
                \\begin{aligned}
                \\frac{\\partial E}{\\partial \\mathrm{out}_{h1}} &= \\frac{\\partial E}{\\partial \\mathrm{net}_{o1}} \\cdot \\frac{\\partial \\mathrm{net}_{o1}}{\\partial \\mathrm{out}_{h1}} + \\frac{\\partial E}{\\partial \\mathrm{net}_{o2}} \\cdot \\frac{\\partial \\mathrm{net}_{o2}}{\\partial \\mathrm{out}_{h1}} \\\\
                &= 0.138498562 \\cdot 0.4 + \\left(-0.0380982365\\right) \\cdot 0.5 \\\\
                &= 0.0553994247 - 0.0190491183 \\\\
                &= 0.0363503064
                \\end{aligned}
                $$

                `out_h1` feeds net_o1 and net_o2: one term per path.

                $$
                \\begin{aligned}
                \\frac{\\partial E}{\\partial \\mathrm{net}_{o1}} &= \\frac{\\partial E}{\\partial \\mathrm{out}_{o1}} \\cdot \\frac{\\partial \\mathrm{out}_{o1}}{\\partial \\mathrm{net}_{o1}} \\\\
                &= 0.74136507 \\cdot 0.186815602 \\\\
                &= 0.138498562
                \\end{aligned}
                $$

                $$
                \\begin{aligned}
                \\frac{\\partial E}{\\partial \\mathrm{net}_{o2}} &= \\frac{\\partial E}{\\partial \\mathrm{out}_{o2}} \\cdot \\frac{\\partial \\mathrm{out}_{o2}}{\\partial \\mathrm{net}_{o2}} \\\\
                &= \\left(-0.217071535\\right) \\cdot 0.175510053 \\\\
                &= -0.0380982365
                \\end{aligned}
                $$

                | local derivative | expression | value |
                |---|---|---|
                | $\\frac{\\partial \\mathrm{out}_{h1}}{\\partial \\mathrm{net}_{h1}}$ | $\\mathrm{out}_{h1} \\cdot \\left(1 - \\mathrm{out}_{h1}\\right)$ | 0.241300709 |
                | $\\frac{\\partial \\mathrm{net}_{h1}}{\\partial w_{1}}$ | $i_{1}$ | 0.05 |
                | $\\frac{\\partial \\mathrm{net}_{o1}}{\\partial \\mathrm{out}_{h1}}$ | $w_{5}$ | 0.4 |
                | $\\frac{\\partial \\mathrm{net}_{o2}}{\\partial \\mathrm{out}_{h1}}$ | $w_{7}$ | 0.5 |
                | $\\frac{\\partial E}{\\partial \\mathrm{out}_{o1}}$ | $-\\left(t_{1} - \\mathrm{out}_{o1}\\right)$ | 0.74136507 |
                | $\\frac{\\partial \\mathrm{out}_{o1}}{\\partial \\mathrm{net}_{o1}}$ | $\\mathrm{out}_{o1} \\cdot \\left(1 - \\mathrm{out}_{o1}\\right)$ | 0.186815602 |
                | $\\frac{\\partial E}{\\partial \\mathrm{out}_{o2}}$ | $-\\left(t_{2} - \\mathrm{out}_{o2}\\right)$ | -0.217071535 |
                | $\\frac{\\partial \\mathrm{out}_{o2}}{\\partial \\mathrm{net}_{o2}}$ | $\\mathrm{out}_{o2} \\cdot \\left(1 - \\mathrm{out}_{o2}\\right)$ | 0.175510053 |
                """, explain("w1", Format.MARKDOWN));
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

    /**
     * Over random models whose target uses names both directly and through other names: in an
     * explanation every symbol means one thing. A local derivative that could be read as a total
     * of the same name is written apart ({@code ∂E/∂w|direct}), so no symbol is given two values.
     */
    @Test
    void everySymbolOfAnExplanationHasOneValue() {
        java.util.Random random = new java.util.Random(9);
        String[] ops = {"%s*%s", "%s + %s", "sin(%s)*%s", "%s - %s", "sigmoid(%s) + %s"};
        int marked = 0;
        for (int run = 0; run < 200; run++) {
            StringBuilder text = new StringBuilder("param p0 = 0.7, p1 = 1.3, p2 = 0.4\n");
            List<String> known = new java.util.ArrayList<>(List.of("p0", "p1", "p2"));
            for (int i = 0; i < 4; i++) {
                String op = ops[random.nextInt(ops.length)];
                text.append("n").append(i).append(" = ").append(String.format(op, known.get(random.nextInt(known.size())),
                        known.get(random.nextInt(known.size())))).append('\n');
                known.add("n" + i);
            }
            text.append("E = ").append(known.get(3 + random.nextInt(4))).append(" * ").append(known.get(random.nextInt(known.size())))
                    .append(" + ").append(known.get(random.nextInt(known.size()))).append('\n');
            Model m = Model.parse("m", text.toString());
            for (String wrt : known) {
                Explanation e;
                try {
                    e = m.explain(m.scope().lookup("E"), "E", m.scope().lookup(wrt), null);
                } catch (RuntimeException notExplained) {
                    continue;
                }
                String printed = new ExplanationPrinter(m.graph(), m.scope()::nameOf, Format.TEXT, 9).print(e);
                marked += printed.contains("|direct") ? 1 : 0;
                java.util.Map<String, String> values = new java.util.HashMap<>();
                String symbol = null;
                String value = null;
                for (String line : (printed + "\n").split("\n")) {
                    if (line.startsWith("∂") || line.isEmpty() || line.equals("local derivatives:")) {
                        if (symbol != null) {
                            String before = values.putIfAbsent(symbol, value);
                            assertTrue(before == null || before.equals(value), symbol + " is both " + before + " and " + value
                                    + "\n" + text + "\n" + printed);
                        }
                        symbol = line.startsWith("∂") ? line.substring(0, line.indexOf(" = ")) : null;
                        value = line.startsWith("∂") ? line.substring(line.lastIndexOf(" = ") + 3) : null;
                    } else if (line.startsWith("  ∂")) {
                        String row = line.trim();
                        String before = values.putIfAbsent(row.substring(0, row.indexOf(" = ")).trim(), row.substring(row.lastIndexOf(" = ") + 3));
                        String now = row.substring(row.lastIndexOf(" = ") + 3);
                        assertTrue(before == null || before.equals(now), row + " gives another value than " + before + "\n" + text + "\n" + printed);
                    } else if (line.trim().startsWith("= ")) {
                        value = line.trim().substring(2);
                    }
                }
            }
        }
        assertTrue(marked > 20, "the random models had a direct use beside other paths only " + marked + " times");
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

    @Test
    void aTensorOnTheWayIsSaidPlainly() {
        Model m = Model.parse("m.chain", "param W = [[1, 2], [3, 4]]\nparam x = 0.5\nh = sum(W * x)\nE = h * x\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.chainrule.diag.ChainException.class,
                () -> m.explain(m.scope().lookup("E"), "E", m.scope().lookup("x"), new dev.chainrule.diag.Source("--wrt", "x").whole()));
        assertEquals("explain follows scalar nodes one factor at a time, and a value on the way is a (2×2) value; "
                + "vector and matrix explanations are not built yet", e.getMessage());
        var plain = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> m.explain(m.scope().lookup("E"), "E", m.scope().lookup("x"), null));
        assertEquals(e.getMessage(), plain.getMessage());
    }

    @Test
    void aTargetThatIsItsOwnLeafIsOne() {
        var scope = model.scope();
        Explanation e = model.explain(scope.lookup("w5"), "w5", scope.lookup("w5"), null);
        assertEquals(1.0, e.gradient(), 0.0);
    }
}
