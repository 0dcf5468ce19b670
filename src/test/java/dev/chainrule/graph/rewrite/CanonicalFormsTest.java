package dev.chainrule.graph.rewrite;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.testing.Cli;
import dev.chainrule.testing.Golden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The derivatives of the standard texts, asserted as the text {@code derive} prints: the forms a
 * person writes on the board, reached by the canonical form, through the command line.
 */
class CanonicalFormsTest {
    @TempDir
    Path dir;

    /** The expression {@code derive FILE --of of --wrt wrt} prints (the first line, after "= "). */
    private String derive(String model, String of, String wrt, String... more) {
        String path = file(dir, "m.chain", model);
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[] {"derive", path, "--of", of, "--wrt", wrt}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        Cli.Run r = run(args);
        assertEquals(0, r.status(), r.err());
        String first = r.out().lines().findFirst().orElseThrow();
        return first.substring(first.indexOf("= ") + 2);
    }

    private static final String LOGISTIC = dev.chainrule.testing.Golden.LOGISTIC_REGRESSION;

    @Test
    void logisticRegressionWithCrossEntropyIsPMinusY() {
        assertEquals("p - y", derive(LOGISTIC, "L", "z"));
        assertEquals("(p - y)·x1", derive(LOGISTIC, "L", "w1"));
        assertEquals("(p - y)·x2", derive(LOGISTIC, "L", "w2"));
        assertEquals("p - y", derive(LOGISTIC, "L", "b"));
        assertEquals("(p - y)*x1", derive(LOGISTIC, "L", "w1", "--format", "ascii"));
    }

    @Test
    void logisticRegressionWithoutANameForPWritesSigmoid() {
        String model = LOGISTIC.replace("p = sigmoid(z)\n", "").replace("log(p)", "log(sigmoid(z))").replace("log(1 - p)", "log(1 - sigmoid(z))");
        assertEquals("sigmoid(z) - y", derive(model, "L", "z"));
        assertEquals("(sigmoid(z) - y)·x1", derive(model, "L", "w1"));
    }

    @Test
    void softmaxWithCrossEntropyOnOneHotLabelsIsSoftmaxMinusY() {
        String model = """
                param z = [0.2, -0.4, 1.1]
                input label = 2
                y = onehot(label, 3)
                L = -sum(y * log_softmax(z))
                L2 = softmax_cross_entropy(z, y)
                param Z = [[0.2, -0.4, 1.1], [1, 0, -1]]
                input labels = [2, 0]
                Y = onehot(labels, 3)
                LM = softmax_cross_entropy(Z, Y)
                """;
        assertEquals("softmax(z) - y", derive(model, "L", "z"));
        assertEquals("softmax(z) - y", derive(model, "L2", "z"));
        // the mean over the two rows
        assertEquals("0.5·(softmax(Z) - Y)", derive(model, "LM", "Z"));
    }

    @Test
    void softmaxWithCrossEntropyOnTargetsNotKnownToSumToOneKeepsTheirSum() {
        // t is data: nothing says its elements add to 1, so the sum stays (and the form is exact for any t)
        String model = "param z = [0.2, -0.4, 1.1]\ninput t = [0, 0, 1]\nL = cross_entropy(softmax(z), t)\n";
        assertEquals("softmax(z) ⊙ sum(t, 0) - t", derive(model, "L", "z"));
    }

    @Test
    void squaredErrorThroughASigmoid() {
        String model = "input x = 0.7, t = 0.2\nparam w = 0.4\nnet = w*x\no = sigmoid(net)\nE = 0.5*(t - o)^2\n";
        assertEquals("(o - t)·o·(1 - o)", derive(model, "E", "net"));
        assertEquals("(o - t)·o·(1 - o)·x", derive(model, "E", "w"));
        assertEquals("o - t", derive(model, "E", "o"));
    }

    @Test
    void tanhUnit() {
        String model = "input x = 0.3\nparam w = 0.9\na = w*x\nh = tanh(a)\nE = h\n";
        assertEquals("1 - h^2", derive(model, "E", "a"));
        assertEquals("(1 - h^2)·x", derive(model, "E", "w"));
    }

    @Test
    void theStepByStepTutorialsNetworkInItsOwnForms() {
        String text = Golden.example("backprop-2-2-2");
        String model = text.substring(0, text.indexOf("# The forward pass."));
        assertEquals("(out_o1 - t1)·out_o1·(1 - out_o1)·out_h1", derive(model, "E", "w5"));
        assertEquals("(out_o1 - t1)·out_o1·(1 - out_o1)", derive(model, "E", "net_o1"));
        assertEquals("(out_o1 - t1)·out_o1·(1 - out_o1) + (out_o2 - t2)·out_o2·(1 - out_o2)", derive(model, "E", "b2"));
        // both paths through out_h1, the first output's first
        assertEquals("((out_o1 - t1)·out_o1·(1 - out_o1)·w5 + (out_o2 - t2)·out_o2·(1 - out_o2)·w7)·out_h1·(1 - out_h1)·i1",
                derive(model, "E", "w1"));
    }

    @Test
    void aMatrixGradientIsAnOuterProduct() {
        String model = "param W = [[1, 2], [3, 4]]\ninput x = [1, -1]\nh = W @ x\nE = sum(h^2)\n";
        assertEquals("(2·h) ⊗ x", derive(model, "E", "W"));
        assertEquals("reshape(2*h, 2, 1) @ reshape(x, 1, 2)", derive(model, "E", "W", "--format", "ascii"));
    }

    @Test
    void theAlgebraOfSumsAndProducts() {
        String model = """
                param a = 1.5, x = 0.7, u = 0.3, y = 2, p = 0.4, q = 1.2
                like = 3*a*x + 2*a*x
                square = y*y*x
                signs = x - (-(y*x))
                fraction = y*(1/p)*x
                thrice = y*u*sin(u) + y*u*sin(u) + y*u*sin(u)
                cubic = (a + x)^3
                """;
        assertEquals("5·a", derive(model, "like", "x"));
        assertEquals("y^2", derive(model, "square", "x"));
        assertEquals("y + 1", derive(model, "signs", "x"));
        assertEquals("y/p", derive(model, "fraction", "x"));
        assertEquals("3·y·(u·cos(u) + sin(u))", derive(model, "thrice", "u"));
        assertEquals("3·(a + x)^2", derive(model, "cubic", "x"));
    }

    @Test
    void identitiesOfTheFunctions() {
        String model = """
                param x = 0.7, y = 2
                logSigmoid = log(sigmoid(x))
                logExp = log(exp(x))*y
                expLog = exp(log(x))*y
                cancelled = y/exp(x)*exp(x)
                """;
        assertEquals("1 - sigmoid(x)", derive(model, "logSigmoid", "x"));
        assertEquals("y", derive(model, "logExp", "x"));
        assertEquals("0", derive(model, "cancelled", "x"));
        // exp(log(x)) is x only where log is defined: x may be 0 or negative, so it stays
        assertEquals("y·exp(log(x))/x", derive(model, "expLog", "x"));
    }

    @Test
    void aQuotientByWhatMayBeZeroIsNotCancelled() {
        // x/x is 1 only where x is not 0: the derivative keeps the terms that say so
        String model = "param x = 0.7, y = 2\nf = (x/x)*y\n";
        assertEquals("y/x - y·x/x^2", derive(model, "f", "x"));
    }
}
