package dev.chainrule.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Examples;
import dev.chainrule.api.Options;
import dev.chainrule.diag.ChainException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The explorer's answers on the tutorial network: the numbers the tutorial prints, and the ones it skips. */
class WorkspaceTest {
    private static final String TUTORIAL = Examples.source("backprop-2-2-2").text();

    static Workspace tutorial() {
        Workspace workspace = new Workspace("model.chain", TUTORIAL, Options.defaults());
        assertTrue(workspace.analyze(TUTORIAL).ok());
        return workspace;
    }

    /** An embedded example in a workspace named after it, not built yet. */
    static Workspace example(String name) {
        return new Workspace(name, Examples.source(name).text(), Options.defaults());
    }

    /** An embedded example in a workspace, built. */
    static Workspace built(String name) {
        Workspace workspace = example(name);
        workspace.analyze(workspace.text());
        return workspace;
    }

    static GraphView.ViewNode named(GraphView.View graph, String name) {
        return graph.nodes().stream().filter(n -> name.equals(n.name())).findFirst().orElseThrow();
    }

    @Test
    void theGraphShowsTheForwardPassAndEveryGradient() {
        Workspace.Analysis analysis = tutorial().analyze(TUTORIAL);
        Workspace.View view = analysis.model();
        assertEquals("E", view.output(), "the first statement about a scalar is about E");
        assertEquals(List.of("0.298371109"), named(view.graph(), "E").value());
        assertEquals(List.of("1"), named(view.graph(), "E").grad());
        assertEquals(List.of("0.000438567734"), named(view.graph(), "w1").grad());
        assertEquals(List.of("0.0821670406"), named(view.graph(), "w5").grad());
        // a bias the tutorial skips, and a name on the second path through out_h1
        assertEquals(List.of("0.00877135469"), named(view.graph(), "net_h1").grad());
        assertEquals(List.of("0.0363503064"), named(view.graph(), "out_h1").grad());
        assertEquals(10, view.params().size());
        assertEquals("w1", view.params().get(0).name());
        assertEquals(List.of("0.000438567734"), view.params().get(0).grad());
    }

    @Test
    void everyEdgeRunsLeftToRightAndRowsFillTheirColumns() {
        GraphView.View graph = tutorial().analyze(TUTORIAL).model().graph();
        assertEquals(graph.shown(), graph.nodes().size());
        assertEquals(43, graph.total(), "the operations under E, of which the names are drawn");
        GraphLayoutProperties.assertLaidOut(graph);
    }

    @Test
    void theParamsTableTakenFromTheDrawingIsWhatASweepOfTheirOwnGives() {
        for (String name : Examples.list().keySet()) {
            for (boolean names : new boolean[] {true, false}) {
                Workspace workspace = example(name);
                workspace.drawNames(names);
                Workspace.View view = workspace.analyze(workspace.text()).model();
                workspace.locked(() -> {
                    dev.chainrule.graph.Node out = workspace.model().scope().lookup(view.output());
                    List<dev.chainrule.graph.Node> leaves = workspace.paramsUnder(out);
                    assertEquals(workspace.params(leaves, leaves.isEmpty() ? java.util.Map.of() : workspace.model().gradient(out, leaves)),
                            view.params(), name + (names ? " over names" : " over operations"));
                    return null;
                });
            }
        }
    }

