package dev.chainrule.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.graph.op.Op;
import dev.chainrule.lang.Command;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The op table checked against differences of itself: every rule agrees, and a wrong one is named. */
class RuleCheckTest {

    @Test
    void everyOpOfTheTableIsReachedAndAgrees() {
        Map<Op, RuleCheck.Finding> findings = RuleCheck.run(1);
        assertEquals(java.util.List.of(), RuleCheck.uncovered(findings));
        for (RuleCheck.Finding f : findings.values()) {
            assertTrue(f.agrees(), f.toString());
        }
    }

    @Test
    void aWrongRuleIsNamedByItsOp() {
        RuleCheck.Partials wrongCosine = (op, k, a, b, out) -> op == Op.COS ? Math.sin(a) : RuleCheck.Partials.TABLE.partial(op, k, a, b, out);
        Map<Op, RuleCheck.Finding> findings = RuleCheck.run(1, wrongCosine);
        for (Map.Entry<Op, RuleCheck.Finding> e : findings.entrySet()) {
            assertEquals(e.getKey() != Op.COS, e.getValue().agrees(), e.getValue().toString());
        }
    }

    @Test
    void aFailedCheckNamesTheFirstNodeWhoseLocalDerivativeDisagrees() {
        Model model = Model.parse("kink.chain", "param x = 0\ny = 2 * x\nE = sin(y) + relu(y)\n");
        Session session = new Session(model, Options.defaults());
        Command.Target target = new Command.Target(model.scope().lookup("E"), "E", new dev.chainrule.diag.Source("--of", "E").whole());
        Result.Checked checked = session.check(target, model.scope().params());
        assertFalse(checked.report().ok());
        String text = checked.text(Options.defaults());
        assertTrue(text.endsWith("1 of 1 gradients disagree\n"
                + "the first node whose local derivative disagrees: relu(y) (line 3:14), ∂/∂a at a = 0: rule 0, differences 0.5\n"), text);
    }

    @Test
    void aCheckThatFailsOnlyByRoundingBlamesNoNode() {
        Model model = Model.parse("tight.chain", "param x = 0.3\nE = sin(x) * exp(x)\n");
        Session session = new Session(model, new Options(dev.chainrule.print.Format.TEXT, 9, 0, 0, null, 0, false, false, false));
        Command.Target target = new Command.Target(model.scope().lookup("E"), "E", new dev.chainrule.diag.Source("--of", "E").whole());
        Result.Checked checked = session.check(target, model.scope().params());
        assertFalse(checked.report().ok(), "no tolerance at all: rounding alone fails the check");
        assertTrue(checked.text(Options.defaults()).endsWith("every node's local derivative agrees with differences at these values\n"));
    }

