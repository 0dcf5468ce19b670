package dev.chainrule.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Examples;
import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import dev.chainrule.testing.RandomExpressions;
import dev.chainrule.testing.Seeds;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the explorer draws and steps through, over random expressions and every example: every
 * edge runs left to right and each column's rows are 0, 1, ...; the reverse sweep's terms add up
 * to each adjoint; and the forward sweep, which sums local derivatives times tangents on its own,
 * ends at the gradient the engine's reverse sweep gives, for every leaf.
 */
class GraphLayoutProperties {
    /** Numbers are written with 9 significant digits: two ways to the same number agree to that. */
    private static final double PRINTED = 1e-8;

    static void assertLaidOut(GraphView.View graph) {
        Map<Integer, GraphView.ViewNode> byId = new HashMap<>();
        Map<Integer, TreeSet<Integer>> rows = new HashMap<>();
        for (GraphView.ViewNode n : graph.nodes()) {
            byId.put(n.id(), n);
            assertTrue(rows.computeIfAbsent(n.layer(), l -> new TreeSet<>()).add(n.row()), "two nodes share a place");
            assertTrue(n.layer() >= 0 && n.layer() < graph.layers());
        }
        for (GraphView.Edge e : graph.edges()) {
            assertTrue(byId.get(e.from()).layer() < byId.get(e.to()).layer(), "edge " + e + " runs backwards");
        }
        for (TreeSet<Integer> column : rows.values()) {
            assertEquals(column.size() - 1, column.last(), "rows of a column are 0, 1, ...");
        }
    }

    @Test
    void randomExpressionsAreLaidOutLeftToRight() {
        Seeds.qt().withExamples(300).forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            assertLaidOut(GraphView.of(model, model.scope().lookup("f"), "f", 9));
        });
    }

    @Test
    void randomExpressionsOverNamesAreLaidOutLeftToRight() {
        Seeds.qt().withExamples(200).forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "g = f * p0\nh = g + f\n");
            GraphView.View graph = GraphView.overNames(model, model.scope().lookup("h"), "h", 9);
            assertLaidOut(graph);
            for (GraphView.Edge e : graph.edges()) {
                assertTrue(e.formula() != null && !e.local().isEmpty(), "every edge over names carries its local derivative");
            }
        });
    }

    @Test
    void everyExampleIsLaidOutLeftToRight() {
        for (String name : Examples.list().keySet()) {
            for (boolean names : new boolean[] {true, false}) {
                Workspace workspace = WorkspaceTest.example(name);
                workspace.drawNames(names);
                Workspace.View view = workspace.analyze(workspace.text()).model();
                if (view.graph().shown() > 0) {
                    assertLaidOut(view.graph());
                }
            }
        }
    }

    @Test
    void theTermsOfEachAdjointAddUpToIt() {
        Seeds.qt().withExamples(300).forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            SweepSteps.Sweep sweep = SweepSteps.backward(model, model.scope().lookup("f"), "f", 9);
            for (SweepSteps.Step step : sweep.steps().subList(1, sweep.steps().size())) {
                double sum = 0;
                double size = 0;
                for (SweepSteps.Term term : step.terms()) {
                    double product = Double.parseDouble(term.product().get(0));
                    sum += product;
                    size += Math.abs(product);
                }
                double adjoint = Double.parseDouble(step.total().get(0));
                assertEquals(adjoint, sum, PRINTED * (size + Math.abs(adjoint)) + 1e-300,
                        () -> step.label() + " of " + RandomExpressions.expression(choices));
            }
        });
    }

    @Test
    void theSweepOverNamesEndsAtTheGradientAndItsLocalDerivativesAreTheDefinitionsOwn() {
        Seeds.qt().withExamples(200).forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            Node f = model.scope().lookup("f");
            SweepSteps.Sweep sweep = SweepSteps.backwardOverNames(model, f, "f", 9);
            for (SweepSteps.Step step : sweep.steps().subList(1, sweep.steps().size())) {
                Node leaf = model.graph().get(step.node());
                double gradient = model.gradient(f, List.of(leaf)).get(leaf.leafName()).item();
                // f is the one name above the params: the local derivative through its definition is the whole gradient
                assertEquals(1, step.terms().size());
                assertEquals(dev.chainrule.print.Numbers.format(gradient, 9), step.total().get(0));
                assertEquals(gradient, Double.parseDouble(step.terms().get(0).local().get(0)), PRINTED * Math.abs(gradient) + 1e-300,
                        () -> "∂f/∂" + leaf.leafName() + " of " + RandomExpressions.expression(choices));
            }
        });
    }

    @Test
    void forwardModeEndsAtTheReverseGradientForEveryLeaf() {
        Seeds.qt().withExamples(300).forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS).checkAssert((choices, at) -> {
            Model model = RandomExpressions.parse(choices, at, "");
            Node f = model.scope().lookup("f");
            for (Node p : model.scope().params()) {
                if (!model.graph().reachableFrom(f).get(p.id()) || p == f) {
                    continue;
                }
                double reverse = model.gradient(f, List.of(p)).get(p.leafName()).item();
                SweepSteps.Sweep sweep = SweepSteps.forward(model, f, "f", p, p.leafName(), null, 9);
                SweepSteps.Step last = sweep.steps().get(sweep.steps().size() - 1);
                assertEquals(f.id(), last.node(), "the forward sweep ends at the output");
                double forward = Double.parseDouble(last.total().get(0));
                assertEquals(reverse, forward, PRINTED * Math.abs(reverse) + 1e-12,
                        () -> "∂f/∂" + p.leafName() + " of " + RandomExpressions.expression(choices));
            }
        });
    }
}
