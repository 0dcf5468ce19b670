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

/** The command line: each command's output, its JSON object, exit statuses and flag errors. */
class CliTest {
    private static final String SMALL = """
            # a small model
            input x = 2
            param a = 3, b = -1
            y = a*x^2 + b
            """;

    @TempDir
    Path dir;
    private String small;
    private String network;

    @BeforeEach
    void files() {
        small = file(dir, "small.chain", SMALL);
        String text = Golden.example("backprop-2-2-2");
        network = file(dir, "net.chain", text.substring(0, text.indexOf("# The forward pass.")));
    }

    @Test
    void evalJsonHasEveryNamedNodeAndLeaf() {
        Cli.Run r = run("eval", small, "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals("{\"values\": {\"x\": 2, \"a\": 3, \"b\": -1, \"y\": 11}}\n", r.out());
    }

    @Test
    void gradJson() {
        Cli.Run r = run("grad", small, "--of", "y", "--json");
        assertEquals("{\"of\": \"y\", \"value\": 11, \"gradient\": {\"a\": 4, \"b\": 1}}\n", r.out());
    }

    @Test
    void gradWrtAnInputAndWithSet() {
        Cli.Run r = run("grad", small, "--of", "y", "--wrt", "x", "--set", "a=0.5", "--json");
        assertEquals("{\"of\": \"y\", \"value\": 1, \"gradient\": {\"x\": 2}}\n", r.out());
    }

    @Test
    void gradText() {
        Cli.Run r = run("grad", small, "--of", "y");
        assertEquals("y = 11\n∂y/∂a = 4\n∂y/∂b = 1\n", r.out());
    }

    @Test
    void deriveJsonIsAsciiThatParsesBack() {
        Cli.Run r = run("derive", small, "--of", "y", "--wrt", "x", "--json");
        assertEquals("{\"of\": \"y\", \"wrt\": \"x\", \"expression\": \"2*a*x\", \"value\": 12, \"nodes\": 5}\n", r.out());
        Cli.Run again = run("grad", small, "--of", "2*a*x", "--json");
        assertEquals("{\"of\": \"2*a*x\", \"value\": 12, \"gradient\": {\"a\": 4, \"b\": 0}}\n", again.out());
    }

    @Test
    void deriveText() {
        Cli.Run r = run("derive", small, "--of", "y", "--wrt", "a");
        assertEquals("∂y/∂a = x^2\n      = 4\n        (a graph of 3 nodes)\n", r.out());
    }

    @Test
    void explainJsonCarriesTextAndLatex() {
        Cli.Run r = run("explain", network, "--of", "E", "--wrt", "w5", "--json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("{\"of\": \"E\", \"wrt\": \"w5\", \"value\": 0.2983711087600027, "
                + "\"gradient\": 0.08216704056423078, \"text\": \"∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5\\n"), r.out());
        assertTrue(r.out().contains("\"latex\": \"\\\\begin{aligned}\\n\\\\frac{\\\\partial E}{\\\\partial w_{5}}"), r.out());
        assertEquals(1, r.out().lines().count());
    }

    @Test
    void explainInOtherFormatsAndDigits() {
        Cli.Run r = run("explain", network, "--of", "E", "--wrt", "w5", "--format", "ascii", "--digits", "4");
        assertEquals("""
                dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5
                       = 0.7414 * 0.1868 * 0.5933
                       = 0.08217

                local derivatives:
                  dE/dout_o1      = -(t1 - out_o1)      = 0.7414
                  dout_o1/dnet_o1 = out_o1*(1 - out_o1) = 0.1868
                  dnet_o1/dw5     = out_h1              = 0.5933
                """, r.out());
    }

    @Test
    void checkJsonAndExitStatus() {
        Cli.Run r = run("check", small, "--of", "y", "--json");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("{\"of\": \"y\", \"ok\": true, \"max_abs_error\": "), r.out());
        assertTrue(r.out().contains("\"entries\": [{\"wrt\": \"a\", \"analytic\": 4, \"numeric\": "), r.out());
        assertTrue(r.out().contains("\"ok\": true, \"numeric_error_estimate\": "), r.out());
    }

    @Test
    void aFailedCheckExitsOne() {
        String kink = file(dir, "kink.chain", "param x = 0\ny = relu(x)\n");
        Cli.Run r = run("check", kink, "--of", "y");
        assertEquals(Main.CHECK_FAILED, r.status());
        assertEquals("""
                check y: reverse mode vs extrapolated finite differences (rtol 1e-06, atol 1e-09)
                  wrt analytic numeric abs error rel error
                  x   0        0.5     0.5       1         FAIL
                1 of 1 gradients disagree
                the first node whose local derivative disagrees: relu(x) (line 2:5), ∂/∂a at a = 0: rule 0, differences 0.5
                """, r.out());
    }

