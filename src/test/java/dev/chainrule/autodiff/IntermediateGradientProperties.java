package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Node;
import dev.chainrule.lang.Command;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.testing.Seeds;
import dev.chainrule.testing.TensorExpressions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Derivatives with respect to a node that is not a leaf, its inputs held fixed, agree three
 * ways on random tensor models: the gradient (taken on the model with that node made a leaf),
 * the adjoint one backward sweep of the whole model gives the node, and finite differences that
 * move the node's value alone; the symbolic derivative evaluates to the same numbers, and one
 * element of the node is that element of the whole.
 */
class IntermediateGradientProperties {
    private static final double EXACT = 1e-9;

    /** {@code z} is a random (2×3) expression of the params; {@code E} uses z, and W beside it. */
    private static String model(List<Integer> inner, List<Integer> outer) {
        String z = new TensorExpressions(inner, true).matrix23(1);
        String e = new TensorExpressions(outer, true).scalar(1).replace("W", "z");
        return MatrixBackpropTestModels.PARAMS + "z = " + z + "\nE = " + e + " + sum(z * W)\n";
    }

    @Test
    void theAdjointOfANodeIsItsDerivativeWithItsInputsHeldFixed() {
        Seeds.qt().withExamples(150).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 20),
                        lists().of(integers().between(0, 1000)).ofSizeBetween(1, 20))
                .asWithPrecursor((inner, outer) -> model(inner, outer))
                .checkAssert((inner, outer, text) -> {
                    Model model = Model.parse(new Source("m.chain", text));
                    Session session = new Session(model, Options.defaults());
                    Node e = model.scope().lookup("E");
                    Node z = model.scope().lookup("z");
                    Command.Target of = new Command.Target(e, "E", null);
                    List<Command.Wrt> wrt = model.targets("--wrt", "z, z[1, 2], W");
                    Result.Gradient g = session.gradientOf(of, wrt);
                    Tensor byCut = g.gradient().get("z");
                    // the adjoint of z in one sweep of the whole model
                    Tensor[] values = Forward.values(model.graph(), model.scope().leafValues(), e);
                    Tensor adjoint = (Tensor) Gradients.numericAdjoints(model.graph(), values, e, List.of(z))[z.id()];
                    Tensor symbolic = session.derivative(of, wrt.get(0), null).value();
                    for (int i = 0; i < byCut.size(); i++) {
                        close(adjoint.get(i), byCut.get(i), text + "\nadjoint vs cut, element " + i);
                        close(byCut.get(i), symbolic.get(i), text + "\ncut vs symbolic, element " + i);
                    }
                    close(byCut.get(5), g.gradient().get("z[1, 2]").item(), text + "\nthe element z[1, 2]");
                    // W's own gradient is not changed by asking for z beside it
                    Tensor w = model.gradient(e, List.of(model.scope().lookup("W"))).get("W");
                    for (int i = 0; i < w.size(); i++) {
                        close(w.get(i), g.gradient().get("W").get(i), text + "\nW beside z, element " + i);
                    }
                    Result.Checked check = session.checkOf(of, List.of(wrt.get(0)));
                    assertTrue(check.report().ok(), text + "\n" + check.text(Options.defaults()));
                });
    }

    private static void close(double expected, double actual, String what) {
        double scale = Math.max(1, Math.max(Math.abs(expected), Math.abs(actual)));
        assertTrue(Math.abs(expected - actual) <= EXACT * scale, what + ": expected " + expected + ", got " + actual);
    }
}