    /** A model that builds but cannot be evaluated is that edit's mistake, told with its caret, as the command line tells it. */
    @Test
    void aModelThatDoesNotEvaluateIsADiagnosticOfItsEdit() {
        Workspace workspace = new Workspace("m.chain", "param x = 2\nE = x^3\n", Options.defaults());
        assertTrue(workspace.analyze(workspace.text()).ok());
        Workspace.Analysis log = workspace.analyze("param x = -1\nE = log(x)\n");
        assertFalse(log.ok());
        assertTrue(log.stale());
        assertEquals("m.chain:2:5: log of a negative number: log(-1) is NaN\nE = log(x)\n    ^^^^^^",
                log.diagnostics().get(0).rendered());
        assertEquals(List.of("8"), named(log.model().graph(), "E").value(), "the last good model stays");
        Workspace.Analysis typo = workspace.analyze("param x = 1\nE = x + yy\n");
        assertEquals(1, typo.diagnostics().size());
        assertEquals("m.chain:2:9: unknown name 'yy'", typo.diagnostics().get(0).rendered().lines().findFirst().orElseThrow(),
                "the next edit's own mistake, not the last one's");
        assertEquals(List.of("8"), named(typo.model().graph(), "E").value());
    }

    /**
     * Over random runs of edits, good, mistyped and failing as they are evaluated: each analysis
     * tells that edit's own mistakes, on lines of that edit, and shows the last model that built
     * and evaluated.
     */
    @Test
    void everyEditIsToldItsOwnMistakesAndTheLastGoodModelStays() {
        String[][] good = {{"param x = 2\nE = x^3\n", "8"}, {"param x = 3\nE = 2*x\n", "6"}, {"param x = 4\nE = sqrt(x)\n", "2"}};
        String[] typos = {"param x = 1\nE = x + yy\n", "param x = 1\nE = (x\n", "E = sinn(2)\n", "param x = 1\n\nE = x +* 2\n"};
        String[] failing = {"param x = -1\nE = log(x)\n", "param x = 0\nE = 1 / x\n", "param x = 1e308\nE = x * 10\n",
            "param x = -4\n# a comment\nE = sqrt(x)\n"};
        java.util.Random random = new java.util.Random(17);
        for (int run = 0; run < 30; run++) {
            Workspace workspace = new Workspace("m.chain", good[0][0], Options.defaults());
            String shown = workspace.analyze(good[0][0]).ok() ? good[0][1] : null;
            for (int edit = 0; edit < 8; edit++) {
                int kind = random.nextInt(3);
                String[] pool = kind == 0 ? null : kind == 1 ? typos : failing;
                int pick = random.nextInt(kind == 0 ? good.length : pool.length);
                String text = kind == 0 ? good[pick][0] : pool[pick];
                Workspace.Analysis analysis = workspace.analyze(text);
                String where = "run " + run + ", edit " + edit + ": " + text;
                assertEquals(kind == 0, analysis.ok(), where);
                if (kind == 0) {
                    shown = good[pick][1];
                    assertTrue(analysis.diagnostics().isEmpty(), where);
                } else {
                    assertFalse(analysis.diagnostics().isEmpty(), where);
                    for (Workspace.Problem problem : analysis.diagnostics()) {
                        String line = problem.rendered().lines().skip(1).findFirst().orElseThrow();
                        assertTrue(text.lines().anyMatch(line::equals), where + "\ntold: " + problem.rendered());
                    }
                }
                assertEquals(List.of(shown), named(analysis.model().graph(), "E").value(), where);
            }
        }
    }

    @Test
    void aTypoKeepsTheLastGoodModelAndSaysWhereAsTheCommandLineDoes() {
        Workspace workspace = tutorial();
        Workspace.Analysis typo = workspace.analyze(TUTORIAL.replace("sigmoid(net_h1)", "sigmoud(net_h1)"));
        assertFalse(typo.ok());
        assertTrue(typo.stale());
        assertEquals(1, typo.diagnostics().size());
        Workspace.Problem problem = typo.diagnostics().get(0);
        assertEquals("model.chain:10:10: unknown function 'sigmoud'; did you mean 'sigmoid'?\n"
                + "out_h1 = sigmoud(net_h1)\n"
                + "         ^^^^^^^", problem.rendered());
        assertEquals(10, problem.line());
        assertEquals(10, problem.column());
        assertEquals(7, problem.length());
        assertEquals(List.of("0.298371109"), named(typo.model().graph(), "E").value(), "the last good graph stays");
        Workspace.Analysis fixed = workspace.analyze(TUTORIAL);
        assertTrue(fixed.ok());
        assertFalse(fixed.stale());
        assertTrue(fixed.diagnostics().isEmpty());
    }

