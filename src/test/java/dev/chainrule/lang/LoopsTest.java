package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Node;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Loops that unroll into families of names ({@code h[t]}): the same graph as the steps written
 * out, backpropagation through time explained as a sum over the steps, any length without
 * recursion, and every mistake word for word.
 */
class LoopsTest {
    /** A scalar recurrent unit over five inputs, as backpropagation through time is taught. */
    static final String RNN = """
            input x = [0.5, -0.1, 0.3, 0.8, -0.4]
            input target = 0.2
            param w = 0.7, u = 0.4, b = 0.1
            T = len(x)
            h[0] = 0
            for t in 1..T: h[t] = tanh(w * x[t-1] + u * h[t-1] + b)
            E = 0.5 * (h[T] - target)^2
            """;

    private static List<Result> run(String text) {
        return new Session(Model.parse("m.chain", text), Options.defaults()).runAll();
    }

    @Test
    void aLoopIsTheStepsWrittenOut() {
        StringBuilder byHand = new StringBuilder("""
                input x = [0.5, -0.1, 0.3, 0.8, -0.4]
                input target = 0.2
                param w = 0.7, u = 0.4, b = 0.1
                h0 = 0
                """);
        for (int t = 1; t <= 5; t++) {
            byHand.append("h").append(t).append(" = tanh(w * x[").append(t - 1).append("] + u * h").append(t - 1).append(" + b)\n");
        }
        byHand.append("E = 0.5 * (h5 - target)^2\n");
        Model loop = Model.parse("loop.chain", RNN);
        Model hand = Model.parse("hand.chain", byHand.toString());
        Node e = loop.scope().lookup("E");
        Node f = hand.scope().lookup("E");
        assertEquals(Double.doubleToRawLongBits(hand.value(f).item()), Double.doubleToRawLongBits(loop.value(e).item()));
        for (String p : List.of("w", "u", "b")) {
            assertEquals(Double.doubleToRawLongBits(hand.gradient(f, hand.scope().params()).get(p).item()),
                    Double.doubleToRawLongBits(loop.gradient(e, loop.scope().params()).get(p).item()), p);
        }
        // in one model, the steps written out are copies of the very nodes the loop made
        Model both = Model.parse("m.chain", RNN + "h1 = tanh(w * x[0] + u * h[0] + b)\n");
        assertSame(both.scope().lookup("h[1]"), both.scope().lookup("h1").input(0));
    }

    @Test
    void backpropagationThroughTimeIsASumOverTheSteps() {
        List<Result> results = run(RNN + "explain E wrt u\n");
        String text = results.get(0).text(Options.defaults());
        assertTrue(text.startsWith("""
                ∂E/∂u = Σ_t ∂E/∂h[t] · ∂h[t]/∂u   (t = 1 to 5)
                      = ∂E/∂h[1] · ∂h[1]/∂u + ∂E/∂h[2] · ∂h[2]/∂u + ∂E/∂h[3] · ∂h[3]/∂u + ∂E/∂h[4] · ∂h[4]/∂u + ∂E/∂h[5] · ∂h[5]/∂u
                      = (-0.00131565641) · 0 + (-0.00342079991) · 0.405661061 + (-0.00990883646) · 0.169319231 + (-0.0447865621) · 0.204676226 + (-0.112823831) · 0.663414696
                      = 0 - 0.00138768532 - 0.00167775657 - 0.00916674449 - 0.0748489873
                      = -0.0870811737
                        (u feeds h[1], h[2], h[3], h[4] and h[5]: one term per path)
                ∂E/∂h[1] = ∂E/∂h[2] · ∂h[2]/∂h[1]
                         = (-0.00342079991) · 0.3846049
                         = -0.00131565641
                ∂E/∂h[2] = ∂E/∂h[3] · ∂h[3]/∂h[2]
                         = (-0.00990883646) · 0.345227205
                         = -0.00342079991
                """), text);
        // each step refers to the one after it: the explanation grows with the steps, not with their square
        assertTrue(text.contains("  ∂h[5]/∂h[4] = (1 - h[5]^2)·u    = 0.396960126\n"), text);
        Model m = Model.parse("m.chain", RNN);
        assertTrue(m.check(m.scope().lookup("E"), "E", m.scope().params(), 1e-9, 1e-12).ok());
    }

