package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.chainrule.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Functions written with {@code def}: inlined at each call, checked for shapes per call, named
 * after their call sites, explained folded or expanded; every mistake word for word.
 */
class FunctionsTest {
    /** The 2-2-2 network of the classic step-by-step tutorial, its layers written once. */
    private static final String NETWORK = """
            def layer(x, W, b):
                net = W @ x + b
                return sigmoid(net)
            end
            input x = [0.05, 0.10], t = [0.01, 0.99]
            param W1 = [[0.15, 0.20], [0.25, 0.30]], b1 = [0.35, 0.35]
            param W2 = [[0.40, 0.45], [0.50, 0.55]], b2 = [0.60, 0.60]
            h1 = layer(x, W1, b1)
            out = layer(h1, W2, b2)
            E = sum(0.5 * (t - out)^2)
            """;

    /** The same network written out by hand. */
    private static final String TWIN = """
            input x = [0.05, 0.10], t = [0.01, 0.99]
            param W1 = [[0.15, 0.20], [0.25, 0.30]], b1 = [0.35, 0.35]
            param W2 = [[0.40, 0.45], [0.50, 0.55]], b2 = [0.60, 0.60]
            h1 = sigmoid(W1 @ x + b1)
            out = sigmoid(W2 @ h1 + b2)
            E = sum(0.5 * (t - out)^2)
            """;

    private static List<Result> run(String text) {
        return new Session(Model.parse("m.chain", text), Options.defaults()).runAll();
    }

    @Test
    void aNetworkOfFunctionsEqualsItsHandWrittenTwinBitForBit() {
        Model functions = Model.parse("f.chain", NETWORK);
        Model twin = Model.parse("t.chain", TWIN);
        Node e = functions.scope().lookup("E");
        Node f = twin.scope().lookup("E");
        assertEquals(Double.doubleToRawLongBits(twin.value(f).item()), Double.doubleToRawLongBits(functions.value(e).item()));
        Map<String, Tensor> g = functions.gradient(e, functions.scope().params());
        Map<String, Tensor> h = twin.gradient(f, twin.scope().params());
        for (String p : List.of("W1", "b1", "W2", "b2")) {
            assertArrayEquals(h.get(p).toArray(), g.get(p).toArray(), 0.0, p);
        }
        // the tutorial's numbers: E = 0.298371109, dE/dw5 = 0.082167041, dE/dw1 = 0.000438568
        assertEquals(0.298371109, functions.value(e).item(), 5e-10);
        assertEquals(0.082167041, g.get("W2").get(0), 5e-10);
        assertEquals(0.000438568, g.get("W1").get(0), 5e-10);
        // inlining makes the very nodes the hand-written twin makes: the twin's name is a copy of the same node
        Model both = Model.parse("b.chain", NETWORK + "h1_twin = sigmoid(W1 @ x + b1)\n");
        assertSame(both.scope().lookup("h1"), both.scope().lookup("h1_twin").input(0));
    }

    @Test
    void oneDefinitionServesEveryShapeThatFits() {
        Model m = Model.parse("m.chain", """
                def affine(x, W, b) = W @ x + b
                param A = [[1, 2], [3, 4]], B = [[1, 0, 2]], a = [1, 1], b = [5]
                y = affine([1, 2], A, a)
                z = affine([1, 2, 3], B, b)
                """);
        assertArrayEquals(new double[] {6, 12}, m.value(m.scope().lookup("y")).toArray(), 0.0);
        assertArrayEquals(new double[] {12}, m.value(m.scope().lookup("z")).toArray(), 0.0);
    }

    @Test
    void namesMadeInACallAreNamedAfterItsSite() {
        Model m = Model.parse("m.chain", NETWORK);
        assertEquals("h1.net", m.scope().nameOf(m.scope().find("h1.net")));
        assertEquals("out.net", m.scope().nameOf(m.scope().find("out.net")));
        // a call inside an expression is named after the definition and the function
        Model nested = Model.parse("n.chain", """
                def sq(x):
                    s = x * x
                    return s
                end
                input a = 3
                y = sq(a) + sq(a + 1)
                """);
        assertEquals(9, nested.value(nested.scope().find("y.sq.s")).item());
        assertEquals(16, nested.value(nested.scope().find("y.sq_2.s")).item());
    }

    @Test
    void functionsCallFunctionsAndHoldLoops() {
        Model m = Model.parse("m.chain", """
                def double(x) = 2 * x
                def power(x):
                    p[0] = 1
                    for k in 1..4: p[k] = p[k-1] * x
                    return double(p[4])
                end
                input a = 3
                y = power(a)
                """);
        assertEquals(162, m.value(m.scope().lookup("y")).item());
        assertEquals(27, m.value(m.scope().find("y.p[3]")).item());
    }