    @Test
    void trainJson() {
        Cli.Run r = run("train", small, "--of", "y", "--lr", "0.1", "--steps", "2", "--json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("{\"of\": \"y\", \"steps\": 2, \"lr\": 0.1, \"optimizer\": \"sgd\", \"batch\": 0, \"initial\": 11, \"final\": "), r.out());
        assertTrue(r.out().contains("\"params\": {\"a\": "), r.out());
        assertTrue(r.out().contains("\"values\": {\"x\": 2, \"a\": "), r.out());
    }

    @Test
    void graphIsDotWithValuesAndGradients() {
        Cli.Run r = run("graph", small, "--of", "y");
        assertTrue(r.out().startsWith("digraph chainrule {\n  rankdir=LR;\n"), r.out());
        assertTrue(r.out().contains("n1 [label=\"a | param | value 3 | grad 4\""), r.out());
        assertTrue(r.out().contains("n6 [label=\"y | + | value 11 | grad 1\", style=bold];\n"), r.out());
    }

    @Test
    void runJsonPrintsOneObjectPerStatement() {
        String model = file(dir, "run.chain", SMALL + "print y\ngrad y\ncheck y\n");
        Cli.Run r = run("run", model, "--json");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length);
        assertEquals("{\"values\": {\"y\": 11}}", lines[0]);
        assertEquals("{\"of\": \"y\", \"value\": 11, \"gradient\": {\"a\": 4, \"b\": 1}}", lines[1]);
        assertTrue(lines[2].startsWith("{\"of\": \"y\", \"ok\": true"));
    }

    @Test
    void runTextShowsEachStatementAboveItsResult() {
        String model = file(dir, "run.chain", SMALL + "print y, a\n");
        assertEquals("▸ print y, a\ny = 11\na = 3\n", run("run", model).out());
    }

    @Test
    void noArgumentsRunsTheDemo() {
        Cli.Run r = run();
        assertEquals(0, r.status(), r.err());
        for (String figure : new String[] {"E = 0.298371109", "= 0.0821670406", "= 0.000438567734",
            "all 10 gradients agree", "E 0.298371109 -> 0.291027774", "E = 3.51018778e-05"}) {
            assertTrue(r.out().contains(figure), figure);
        }
        assertEquals(r.out(), run("demo").out());
    }

    @Test
    void examplesAreListedAndRunnable() {
        Cli.Run list = run("examples");
        assertTrue(list.out().startsWith("backprop-2-2-2"), list.out());
        for (String line : list.out().split("\n")) {
            if (!line.isBlank() && !line.startsWith("Run one")) {
                String name = line.split(" ")[0];
                Cli.Run r = run("run", "--example", name, "--out", dir.toString());
                assertEquals(0, r.status(), name + ": " + r.err());
                assertFalse(r.out().isBlank(), name);
            }
        }
    }

    @Test
    void mistakesExitTwoWithACaret() {
        Cli.Run missing = run("grad", dir.resolve("none.chain").toString(), "--of", "y");
        assertEquals(Main.BAD_INPUT, missing.status());
        assertEquals("chainrule: " + dir.resolve("none.chain") + ": no such file\n", missing.err());

        Cli.Run of = run("grad", small, "--of", "yy");
        assertEquals(Main.BAD_INPUT, of.status());
        assertEquals("--of:1:1: unknown name 'yy'; did you mean 'y'?\nyy\n^^\n", of.err());

        Cli.Run set = run("grad", small, "--of", "y", "--set", "a=abc");
        assertEquals("--set:1:3: 'abc' is not a finite number (nor a literal such as [1, 2])\na=abc\n  ^^^\n", set.err());

        Cli.Run notLeaf = run("grad", small, "--of", "y", "--set", "y=1");
        assertEquals("--set:1:1: 'y' is not an input or param; only leaves can be set\ny=1\n^\n", notLeaf.err());

        Cli.Run wrt = run("explain", small, "--of", "y", "--wrt", "x[0]");
        assertEquals("--wrt:1:1: 'x' is a scalar and takes 0 indices for one element, not 1\nx[0]\n^^^^\n", wrt.err());

        Cli.Run list = run("grad", small, "--of", "y", "--wrt", "a, bb");
        assertEquals("--wrt:1:4: unknown name 'bb'; did you mean 'b'?\na, bb\n   ^^\n", list.err());
    }

    @Test
    void badFlagsAndCommands() {
        Cli.Run flag = run("grad", small, "--of", "y", "--jsn");
        assertEquals(Main.BAD_INPUT, flag.status());
        String line = "chainrule grad " + small + " --of y --jsn";
        assertEquals("command line:1:" + (line.indexOf("--jsn") + 1) + ": unknown option '--jsn'; did you mean '--json'?\n"
                + line + "\n" + " ".repeat(line.indexOf("--jsn")) + "^^^^^\n"
                + "Try 'chainrule --help' or 'chainrule grad --help'.\n", flag.err());

        Cli.Run command = run("derivee", small);
        assertEquals(Main.BAD_INPUT, command.status());
        assertTrue(command.err().startsWith("command line:1:11: unknown command 'derivee'; did you mean 'derive'?\n"), command.err());

        Cli.Run missingOf = run("grad", small);
        assertEquals(Main.BAD_INPUT, missingOf.status());
        assertTrue(missingOf.err().contains("Missing required option: '--of=EXPR'"), missingOf.err());
    }

    @Test
    void noStackTraceWithoutDebug() {
        String bad = file(dir, "bad.chain", "param a = 1\ny = log(-a)\nprint y\n");
        Cli.Run r = run("run", bad);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("bad.chain".length() > 0 ? bad + ":2:5: log of a negative number: log(-1) is NaN\ny = log(-a)\n    ^^^^^^^\n" : "", r.err());
        assertFalse(r.err().contains("at dev.chainrule"));
        Cli.Run debug = run("run", bad, "--debug");
        assertTrue(debug.err().contains("at dev.chainrule"), debug.err());
    }

    @Test
    void helpAndVersion() {
        assertEquals(0, run("--help").status());
        assertTrue(run("--help").out().contains("explain"));
        assertEquals("chainrule 0.1.0\n", run("--version").out());
    }

    @Test
    void tensorsInTextAndJson() {
        String model = file(dir, "matrix.chain", "param W = [[1, 2], [3, 4]]\ninput x = [1, -1]\nh = W @ x\nE = sum(h^2)\n");
        assertEquals("{\"values\": {\"W\": [[1, 2], [3, 4]], \"x\": [1, -1], \"h\": [-1, -1], \"E\": 2}}\n",
                run("eval", model, "--json").out());
        assertEquals("E = 2\n∂E/∂W = [[-2, 2], [-2, 2]]\n", run("grad", model, "--of", "E").out());
        assertEquals("{\"of\": \"E\", \"wrt\": \"W\", \"expression\": \"reshape(2*h, 2, 1) @ reshape(x, 1, 2)\", "
                + "\"value\": [[-2, 2], [-2, 2]], \"nodes\": 8}\n", run("derive", model, "--of", "E", "--wrt", "W", "--json").out());
        assertEquals("E = 0\n∂E/∂W = [[0, 0], [0, 0]]\n", run("grad", model, "--of", "E", "--set", "W=[[1, 1], [2, 2]]").out());
    }

    @Test
    void layerDeltasInLatex() {
        String text = Golden.example("backprop-2-2-2-matrix");
        String model = file(dir, "layers.chain", text.substring(0, text.indexOf("\n", text.indexOf("E = sum(")) + 1));
        Cli.Run r = run("explain", model, "--of", "E", "--wrt", "W1", "--format", "latex");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                \\begin{aligned}
                \\delta_{\\mathrm{out}_{o}} &= -\\left(t - \\mathrm{out}_{o}\\right) = [0.74136507, -0.217071535] \\\\
                \\delta_{\\mathrm{net}_{o}} &= \\delta_{\\mathrm{out}_{o}} \\odot \\left(\\mathrm{out}_{o} \\odot \\left(1 - \\mathrm{out}_{o}\\right)\\right) = [0.138498562, -0.0380982365] \\\\
                \\delta_{\\mathrm{out}_{h}} &= W_{2}^{\\top} \\, \\delta_{\\mathrm{net}_{o}} = [0.0363503064, 0.0413703226] \\\\
                \\delta_{\\mathrm{net}_{h}} &= \\delta_{\\mathrm{out}_{h}} \\odot \\left(\\mathrm{out}_{h} \\odot \\left(1 - \\mathrm{out}_{h}\\right)\\right) = [0.00877135469, 0.00995425471] \\\\
                \\frac{\\partial E}{\\partial W_{1}} &= \\delta_{\\mathrm{net}_{h}} \\otimes x = [[0.000438567734, 0.000877135469], [0.000497712735, 0.000995425471]]
                \\end{aligned}
                """, r.out());
    }
}