    @Test
    void pointsLieInTheDomainAndAwayFromKinks() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (Op op : Op.values()) {
            if (op.kind() != Op.Kind.ELEMENTWISE) {
                continue;
            }
            for (int i = 0; i < 500; i++) {
                double[] p = RuleCheck.point(op, rng);
                String at = op + " at " + p[0] + ", " + p[1];
                switch (op.domain()) {
                    case POSITIVE, POSITIVE_BASE -> assertTrue(p[0] >= 0.1 && p[0] < 3, at);
                    case NONZERO_DIVISOR -> assertTrue(Math.abs(p[1]) >= 0.2 && Math.abs(p[1]) < 3, at);
                    case ABOVE_MINUS_ONE -> assertTrue(p[0] >= -0.9 && p[0] < 3, at);
                    default -> assertTrue(Math.abs(p[0]) < 2 && Math.abs(p[1]) < 2, at);
                }
                if (!op.smooth()) {
                    assertTrue(Math.abs(p[0]) >= RuleCheck.KINK_MARGIN, at);
                    assertTrue(op.arity() < 2 || Math.abs(p[0] - p[1]) >= RuleCheck.KINK_MARGIN, at);
                }
            }
        }
    }

    @Test
    void separatedValuesKeepTheirOrderUnderASmallStep() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        var t = RuleCheck.random(dev.chainrule.tensor.Shape.of(2, 3), rng, true);
        double[] sorted = t.toArray();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            assertTrue(sorted[i] - sorted[i - 1] >= 0.4, java.util.Arrays.toString(sorted));
        }
        assertTrue(sorted[0] >= 0 && sorted[5] < 2.6, java.util.Arrays.toString(sorted));
        var plain = RuleCheck.random(dev.chainrule.tensor.Shape.of(50), rng, false);
        for (int i = 0; i < 50; i++) {
            assertTrue(Math.abs(plain.get(i)) <= 1, "" + plain.get(i));
        }
        assertEquals(1 * 4 + 2 * 5 + 3 * 6.0, RuleCheck.dot(dev.chainrule.tensor.Tensor.of(dev.chainrule.tensor.Shape.of(3), 1, 2, 3),
                dev.chainrule.tensor.Tensor.of(dev.chainrule.tensor.Shape.of(3), 4, 5, 6)), 0.0);
    }

    @Test
    void theWorstFindingOfAnOpIsKept() {
        Map<Op, RuleCheck.Finding> worst = new java.util.EnumMap<>(Op.class);
        RuleCheck.keep(worst, new RuleCheck.Finding(Op.SIN, 0, "a = 1", 0.5403, 0.5403, true));
        RuleCheck.keep(worst, new RuleCheck.Finding(Op.SIN, 0, "a = 2", -0.41615, -0.41614, true));
        assertEquals("a = 2", worst.get(Op.SIN).point(), "the larger error of two agreeing findings");
        RuleCheck.keep(worst, new RuleCheck.Finding(Op.SIN, 0, "a = 3", 1, -0.99, false));
        RuleCheck.keep(worst, new RuleCheck.Finding(Op.SIN, 0, "a = 4", -0.6536, -0.6536, true));
        RuleCheck.keep(worst, new RuleCheck.Finding(Op.SIN, 0, "a = 5", 5, -0.99, false));
        assertEquals("a = 3", worst.get(Op.SIN).point(), "the first disagreement stays");
        Map<Op, RuleCheck.Finding> some = new java.util.EnumMap<>(Op.class);
        some.put(Op.SIN, worst.get(Op.SIN));
        assertTrue(RuleCheck.uncovered(some).contains(Op.COS));
        assertFalse(RuleCheck.uncovered(some).contains(Op.SIN));
        assertFalse(RuleCheck.uncovered(some).contains(Op.LEAF));
    }

    @Test
    void aSampledCheckTakesTheSameElementsEveryTime() {
        Model model = Model.parse("m.chain", "param W = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]\nE = sum(sin(W) * W)\n");
        var check = new GradientCheck(model.graph(), model.scope().leafValues());
        var first = check.check(model.scope().lookup("E"), "E", model.scope().params(), 1e-6, 1e-9, 3);
        var again = check.check(model.scope().lookup("E"), "E", model.scope().params(), 1e-6, 1e-9, 3);
        assertEquals(3, first.entries().size());
        assertEquals(first.entries().stream().map(CheckReport.Entry::wrt).toList(), again.entries().stream().map(CheckReport.Entry::wrt).toList());
        java.util.List<String> names = first.entries().stream().map(CheckReport.Entry::wrt).toList();
        assertEquals(names.stream().sorted(java.util.Comparator.comparing((String n) -> n.length()).thenComparing(n -> n)).toList(), names,
                "in element order");
        assertTrue(first.ok());
        assertEquals(6, check.check(model.scope().lookup("E"), "E", model.scope().params(), 1e-6, 1e-9).entries().size());
        for (CheckReport.Entry e : first.entries()) {
            int row = e.wrt().charAt(2) - '0';
            int col = e.wrt().charAt(5) - '0';
            double w = 0.1 * (3 * row + col + 1);
            assertEquals(Math.cos(w) * w + Math.sin(w), e.analytic(), 1e-15, e.wrt());
            assertEquals(e.analytic(), e.numeric(), 1e-10, e.wrt());
            assertEquals(e.analytic(), e.central(), 1e-8, e.wrt());
        }
    }

    @Test
    void theSampleIsSeededAndSpansEveryLeaf() {
        Model model = Model.parse("m.chain", "param W = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]\nparam v = [0.7, 0.8]\n"
                + "E = sum(sin(W) * W) + v @ v\n");
        var check = new GradientCheck(model.graph(), model.scope().leafValues());
        CheckReport report = check.check(model.scope().lookup("E"), "E", model.scope().params(), 1e-6, 1e-9, 4);
        assertEquals(java.util.List.of("W[0, 0]", "W[0, 2]", "v[0]", "v[1]"), report.entries().stream().map(CheckReport.Entry::wrt).toList());
        double maxAbs = report.entries().stream().mapToDouble(CheckReport.Entry::absError).max().orElseThrow();
        double maxRel = report.entries().stream().mapToDouble(CheckReport.Entry::relError).max().orElseThrow();
        assertEquals(maxAbs, report.maxAbsError(), 0.0);
        assertEquals(maxRel, report.maxRelError(), 0.0);
        assertTrue(maxAbs > 0 && maxRel > 0, "differences are never exact here");
    }

    @Test
    void largeGradientsAreJudgedRelatively() {
        Model model = Model.parse("m.chain", "param x = 30000\nE = x^3\n");
        CheckReport report = new GradientCheck(model.graph(), model.scope().leafValues())
                .check(model.scope().lookup("E"), "E", model.scope().params(), 1e-6, 1e-9);
        CheckReport.Entry e = report.entries().get(0);
        assertEquals(2.7e9, e.analytic(), 0.0);
        assertTrue(e.absError() > 1e-9, "beyond atol alone: " + e.absError());
        assertTrue(report.ok(), report.toString());
        assertTrue(Math.abs(e.central() - 2.7e9) < 1e-9 * 2.7e9, "central difference with a step scaled to x: " + e.central());
    }

    @Test
    void aTieInMaxIsNamedAsTheFirstNodeThatDisagrees() {
        Model model = Model.parse("m.chain", "param W = [[1, 1], [0, 0]]\nE = max(W)\n");
        CheckReport report = new GradientCheck(model.graph(), model.scope().leafValues())
                .check(model.scope().lookup("E"), "E", model.scope().params(), 1e-6, 1e-9);
        assertFalse(report.ok());
        assertEquals("2:5", report.suspect().place());
        assertEquals("max(W)", report.suspect().text());
        assertEquals(Op.MAX_OVER, report.suspect().finding().op());
        assertFalse(report.suspect().finding().agrees());
    }

    @Test
    void aFindingSaysWhatDisagrees() {
        assertEquals("sin, ∂/∂input 0 at a = 1: rule 0.5, differences 0.54  DISAGREE",
                new RuleCheck.Finding(Op.SIN, 0, "a = 1", 0.5, 0.54, false).toString());
        assertEquals("sin, ∂/∂input 0 at a = 1: rule 0.54, differences 0.54",
                new RuleCheck.Finding(Op.SIN, 0, "a = 1", 0.54, 0.54, true).toString());
    }
}