    @Test
    void textThatNeverBuiltHasNoModelToShow() {
        Workspace workspace = new Workspace("new.chain", "", Options.defaults());
        Workspace.Analysis analysis = workspace.analyze("x = ");
        assertFalse(analysis.ok());
        assertFalse(analysis.stale());
        assertNull(analysis.model());
        assertThrows(IllegalStateException.class, () -> workspace.backward("E", true));
    }

    @Test
    void clickingW1ExplainsItWithTheTutorialsFactorsAndHighlightsBothPaths() {
        Workspace workspace = tutorial();
        GraphView.View graph = workspace.analyze(TUTORIAL).model().graph();
        Workspace.Explained explained = workspace.explain("E", named(graph, "w1").id());
        assertEquals("w1", explained.name());
        assertTrue(explained.text().startsWith("∂E/∂w1 = ∂E/∂out_h1 · ∂out_h1/∂net_h1 · ∂net_h1/∂w1\n"
                + "       = 0.0363503064 · 0.241300709 · 0.05\n"
                + "       = 0.000438567734\n"), explained.text());
        assertTrue(explained.latex().contains("0.000438567734"), explained.latex());
        assertNull(explained.note());
        // out_h1 feeds net_o1 and net_o2: both paths are lit, each edge with its local derivative
        int outH1 = named(graph, "out_h1").id();
        List<String> fromOutH1 = new ArrayList<>();
        for (Workspace.PathEdge edge : explained.edges()) {
            if (edge.from() == outH1) {
                fromOutH1.add(edge.local().get(0));
            }
        }
        assertEquals(List.of("0.4", "0.5"), fromOutH1.stream().sorted().toList());
        assertTrue(explained.nodes().contains(named(graph, "E").id()));
    }

    @Test
    void theOutputsOnOfferAreTheScalarsComputedFromLeavesNotConstants() {
        Workspace.View view = built("rnn-bptt").analyze(built("rnn-bptt").text()).model();
        assertEquals(List.of("h[1]", "h[2]", "h[3]", "h[4]", "h[5]", "E"), view.outputs(), "T = len(x) and h[0] = 0 are constants");
    }

    @Test
    void overNamesTheGraphIsTheTutorialsNetworkWithEachLocalDerivativeOnItsEdge() {
        GraphView.View graph = tutorial().analyze(TUTORIAL).model().graph();
        assertTrue(graph.names());
        assertEquals(23, graph.nodes().size(), "E, eight named nodes, eight weights, two biases, two inputs, two targets");
        assertEquals(28, graph.edges().size());
        assertEquals("sigmoid(net_h1)", named(graph, "out_h1").op());
        assertEquals("w1·i1 + w2·i2 + b1", named(graph, "net_h1").op());
        assertEquals(List.of("0.000438567734"), named(graph, "w1").grad());
        GraphView.Edge edge = graph.edges().stream()
                .filter(e -> e.from() == named(graph, "out_h1").id() && e.to() == named(graph, "net_o1").id()).findFirst().orElseThrow();
        assertEquals("w5", edge.formula());
        assertEquals(List.of("0.4"), edge.local());
        GraphView.Edge w5 = graph.edges().stream()
                .filter(e -> e.from() == named(graph, "w5").id() && e.to() == named(graph, "net_o1").id()).findFirst().orElseThrow();
        assertEquals("out_h1", w5.formula(), "a named local derivative is written by its name, as the tutorial writes it");
        GraphLayoutProperties.assertLaidOut(graph);
        assertEquals(6, graph.layers(), "inputs, net_h, out_h, net_o, out_o, E: the leaves sit beside their first use");
    }

