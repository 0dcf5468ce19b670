package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.check.CheckReport;
import dev.chainrule.check.GradientCheck;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.graph.op.Op;
import dev.chainrule.model.Scope;
import dev.chainrule.print.Format;
import dev.chainrule.testing.DerivativeStructureOracle;
import dev.chainrule.testing.RandomExpressions;
import dev.chainrule.testing.Seeds;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Four ways to a gradient agree on random expressions: numeric reverse mode, the symbolic
 * gradient graph evaluated, commons-math3's forward-mode DerivativeStructure, and finite
 * differences (away from kinks); and second derivatives from {@code grad(grad(..))} agree with
 * DerivativeStructure and with finite differences of the first derivative.
 */
class GradientProperties {
    /** Agreement of exact methods: they differ only by rounding. */
    private static final double EXACT = 1e-9;
    private static final double AWAY_FROM_KINKS = 1e-3;

    private static final Gen<List<Integer>> CHOICES = RandomExpressions.CHOICES;
    private static final Gen<List<Double>> POINTS = RandomExpressions.POINTS;

    private static void assertClose(double expected, double actual, String what) {
        double scale = Math.max(1, Math.max(Math.abs(expected), Math.abs(actual)));
        assertTrue(Math.abs(expected - actual) <= EXACT * scale, what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void reverseModeEqualsSymbolicEqualsDerivativeStructure() {
        Seeds.qt().withExamples(300).forAll(CHOICES, POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            Scope scope = model.scope();
            Node f = scope.lookup("f");
            List<Node> params = scope.params();
            Map<String, Tensor> numeric = model.gradient(f, params);
            DerivativeStructure ds = DerivativeStructureOracle.evaluate(model.graph(), f, params, scope.leafValues());
            String text = RandomExpressions.expression(choices);
            assertClose(ds.getValue(), model.value(f).item(), "value of " + text);
            for (int i = 0; i < params.size(); i++) {
                Node p = params.get(i);
                double symbolic = model.value(model.derivative(f, p, null)).item();
                int[] order = new int[3];
                order[i] = 1;
                String what = "d/d" + p.leafName() + " of " + text;
                assertClose(ds.getPartialDerivative(order), numeric.get(p.leafName()).item(), what + " (reverse vs DS)");
                assertClose(numeric.get(p.leafName()).item(), symbolic, what + " (symbolic vs reverse)");
            }
        });
    }

    /** What grad reports as the value comes from the gradient's own sweep (the tape): the graph's value, bit for bit. */
    @Test
    void theValueSweptWithTheGradientIsTheGraphsValue() {
        Seeds.qt().withExamples(300).forAll(CHOICES, POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            Node f = model.scope().lookup("f");
            double swept = model.valueAndGradient(f, model.scope().params()).value();
            double graph = model.value(f).item();
            assertTrue(Double.compare(graph, swept) == 0 || graph == swept,
                    RandomExpressions.expression(choices) + ": the graph gives " + graph + ", the sweep " + swept);
        });
    }

    @Test
    void reverseModeEqualsFiniteDifferencesAwayFromKinks() {
        Seeds.qt().withExamples(300).forAll(CHOICES, POINTS)
                .assuming((choices, at) -> awayFromKinks(RandomExpressions.parse(choices, at, "")))
                .checkAssert((choices, at) -> {
                    Model model = RandomExpressions.parse(choices, at, "");
                    Node f = model.scope().lookup("f");
                    CheckReport report = model.check(f, "f", model.scope().params(),
                            GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL);
                    assertTrue(report.ok(), RandomExpressions.expression(choices) + " at " + at + ": " + report.entries());
                });
    }

    @Test
    void secondDerivativesFromGradOfGrad() {
        Seeds.qt().withExamples(200).forAll(CHOICES, POINTS)
                .assuming((choices, at) -> awayFromKinks(RandomExpressions.parse(choices, at, "")))
                .checkAssert((choices, at) -> {
                    Model model = RandomExpressions.parse(choices, at, "d0 = grad(f, p0)\nd01 = grad(d0, p1)\nd00 = grad(d0, p0)\n");
                    Scope scope = model.scope();
                    DerivativeStructure ds = DerivativeStructureOracle.evaluate(model.graph(), scope.lookup("f"),
                            scope.params(), scope.leafValues());
                    String text = RandomExpressions.expression(choices);
                    assertClose(ds.getPartialDerivative(1, 1, 0), model.value(scope.lookup("d01")).item(), "d2/dp0dp1 of " + text);
                    assertClose(ds.getPartialDerivative(2, 0, 0), model.value(scope.lookup("d00")).item(), "d2/dp0^2 of " + text);
                    CheckReport report = model.check(scope.lookup("d0"), "d0", scope.params(),
                            GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL);
                    assertTrue(report.ok(), "grad(grad(" + text + ")) at " + at + ": " + report.entries());
                });
    }

    @Test
    void derivativesPrintedInAsciiParseBackToTheSameValue() {
        Seeds.qt().withExamples(200).forAll(CHOICES, POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            Node f = model.scope().lookup("f");
            for (Node p : model.scope().params()) {
                Node d = model.derivative(f, p, null);
                var printed = model.print(d, Format.ASCII);
                if (printed.bindings().isEmpty()) {
                    Node again = model.node("printed", printed.expression());
                    assertClose(model.value(d).item(), model.value(again).item(), printed.expression());
                }
            }
        });
    }

    /** True when no relu, abs, max, min, step or sign has its argument within 1e-3 of a kink. */
    private static boolean awayFromKinks(Model model) {
        Graph graph = model.graph();
        Node f = model.scope().lookup("f");
        BitSet reach = graph.reachableFrom(f);
        Tensor[] values = Forward.values(graph, model.scope().leafValues(), reach, f);
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            if (node.op().smooth() || node.arity() == 0) {
                continue;
            }
            double a = values[node.input(0).id()].item();
            double distance = node.op() == Op.MAX || node.op() == Op.MIN ? a - values[node.input(1).id()].item() : a;
            if (Math.abs(distance) < AWAY_FROM_KINKS) {
                return false;
            }
        }
        return true;
    }
}
