package dev.chainrule.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.graph.Op;
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
        Session session = new Session(model, new Options(dev.chainrule.print.Format.TEXT, 9, 0, 0, null, 0));
        Command.Target target = new Command.Target(model.scope().lookup("E"), "E", new dev.chainrule.diag.Source("--of", "E").whole());
        Result.Checked checked = session.check(target, model.scope().params());
        assertFalse(checked.report().ok(), "no tolerance at all: rounding alone fails the check");
        assertTrue(checked.text(Options.defaults()).endsWith("every node's local derivative agrees with differences at these values\n"));
    }
}