    @Test
    void aModelOfTensorsIsDrawnOperationByOperationAndSaysWhy() {
        Workspace circles = example("classifier-circles");
        GraphView.View graph = circles.analyze(circles.text()).model().graph();
        assertFalse(graph.names());
        assertEquals("the graph over names is drawn for scalar nodes, and X is a (200×2) value: every operation is drawn instead",
                graph.note());
    }

    @Test
    void anUnnamedNodeHasItsPathsAndANoteInsteadOfAnExplanation() {
        Workspace workspace = tutorial();
        workspace.drawNames(false);
        GraphView.View graph = workspace.analyze(TUTORIAL).model().graph();
        GraphView.ViewNode product = graph.nodes().stream().filter(n -> n.name() == null && n.op().equals("·")
                || n.name() == null && n.op().equals("*")).findFirst().orElseThrow();
        Workspace.Explained explained = workspace.explain("E", product.id());
        assertNull(explained.text());
        assertTrue(explained.note().startsWith("explain follows named nodes, and this one ("), explained.note());
        assertFalse(explained.edges().isEmpty());
    }

    @Test
    void aConstantHasNothingToExplainAndSaysSo() {
        Workspace workspace = tutorial();
        workspace.drawNames(false);
        GraphView.View graph = workspace.analyze(TUTORIAL).model().graph();
        GraphView.ViewNode half = graph.nodes().stream().filter(n -> n.kind().equals("constant")).findFirst().orElseThrow();
        Workspace.Explained explained = workspace.explain("E", half.id());
        assertEquals("this is a constant, " + half.op() + ": nothing moves it, so E has no derivative to explain here;"
                + " its paths show where it is used", explained.note());
    }

    @Test
    void deriveNamesThePagesFieldsInItsDiagnostics() {
        ChainException e = assertThrows(ChainException.class, () -> tutorial().derive("E", "w9"));
        assertEquals("wrt:1:1: unknown name 'w9'; did you mean 'w1'?\nw9\n^^", e.render());
    }

    @Test
    void eachModelBuiltHasANewVersionAndAFailedEditKeepsIt() {
        Workspace workspace = tutorial();
        int version = workspace.version();
        assertEquals(version, workspace.analyze("x = ").model().version(), "the last good model, still the same");
        assertEquals(version + 1, workspace.analyze(TUTORIAL).model().version());
    }

    @Test
    void theBackwardSweepOverOperationsReachesW1WithOneTermPerConsumer() {
        SweepSteps.Sweep sweep = tutorial().backward("E", false);
        assertEquals("E", sweep.steps().get(0).label());
        assertEquals(List.of("1"), sweep.steps().get(0).total());
        SweepSteps.Step w1 = sweep.steps().stream().filter(s -> s.label().equals("w1")).findFirst().orElseThrow();
        assertEquals(List.of("0.000438567734"), w1.total());
        assertEquals(1, w1.terms().size());
        assertEquals(List.of("0.05"), w1.terms().get(0).local());
        SweepSteps.Step outH1 = sweep.steps().stream().filter(s -> s.label().equals("out_h1")).findFirst().orElseThrow();
        assertEquals(List.of("0.0363503064"), outH1.total());
        assertEquals(2, outH1.terms().size(), "out_h1 feeds two products: one term each");
        assertEquals(10, sweep.params());
        assertEquals(1, sweep.sweeps());
    }