    @Test
    void theChainBackFromTheLastStep() {
        String text = run(RNN + "explain E wrt h[1]\n").get(0).text(Options.defaults());
        assertEquals("""
                ∂E/∂h[1] = ∂E/∂h[5] · ∂h[5]/∂h[4] · ∂h[4]/∂h[3] · ∂h[3]/∂h[2] · ∂h[2]/∂h[1]
                         = (-0.112823831) · 0.396960126 · 0.221245749 · 0.345227205 · 0.3846049
                         = -0.00131565641

                local derivatives:
                  ∂E/∂h[5]    = h[5] - target  = -0.112823831
                  ∂h[5]/∂h[4] = (1 - h[5]^2)·u = 0.396960126
                  ∂h[4]/∂h[3] = (1 - h[4]^2)·u = 0.221245749
                  ∂h[3]/∂h[2] = (1 - h[3]^2)·u = 0.345227205
                  ∂h[2]/∂h[1] = (1 - h[2]^2)·u = 0.3846049
                """, text);
    }

    @Test
    void blockLoopsNestedLoopsAndBoundsFromShapes() {
        Model m = Model.parse("m.chain", """
                input X = [[1, 2, 3], [4, 5, 6]]
                n = size(X, 1)
                s[0] = 0
                for i in 1..len(X):
                    r[i] = sum(X[i - 1])
                    s[i] = s[i - 1] + r[i]
                end
                c[0] = 0
                for j in 0..n - 1: c[j + 1] = c[j] + X[0, j] * X[1, j]
                """);
        assertEquals(21, m.value(m.scope().lookup("s[2]")).item());
        assertEquals(32, m.value(m.scope().lookup("c[3]")).item());
    }

    @Test
    void tenThousandStepsUnrollWithoutRecursion() {
        Model m = Model.parse("m.chain", """
                input x = 0.5
                param w = 0.9
                h[0] = x
                for t in 1..10000: h[t] = sin(w * h[t-1] + 0.1)
                E = h[10000]
                """);
        Node e = m.scope().lookup("E");
        double g = m.gradient(e, m.scope().params()).get("w").item();
        assertTrue(Double.isFinite(g));
        assertTrue(m.check(e, "E", m.scope().params(), 1e-6, 1e-9).ok());
    }

    @Test
    void nestedLoopsCountTheirStepsTogether() {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain",
                "for i in 1..100000:\n  for j in 1..100000: print i\nend\n"));
        assertEquals("m.chain:2:3: this loop runs 100000 steps, more than the 48565 left of the 1048576 a model's loops may run in all "
                + "(a thirty-second of the limit on nodes; raise it with --max-nodes) (when i = 11)",
                e.render().lines().findFirst().orElseThrow());
    }

    /** Renders as {@code message}, the source line, and {@code carets} carets under the column. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            plain name in a loop    | for t in 1..3: s = a * t             | m.chain:2:16: inside a loop, a definition names one member of a family, such as s[t] = ...; 's' would be defined again at every step (when t = 1) | 1
            a member not yet made   | for t in 1..3: h[t] = h[t-2] + a     | m.chain:2:23: 'h[-1]' is not defined: h has h[0] so far (when t = 1) | 6
            a family without index  | y = h + 1                            | m.chain:2:5: 'h' is a family of values (h[0]); write one of them, such as h[0] | 1
            a single value indexed  | a[1] = 2                             | m.chain:2:1: 'a' is a single value (line 1), so it cannot have members | 1
            a family made plain     | h = 2                                | m.chain:2:1: 'h' is a family; name one member, such as h[0] | 1
            a member twice          | h[0] = 1                             | m.chain:2:1: 'h[0]' is already defined at line 1 | 1
            an input as a bound     | for t in 1..a: h[t] = 1              | m.chain:2:13: the last value of a loop is known when the model is built, and 'a' is an input, whose value can change; use numbers, loop variables, names defined as numbers, len(x) and size(x, axis), with + - * / ^ | 1
            a fraction as a bound   | for t in 1..2.5: h[t] = 1            | m.chain:2:13: the last value of a loop is a whole number, not 2.5 | 3
            a loop variable twice   | for t in 1..2: for t in 1..2: g[t] = 1 | m.chain:2:20: 't' is already the variable of a loop around this one (when t = 1) | 1
            a taken loop variable   | for a in 1..2: g[a] = 1              | m.chain:2:5: 'a' is already defined at line 1; a loop variable needs a name of its own | 1
            too many steps          | for t in 1..1e9: g[t] = 1            | m.chain:2:1: this loop runs 1000000000 steps, more than the 1048576 a model's loops may run in all (a thirty-second of the limit on nodes; raise it with --max-nodes) | 25
            a member of a position  | h[0.5] = 1                           | m.chain:2:3: the position of a member is a whole number, not 0.5 | 3
            """)
    void loopMistakes(String kind, String line, String message, int carets) {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain",
                "input a = 1; h[0] = a\n" + line + "\n"));
        int column = Integer.parseInt(message.split(":")[2]);
        assertEquals(message + "\n" + line + "\n" + " ".repeat(column - 1) + "^".repeat(carets), e.render(), kind);
    }
}