    @Test
    void aCallIsExplainedAsOneStepUnlessExpanded() {
        String scalar = """
                def neuron(a, b, w1, w2, bias):
                    net = w1 * a + w2 * b + bias
                    return sigmoid(net)
                end
                input i1 = 0.05, i2 = 0.10, t1 = 0.01
                param w1 = 0.15, w2 = 0.20, b1 = 0.35, w5 = 0.40, w6 = 0.45, b2 = 0.60
                h1 = neuron(i1, i2, w1, w2, b1)
                o1 = neuron(h1, h1, w5, w6, b2)
                E = 0.5 * (t1 - o1)^2
                explain E wrt w1
                explain E wrt w1 expand
                """;
        List<Result> results = run(scalar);
        assertEquals("""
                ∂E/∂w1 = ∂E/∂o1 · ∂o1/∂h1 · ∂h1/∂w1
                       = 0.741061095 · 0.158923078 · 0.0120650354
                       = 0.00142091985

                local derivatives:
                  ∂E/∂o1  = -(t1 - o1)                      = 0.741061095
                  ∂o1/∂h1 = o1·(1 - o1)·w6 + o1·(1 - o1)·w5 = 0.158923078
                  ∂h1/∂w1 = h1·(1 - h1)·i1                  = 0.0120650354
                """, results.get(0).text(Options.defaults()));
        // and the number is the one finite differences give
        Model m = Model.parse("m.chain", scalar);
        Node e = m.scope().lookup("E");
        assertEquals(0.00142091985, ((Result.Explained) results.get(0)).gradient().item(), 5e-12);
        assertTrue(m.check(e, "E", List.of(m.scope().lookup("w1")), 1e-9, 1e-12).ok());
        assertEquals("""
                ∂E/∂w1 = ∂E/∂o1 · ∂o1/∂o1.net · ∂o1.net/∂h1 · ∂h1/∂h1.net · ∂h1.net/∂w1
                       = 0.741061095 · 0.186968327 · 0.85 · 0.241300709 · 0.05
                       = 0.00142091985

                local derivatives:
                  ∂E/∂o1      = -(t1 - o1)  = 0.741061095
                  ∂o1/∂o1.net = o1·(1 - o1) = 0.186968327
                  ∂o1.net/∂h1 = w6 + w5     = 0.85
                  ∂h1/∂h1.net = h1·(1 - h1) = 0.241300709
                  ∂h1.net/∂w1 = i1          = 0.05
                """, results.get(1).text(Options.defaults()));
    }

    /** Renders as {@code message}, the source line and carets, then each note the same way. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong arity          | y = f(a)           | m.chain:4:5: f takes 2 arguments (x, y), not 1 | 4
            named argument       | y = f(a, y=a)      | m.chain:4:12: f takes its arguments by position: f(x, y) | 1
            unknown function     | y = ff(a, a)       | m.chain:4:5: unknown function 'ff'; did you mean 'f'? | 2
            called before def    | y = later(a)       | m.chain:4:5: 'later' is called before its definition at line 5 | 5
            name as function     | y = a(1)           | m.chain:4:5: unknown function 'a'; 'a' is a name, not a function | 1
            function as name     | y = f + 1          | m.chain:4:5: 'f' is a function; call it, as in f(...) | 1
            """)
    void callMistakes(String kind, String line, String message, int carets) {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain",
                "def f(x, y) = x * y\ninput a = 1\nparam w = 2\n" + line + "\ndef later(x) = x\n"));
        int column = Integer.parseInt(message.split(":")[2]);
        assertEquals(message + "\n" + line + "\n" + " ".repeat(column - 1) + "^".repeat(carets), e.render(), kind);
    }

    @Test
    void aShapeThatDoesNotFitInsideTheBodyIsReportedAtTheCallWithTheLineInside() {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain", """
                def layer(x, W, b):
                    net = W @ x + b
                    return sigmoid(net)
                end
                input x = [1, 2, 3]
                param W = [[1, 2], [3, 4]], b = [0, 0]
                h = layer(x, W, b)
                """));
        assertEquals("""
                m.chain:7:5: in layer: (2×2) @ (3) — inner dimensions 2 and 3 differ
                h = layer(x, W, b)
                    ^^^^^^^^^^^^^^
                m.chain:2:11: here, inside layer
                    net = W @ x + b
                          ^^^^^""", e.render());
    }

    @Test
    void recursionIsRefusedNamingTheCycleOfCalls() {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain", """
                def f(x) = g(x) + 1
                def g(x) = f(x) * 2
                input a = 1
                y = f(a)
                """));
        assertEquals("""
                m.chain:4:5: in f, in g: 'f' calls itself: f → g → f; calls are inlined into the graph, so a function cannot call itself (write a loop instead)
                y = f(a)
                    ^^^^
                m.chain:1:12: here, inside f
                def f(x) = g(x) + 1
                           ^^^^
                m.chain:2:12: here, inside g
                def g(x) = f(x) * 2
                           ^""", e.render());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a built-in name      | def sigmoid(x) = x                     | m.chain:1:5: 'sigmoid' is a built-in function; give yours another name
            defined twice        | def f(x) = x; def f(y) = y             | m.chain:1:19: 'f' is already a function, defined at line 1
            a parameter twice    | def f(x, x) = x                        | m.chain:1:10: 'x' is already a parameter of f
            a name and a function| input f = 1; def f(x) = x              | m.chain:1:18: 'f' is already a name, defined at line 1
            a local twice        | def f(x):; a = x; a = 2; return a; end | m.chain:1:19: 'a' is already defined in f at line 1
            a parameter redefined| def f(x):; x = 2; return x; end        | m.chain:1:12: 'x' is a parameter of f; a local needs a name of its own
            a command inside     | def f(x):; print x; return x; end      | m.chain:1:12: a function holds definitions and loops before its return; write this statement outside it
            defined in a loop    | for t in 1..2: def f(x) = x            | m.chain:1:16: functions are defined outside loops (when t = 1)
            """)
    void definitionMistakes(String kind, String text, String message) {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain", text + "\n"));
        assertEquals(message, e.render().lines().findFirst().orElseThrow(), kind);
    }
}
