package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.Cli;
import dev.chainrule.testing.Golden;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output that is exact about what it is: LaTeX that is only mathematics, Markdown with its
 * mathematics between {@code $$}, no tautologies, text that grows with the graph, δ named after
 * the node it belongs to, tensors summarised unless asked whole. Asserted word for word.
 */
class SymbolicOutputTest {
    @TempDir
    Path dir;

    private String logistic;
    private String network;

    @BeforeEach
    void models() {
        logistic = file(dir, "lr.chain", Golden.LOGISTIC_REGRESSION);
        String text = Golden.example("backprop-2-2-2");
        network = file(dir, "net.chain", text.substring(0, text.indexOf("# The forward pass.")));
    }

    private String out(String... args) {
        Cli.Run r = run(args);
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    @Test
    void latexIsOneFragmentWithTheRestInComments() {
        assertEquals("\\frac{\\partial L}{\\partial w_{1}} = \\left(p - y\\right) \\cdot x_{1}\n"
                + "% = -0.192308122\n"
                + "% (a graph of 13 nodes)\n", out("derive", logistic, "--of", "L", "--wrt", "w1", "--format", "latex"));
    }

    @Test
    void markdownPutsTheMathematicsBetweenDollars() {
        assertEquals("$$\n\\frac{\\partial L}{\\partial w_{1}} = \\left(p - y\\right) \\cdot x_{1}\n$$\n\n"
                + "= -0.192308122 (a graph of 13 nodes)\n", out("derive", logistic, "--of", "L", "--wrt", "w1", "--format", "markdown"));
    }

    @Test
    void gradientsInLatexAreOneAlignedBlock() {
        assertEquals("""
                \\begin{aligned}
                L &= 0.485509212 \\\\
                \\frac{\\partial L}{\\partial w_{1}} &= -0.192308122 \\\\
                \\frac{\\partial L}{\\partial w_{2}} &= 0.461539492 \\\\
                \\frac{\\partial L}{\\partial b} &= -0.384616244
                \\end{aligned}
                """, out("grad", logistic, "--of", "L", "--format", "latex"));
        // what --of names may be any expression: LaTeX writes it as text, its special characters escaped
        assertTrue(out("grad", logistic, "--of", "2*L^2", "--format", "latex").contains("\\text{2*L\\textasciicircum{}2} &= "));
    }

    @Test
    void theDeltasOfBackpropagationAreNamedInTheWhereList() {
        assertEquals("""
                ∂E/∂b1 = (δ_net_o1·w5 + δ_net_o2·w7)·out_h1·(1 - out_h1) + (δ_net_o1·w6 + δ_net_o2·w8)·out_h2·(1 - out_h2)
                  where
                    δ_net_o1 = (out_o1 - t1)·out_o1·(1 - out_o1)
                    δ_net_o2 = (out_o2 - t2)·out_o2·(1 - out_o2)
                       = 0.0187256094
                         (a graph of 56 nodes)
                """, out("derive", network, "--of", "E", "--wrt", "b1"));
        assertEquals("""
                \\begin{aligned}
                \\frac{\\partial E}{\\partial b_{1}} &= \\left(\\delta_{\\mathrm{net}_{o1}} \\cdot w_{5} + \\delta_{\\mathrm{net}_{o2}} \\cdot w_{7}\\right) \
                \\cdot \\mathrm{out}_{h1} \\cdot \\left(1 - \\mathrm{out}_{h1}\\right) + \\left(\\delta_{\\mathrm{net}_{o1}} \\cdot w_{6} \
                + \\delta_{\\mathrm{net}_{o2}} \\cdot w_{8}\\right) \\cdot \\mathrm{out}_{h2} \\cdot \\left(1 - \\mathrm{out}_{h2}\\right) \\\\
                &\\text{where} \\\\
                \\delta_{\\mathrm{net}_{o1}} &= \\left(\\mathrm{out}_{o1} - t_{1}\\right) \\cdot \\mathrm{out}_{o1} \\cdot \\left(1 - \\mathrm{out}_{o1}\\right) \\\\
                \\delta_{\\mathrm{net}_{o2}} &= \\left(\\mathrm{out}_{o2} - t_{2}\\right) \\cdot \\mathrm{out}_{o2} \\cdot \\left(1 - \\mathrm{out}_{o2}\\right)
                \\end{aligned}
                % = 0.0187256094
                % (a graph of 56 nodes)
                """, out("derive", network, "--of", "E", "--wrt", "b1", "--format", "latex"));
    }

    @Test
    void noTautologies() {
        String model = file(dir, "t.chain", "param y = 0.5, w = 2\nh = sigmoid(w*y)\nE = 3*h + w\n");
        assertEquals("∂E/∂h = 3\n", out("explain", model, "--of", "E", "--wrt", "h"));
        assertEquals("∂E/∂h = 3\n        (a graph of 1 node)\n", out("derive", model, "--of", "E", "--wrt", "h"));
        assertEquals("""
                \\begin{aligned}
                \\frac{\\partial h}{\\partial y} &= h \\cdot \\left(1 - h\\right) \\cdot w \\\\
                &= 0.393223866
                \\end{aligned}
                """, out("explain", model, "--of", "h", "--wrt", "y", "--format", "latex"));
        // E uses w itself and through h: the local derivative is marked, so that ∂E/∂w means one thing
        assertEquals("""
                ∂E/∂w = ∂E/∂h · ∂h/∂w + ∂E/∂w|direct
                      = 3 · 0.0983059666 + 1
                      = 0.2949179 + 1
                      = 1.2949179
                        (w feeds h and E: one term per path)
                        (∂E/∂w|direct is E's own use of w, the other names held fixed)

                local derivatives:
                  ∂E/∂h        = 3
                  ∂h/∂w        = h·(1 - h)·y = 0.0983059666
                  ∂E/∂w|direct = 1
                """, out("explain", model, "--of", "E", "--wrt", "w"));
    }

    /** The text of d/dx of sin applied {@code depth} times to x·y. */
    private int derivativeLength(int depth) {
        String e = "x*y";
        for (int i = 0; i < depth; i++) {
            e = "sin(" + e + ")";
        }
        return out("derive", file(dir, "sin" + depth + ".chain", "param x = 0.3, y = 0.5\ng = " + e + "\n"), "--of", "g", "--wrt", "x")
                .length();
    }

    @Test
    void printedTextGrowsLinearlyWithDepth() {
        int d20 = derivativeLength(20);
        int d40 = derivativeLength(40);
        int d80 = derivativeLength(80);
        // written as a tree it would grow with the square of the depth: four times per doubling
        assertTrue(d40 < 2.2 * d20 && d80 < 2.2 * d40, d20 + ", " + d40 + ", " + d80 + " characters at depths 20, 40, 80");
        String text = out("derive", file(dir, "s20.chain", "param x = 0.3, y = 0.5\ng = sin(sin(sin(sin(sin(sin(sin(sin(sin(sin("
                + "sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(x*y))))))))))))))))))))\n"), "--of", "g", "--wrt", "x");
        assertFalse(text.lines().findFirst().orElseThrow().contains("sin(sin("), text);
    }

    @Test
    void largeTensorsAreSummarisedUnlessAskedWhole() {
        String model = file(dir, "big.chain", "param v = ones(100)\nparam M = ones(10, 10)\n");
        assertEquals("v = (100) [1, 1, 1, ..., 1, 1, 1]\n"
                + "M = (10×10) [[1, 1, 1, ..., 1, 1, 1], [1, 1, 1, ..., 1, 1, 1], [1, 1, 1, ..., 1, 1, 1], ..., "
                + "[1, 1, 1, ..., 1, 1, 1], [1, 1, 1, ..., 1, 1, 1], [1, 1, 1, ..., 1, 1, 1]]\n", out("eval", model));
        String whole = out("eval", model, "--full");
        assertTrue(whole.startsWith("v = [" + "1, ".repeat(99) + "1]\n"), whole);
    }
}
