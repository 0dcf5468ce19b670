package dev.chainrule.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Programs the fuzzer found that once crashed, shrunk, each kept as it was found: each must now
 * end in a result or a diagnostic, like every fuzz case.
 */
class FuzzRegressionTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;


    /** JFreeChart refused the range of a flat loss at 1e300 (1e300 ± its margin is 1e300). */
    @Test
    void aFlatLossAtAHugeValuePlots() {
        FuzzProperties.endsWell("""
                input p0 = 0.5
                param p1 = 1e300
                train p1 lr 0.1 steps 0
                plot loss
                """);
    }

    /**
     * where(c, a, b) of shapes that do not broadcast ended in a NullPointerException: Shape.broadcast
     * answers null for them, and the check expected an exception. Found by the fuzzer in programs and
     * in notebooks; every caller of Shape.broadcast now reads its null.
     */
    @Test
    void whereOfShapesThatDoNotBroadcastIsADiagnostic() {
        FuzzProperties.endsWell("""
                param p0 = 0.5
                input p1 = 0.5
                data X, y = moons(20, 0.1, 1)
                v0 = (p0 + p0)
                v1 = where([0.3, 0.7, -1.1], [0.1, -0.2], p0)
                """);
        FuzzProperties.endsWell("""
                input p0 = 0.5
                data X, y = moons(20, 0.1, 1)
                v0 = reshape(sigmoid(reshape(where((p0 + X), onehot([0, 2, 1], 3), p0), axis=0)), axis=0)
                """);
        String model = dev.chainrule.testing.Cli.file(dir, "w.chain", "param p0 = 0.5\nv1 = where([0.3, 0.7, -1.1], [0.1, -0.2], p0)\n");
        dev.chainrule.testing.Cli.Run r = dev.chainrule.testing.Cli.run("run", model);
        org.junit.jupiter.api.Assertions.assertEquals(2, r.status());
        org.junit.jupiter.api.Assertions.assertEquals(model + ":2:6: where takes a condition and two values whose shapes broadcast together;"
                + " here (3), (2) and scalar\nv1 = where([0.3, 0.7, -1.1], [0.1, -0.2], p0)\n     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
                r.err());
    }

    /**
     * argmax_mask(axis=0), a call with only a named argument, reached for its first operand and
     * ended in an IndexOutOfBoundsException (found by the 1.6-million-case fuzz run). The class:
     * every function of the language, called with only axis=, ends in a diagnostic.
     */
    @Test
    void everyFunctionCalledWithOnlyANamedArgumentIsADiagnostic() {
        java.util.Set<String> names = new java.util.TreeSet<>(java.util.List.of("mean", "softmax", "log_softmax", "logsumexp", "where",
                "clip", "stack", "concat", "cross_entropy", "softmax_cross_entropy", "len", "size", "normal", "uniform", "zeros", "ones",
                "pow", "grad", "sum", "max", "min", "argmax_mask", "reshape", "sum_to", "broadcast_to", "pad", "onehot"));
        for (dev.chainrule.graph.op.Op op : dev.chainrule.graph.op.Op.values()) {
            if (op.functionName() != null && !op.internal()) {
                names.add(op.functionName());
            }
        }
        for (String name : names) {
            FuzzProperties.endsWell("param p = [1, 2]\ng = " + name + "(axis=0)\n");
        }
    }

    /**
     * A params file nested 5,000 deep overflowed Gson's recursive parser (found by the fuzz run:
     * load params from "w-deep.json"). The class is every reader of outside JSON: params files,
     * notebooks, kernel connection files and kernel messages now measure the nesting first.
     */
    @Test
    void jsonNestedThousandsDeepIsADiagnosticWhereverItIsRead() throws java.io.IOException {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        dev.chainrule.testing.Cli.file(dir, "deep.json", "{\"w\": " + deep + "}");
        String model = dev.chainrule.testing.Cli.file(dir, "m.chain", "param w = 1\nE = w\nload params from \"deep.json\"\n");
        dev.chainrule.testing.Cli.Run params = dev.chainrule.testing.Cli.run("run", model);
        org.junit.jupiter.api.Assertions.assertEquals(2, params.status());
        org.junit.jupiter.api.Assertions.assertEquals(model + ":3:18: deep.json nests its values more than 8 deep;"
                + " a params file holds numbers, vectors and matrices", params.err().lines().findFirst().orElseThrow());
        String notebook = dev.chainrule.testing.Cli.file(dir, "deep.ipynb", "{\"cells\": " + deep + "}");
        dev.chainrule.testing.Cli.Run nb = dev.chainrule.testing.Cli.run("notebook", "check", notebook);
        org.junit.jupiter.api.Assertions.assertEquals(2, nb.status());
        org.junit.jupiter.api.Assertions.assertEquals("chainrule: " + notebook + ": not a notebook: it nests its JSON more than 256 deep\n", nb.err());
        java.nio.file.Path connection = java.nio.file.Path.of(dev.chainrule.testing.Cli.file(dir, "kernel.json", "{\"ip\": " + deep + "}"));
        dev.chainrule.diag.UsageException refused = org.junit.jupiter.api.Assertions.assertThrows(dev.chainrule.diag.UsageException.class,
                () -> dev.chainrule.notebook.kernel.ChainKernel.connection(connection));
        org.junit.jupiter.api.Assertions.assertEquals("the connection file " + connection + " is not Jupyter's JSON: it nests more than 256 deep",
                refused.getMessage());
        // brackets inside strings are text, not nesting
        org.junit.jupiter.api.Assertions.assertEquals(2, dev.chainrule.io.JsonNesting.deepest("{\"a\": [\"[[[[\\\"]]\", 1]}", 256));
    }

    /** T of the three-axis value stack makes of a matrix claimed one shape and made another (found by the fuzz run). */
    @Test
    void theTransposeOfAThreeAxisValueIsADiagnostic() {
        FuzzProperties.endsWell("""
                param p0 = [[0.5, -0.4], [1.2, 0.3]]
                def f0(a) = max(grad(sum((a)'), a), a)
                c0 = f0(stack(p0, axis=0))
                """);
    }

    /** A literal of three dimensions was accepted, and the transpose of its sigmoid indexed past its shape. */
    @Test
    void aLiteralOfThreeDimensionsIsADiagnostic() {
        FuzzProperties.endsWell("""
                param p0 = 0.5
                input p1 = [[[1]]]
                grad p0
                v1 = ((sigmoid(sigmoid(p1)))' + p0)
                train p0 lr 0.1 steps 0
                v3 = p0
                v4 = p0
                print sigmoid(softmax(v1))
                """);
    }

    /**
     * The scalar view that explains one element had no source places, so the domain error of
     * log(-0.2) in it could not be rendered (a NullPointerException instead of the diagnostic).
     * The view now takes the tensor's values first, so the message names the element too.
     */
    @Test
    void aDomainErrorInTheScalarViewIsRenderedAtTheTensorExpression() {
        FuzzProperties.endsWell("""
                param p0 = [0.1, -0.2]
                input p1 = 0.5
                derive p0 wrt p0
                train p0 lr 0.1 steps 0
                v2 = sum(log(p0), 0)
                train p0 lr 0.1 steps 0 optimizer sgd
                explain v2 wrt p0[0]
                """);
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.chainrule.diag.ChainException.class, () -> {
            var model = dev.chainrule.api.Model.parse("m.chain", "param p0 = [0.1, -0.2]\nv2 = sum(log(p0), 0)\nexplain v2 wrt p0[0]\n");
            new dev.chainrule.api.Session(model, dev.chainrule.api.Options.defaults()).runAll();
        });
        org.junit.jupiter.api.Assertions.assertEquals(
                "m.chain:2:10: log of a negative number: log(-0.2) is NaN at [1]\nv2 = sum(log(p0), 0)\n         ^^^^^^^", e.render());
    }
}