    @Test
    void theBackwardSweepOverNamesIsTheTutorialsHandCalculation() {
        SweepSteps.Sweep sweep = tutorial().backward("E", true);
        assertTrue(sweep.names());
        List<String> order = sweep.steps().stream().map(SweepSteps.Step::label).toList();
        assertEquals(List.of("E", "out_o2", "out_o1", "net_o2", "net_o1", "out_h2", "out_h1", "net_h2", "net_h1"),
                order.subList(0, 9), "the output first, then each name after every name it feeds");
        SweepSteps.Step netH1 = step(sweep, "net_h1");
        assertEquals(List.of("0.00877135469"), netH1.total());
        assertEquals("out_h1·(1 - out_h1)", netH1.terms().get(0).formula());
        assertEquals("out_h1", step(sweep, "w5").terms().get(0).formula(), "∂net_o1/∂w5 is out_h1, not sigmoid(net_h1)");
        assertEquals(List.of("0.241300709"), netH1.terms().get(0).local());
        SweepSteps.Step outH1 = step(sweep, "out_h1");
        assertEquals(List.of("net_o1", "net_o2"), outH1.terms().stream().map(SweepSteps.Term::otherLabel).toList());
        assertEquals(List.of("w5", "w7"), outH1.terms().stream().map(SweepSteps.Term::formula).toList());
        assertEquals(List.of("0.0553994247"), outH1.terms().get(0).product());
        assertEquals(List.of("-0.0190491183"), outH1.terms().get(1).product());
        assertEquals(List.of("0.0363503064"), outH1.total());
        SweepSteps.Step w1 = step(sweep, "w1");
        assertEquals("net_h1", w1.terms().get(0).otherLabel());
        assertEquals("i1", w1.terms().get(0).formula());
        assertEquals(List.of("0.000438567734"), w1.total());
        SweepSteps.Step b1 = step(sweep, "b1");
        assertEquals(2, b1.terms().size(), "the bias the tutorial skips feeds both hidden nets");
        assertEquals(List.of("0.00877135469", "0.00995425471"), b1.terms().stream().map(t -> t.product().get(0)).toList());
    }

    @Test
    void theSweepOverNamesIsForScalarGraphs() {
        Workspace circles = built("classifier-circles");
        ChainException e = assertThrows(ChainException.class, () -> circles.backward("E", true));
        assertEquals("the sweep over names follows scalar nodes, and X is a (200×2) value", e.getMessage());
        assertFalse(circles.backward("E", false).steps().isEmpty());
    }

    private static SweepSteps.Step step(SweepSteps.Sweep sweep, String label) {
        return sweep.steps().stream().filter(s -> s.label().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void forwardModeForW1EndsAtTheSameNumberAfterOneSweepOfTen() {
        SweepSteps.Sweep sweep = tutorial().forward("E", "w1");
        SweepSteps.Step last = sweep.steps().get(sweep.steps().size() - 1);
        assertEquals("E", last.label());
        assertEquals(List.of("0.000438567734"), last.total());
        assertEquals(10, sweep.sweeps(), "forward mode needs one sweep per param");
    }

    @Test
    void forwardModeStartsFromALeafAndSaysSo() {
        ChainException e = assertThrows(ChainException.class, () -> tutorial().forward("E", "out_h1"));
        assertEquals("forward mode starts from a leaf (a param or an input); out_h1 is computed", e.getMessage());
        ChainException unknown = assertThrows(ChainException.class, () -> tutorial().forward("E", "w9"));
        assertEquals("unknown name 'w9'; did you mean 'w1'?", unknown.getMessage());
    }

    @Test
    void deriveWritesTheDerivativeInAsciiAndLatex() {
        Workspace.Derived d = tutorial().derive("E", "w5");
        assertEquals(List.of("0.0821670406"), d.value());
        assertTrue(d.latex().contains("\\"), d.latex());
        assertFalse(d.ascii().isBlank());
    }

    @Test
    void trainingDefaultsComeFromTheModelsOwnTrainStatement() {
        Workspace.TrainingSetup setup = tutorial().analyze(TUTORIAL).model().training();
        assertEquals("E", setup.loss());
        assertEquals(0.5, setup.lr());
        assertEquals("sgd", setup.optimizer());
        assertNull(setup.boundary());
        Workspace circles = example("classifier-circles");
        Workspace.TrainingSetup classifier = circles.analyze(circles.text()).model().training();
        assertEquals(new Workspace.Boundary("p", "X", "y"), classifier.boundary());
        assertEquals(200, classifier.rows());
        assertNotNull(classifier.x());
    }
}
