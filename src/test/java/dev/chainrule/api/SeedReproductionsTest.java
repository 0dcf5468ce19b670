package dev.chainrule.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.check.CheckReport;
import dev.chainrule.check.GradientCheck;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.model.Scope;
import dev.chainrule.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed networks in matrix form agree three ways: with the same network written neuron by
 * neuron as scalars, with finite differences, and (for the classifier) with the tutorial's result.
 */
class SeedReproductionsTest {
    @TempDir
    Path dir;

    /** The definitions of an example (everything before its first print). */
    private static Model definitions(String example) {
        return Golden.exampleModel(example, "\nprint ");
    }

    /** Every element of every param of the matrix model equals the scalar model's w{layer}_{i}{j} and b{layer}_{i}. */
    private static void assertSameGradients(Model matrix, Model scalar) {
        Scope m = matrix.scope();
        Scope s = scalar.scope();
        Map<String, Tensor> g = matrix.gradient(m.lookup("E"), m.params());
        Map<String, Tensor> h = scalar.gradient(s.lookup("E"), s.params());
        int compared = 0;
        for (Node p : m.params()) {
            String layer = p.leafName().substring(1);
            boolean weights = p.leafName().startsWith("W");
            for (int i = 0; i < p.shape().size(); i++) {
                String name = weights
                        ? "w" + layer + "_" + (i / p.shape().dim(1)) + (i % p.shape().dim(1))
                        : "b" + layer + "_" + i;
                assertEquals(h.get(name).item(), g.get(p.leafName()).get(i), 1e-12, p.leafName() + " element " + i + " vs " + name);
                compared++;
            }
        }
        assertEquals(s.params().size(), compared);
    }

    private static void assertFiniteDifferencesAgree(Model model) {
        CheckReport report = model.check(model.scope().lookup("E"), "E", model.scope().params(), 1e-8, 0);
        assertTrue(report.ok(), report.entries().toString());
    }

    @Test
    void seed000ReluSigmoidSoftmaxThreeWays() {
        Model matrix = definitions("softmax-3-3-3");
        Model scalar = definitions("softmax-3-3-3-scalar");
        assertEquals(scalar.value(scalar.scope().lookup("E")).item(), matrix.value(matrix.scope().lookup("E")).item(), 1e-14);
        assertSameGradients(matrix, scalar);
        assertFiniteDifferencesAgree(matrix);
    }

    @Test
    void seed000FirstLayerWeightShowsAllThreePaths() {
        Model matrix = definitions("softmax-3-3-3");
        Node e = matrix.scope().lookup("E");
        var result = new Session(matrix, Options.defaults())
                .explain(new dev.chainrule.lang.Command.Target(e, "E", null), matrix.scope().lookup("W1"), 0, null);
        assertTrue(result.text().contains("∂E/∂h1[0] = ∂E/∂z2[0] · ∂z2[0]/∂h1[0] + ∂E/∂z2[1] · ∂z2[1]/∂h1[0] + ∂E/∂z2[2] · ∂z2[2]/∂h1[0]\n"),
                result.text());
        assertTrue(result.text().contains("(h1[0] feeds z2[0], z2[1] and z2[2]: one term per path)"), result.text());
        Model scalar = definitions("softmax-3-3-3-scalar");
        assertEquals(scalar.gradient(scalar.scope().lookup("E"), List.of(scalar.scope().lookup("w1_00"))).get("w1_00").item(),
                result.gradient().item(), 1e-15);
    }

    @Test
    void seed001LinearSigmoidLinearSoftmaxThreeWaysAndOneUpdate() {
        Model matrix = definitions("linear-softmax");
        Model scalar = definitions("linear-softmax-scalar");
        assertSameGradients(matrix, scalar);
        assertFiniteDifferencesAgree(matrix);
        double after = matrix.train(matrix.scope().lookup("E"), "E", matrix.scope().params(), 0.02, 1).last();
        double afterScalar = scalar.train(scalar.scope().lookup("E"), "E", scalar.scope().params(), 0.02, 1).last();
        assertEquals(afterScalar, after, 1e-14);
        assertTrue(after < matrix.lastTraining().initial());
    }

    @Test
    void seed003TheTwoTwoOneExampleAsMatrices() {
        Model matrix = definitions("delta-rule-2-2-1-matrix");
        Model scalar = definitions("delta-rule-2-2-1");
        Map<String, Tensor> g = matrix.gradient(matrix.scope().lookup("E"), matrix.scope().params());
        Map<String, Tensor> h = scalar.gradient(scalar.scope().lookup("E"), scalar.scope().params());
        assertArrayEquals(new double[] {h.get("w11").item(), h.get("w12").item(), h.get("w21").item(), h.get("w22").item()},
                g.get("W").toArray(), 1e-15);
        assertArrayEquals(new double[] {h.get("v1").item(), h.get("v2").item()}, g.get("v").toArray(), 1e-15);
    }

    @Test
    void seed004TheOneUnitChainThreeWays() {
        Model model = definitions("single-unit-chain");
        Scope s = model.scope();
        Node l = s.lookup("L");
        Node w1 = s.lookup("w1");
        double analytic = model.value(model.derivative(l, w1, null)).item();
        double backpropagated = model.gradient(l, List.of(w1)).get("w1").item();
        CheckReport numeric = model.check(l, "L", List.of(w1), GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL);
        assertEquals(analytic, backpropagated, 1e-15);
        assertEquals(analytic, numeric.entries().get(0).numeric(), 1e-10);
    }

    @Test
    void seed004ClassifierOnCirclesReachesNinetyFivePercentAndDrawsItsPictures() throws IOException {
        Model model = Golden.exampleModel("classifier-circles", "\nprint ");
        Options options = Options.defaults().withOut(dir);
        Model full = Model.parse(new dev.chainrule.diag.Source("classifier-circles.chain", Golden.example("classifier-circles")));
        List<Result> results = new Session(full, options).runAll();
        Scope s = full.scope();
        assertEquals(0.5, model.value(model.scope().lookup("accuracy")).item(), 0.1);
        double accuracy = full.value(s.lookup("accuracy")).item();
        assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
        assertTrue(full.lastTraining().last() < full.lastTraining().initial() / 4);
        for (String png : new String[] {"classifier-circles-loss.png", "classifier-circles-boundary.png"}) {
            byte[] bytes = Files.readAllBytes(dir.resolve(png));
            assertEquals((byte) 0x89, bytes[0]);
            assertEquals('P', bytes[1]);
            assertTrue(bytes.length > 10_000, png + " has " + bytes.length + " bytes");
        }
        assertEquals(5, results.size());
        assertEquals("wrote " + dir.resolve("classifier-circles-loss.png") + " (loss of E over 2000 steps)\n",
                results.get(3).text(options));
    }

    @Test
    void seed004ClassifierOnXorLearnsAShapeNoLineCanDraw() {
        Model full = Model.parse(new dev.chainrule.diag.Source("classifier-xor.chain", Golden.example("classifier-xor")));
        new Session(full, Options.defaults().withOut(dir)).runAll();
        double accuracy = full.value(full.scope().lookup("accuracy")).item();
        assertTrue(accuracy >= 0.9, "accuracy " + accuracy);
    }
}
