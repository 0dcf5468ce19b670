package dev.chainrule.graph.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.testing.RandomExpressions;
import dev.chainrule.testing.Seeds;
import dev.chainrule.testing.TensorExpressions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Never worse: on random programs the canonical form of a derivative is the same value as the
 * derivative the sweep made (at the model's values and at a second point), defined wherever that
 * one is, of the same shape, and never of more nodes.
 */
class CanonicalProperties {
    /** Both are exact; they differ by the rounding of reordered sums and products. */
    private static final double EXACT = 1e-9;

    private static void assertSameValue(Tensor raw, Tensor canonical, String what) {
        assertEquals(raw.shape(), canonical.shape(), what);
        for (int i = 0; i < raw.size(); i++) {
            double a = raw.get(i);
            double b = canonical.get(i);
            double scale = Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
            assertTrue(Math.abs(a - b) <= EXACT * scale, what + ": the sweep's form is " + a + ", the canonical " + b + " at [" + i + "]");
        }
    }

    /** The canonical form of d of/d wrt against the sweep's, at the model's current values. */
    private static void sameAndNoLarger(Model model, Node of, Node wrt, String what) {
        Node raw = Gradients.symbolic(model.graph(), of, wrt);
        Node canonical = Canonical.of(model.graph(), raw, n -> model.scope().nameOf(n) != null);
        assertTrue(Canonical.size(canonical) <= Canonical.size(raw),
                what + ": " + Canonical.size(canonical) + " nodes, more than the sweep's " + Canonical.size(raw));
        Tensor rawValue;
        try {
            rawValue = model.value(raw);
        } catch (ChainException undefined) {
            return; // not defined here: nothing to compare
        }
        Tensor canonicalValue;
        try {
            canonicalValue = model.value(canonical);
        } catch (ChainException undefined) {
            throw new AssertionError(what + ": the canonical form is undefined where the sweep's is " + rawValue, undefined);
        }
        assertSameValue(rawValue, canonicalValue, what);
    }

    @Test
    void scalarDerivatives() {
        Seeds.qt().withExamples(400).forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            Node f = model.scope().lookup("f");
            for (Node p : model.scope().params()) {
                sameAndNoLarger(model, f, p, "d/d" + p.leafName() + " of " + RandomExpressions.expression(choices) + " at " + at);
            }
        });
    }

    @Test
    void tensorDerivativesAtTwoPoints() {
        Seeds.qt().withExamples(200).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 30))
                .assuming(c -> !new TensorExpressions(c).scalar(0).contains("grad("))
                .checkAssert(c -> {
                    String expression = new TensorExpressions(c).scalar(0);
                    Model model = Model.parse("m.chain", MatrixBackpropTestModels.PARAMS + "e = " + expression + "\n");
                    Node e = model.scope().lookup("e");
                    for (String point : List.of("", "W=[[-0.8, 0.6, 1.1], [0.05, -1.3, 0.7]]")) {
                        if (!point.isEmpty()) {
                            model.set(point);
                            model.set("u=[1.4, 0.3]");
                            model.set("v=[-0.2, 0.8, -1.5]");
                        }
                        for (Node p : model.scope().params()) {
                            sameAndNoLarger(model, e, p, "d/d" + p.leafName() + " of " + expression + (point.isEmpty() ? "" : " at " + point));
                        }
                    }
                });
    }

    @Test
    void derivativesOfTheEmbeddedExamples() {
        for (String name : dev.chainrule.testing.Golden.exampleNames()) {
            Model model = Model.parse(name, dev.chainrule.testing.Golden.example(name).lines()
                    .filter(l -> !l.matches("\\s*(print|grad|explain|check|derive|plot|train|save|load)\\b.*"))
                    .reduce("", (a, b) -> a + b + "\n"));
            for (String output : List.of("E", "L", "loss", "E_total")) {
                Node of = model.scope().find(output);
                if (of == null || !of.shape().isScalar()) {
                    continue;
                }
                for (Node p : model.scope().params()) {
                    sameAndNoLarger(model, of, p, name + ": d" + output + "/d" + p.leafName());
                }
            }
        }
    }
}
