package dev.chainrule.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.model.Scope;
import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.chainrule.testing.Seeds;
import dev.chainrule.testing.TensorExpressions;

/**
 * Random tensor programs have the values and gradients of the same programs unrolled into
 * scalars ({@link Unrolled}), element by element: matrix products, transposes, reductions with and
 * without an axis, softmax and friends, indexing and broadcasting, composed at random.
 */
class UnrolledProperties {
    @Test
    void randomTensorProgramsEqualTheirScalarViews() {
        Seeds.qt().withExamples(120).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 30)
                        .describedAs(c -> new TensorExpressions(c).scalar(0)))
                .checkAssert(c -> sameAsUnrolled(new TensorExpressions(c).scalar(0)));
    }

    /**
     * Asserts that {@code E = loss} over the test params has its scalar view's value and gradient,
     * to 1e-12, and that the view of each param element's paths alone ({@link Unrolled#around})
     * gives that element's gradient too.
     */
    static void sameAsUnrolled(String loss) {
        Model model = Model.parse("m.chain", MatrixBackpropTestModels.PARAMS + "E = " + loss + "\n");
        Scope tensors = model.scope();
        Node e = tensors.lookup("E");
        Unrolled view = Unrolled.of(tensors, e);
        Scope scalars = view.scope();
        Node se = view.element(e, 0);
        Tensor[] values = Forward.values(scalars.graph(), scalars.leafValues(), se);
        double value = model.value(e).item();
        assertEquals(value, values[se.id()].item(), 1e-12 * Math.max(1, Math.abs(value)), loss);
        var gradient = model.gradient(e, tensors.params());
        for (Node p : tensors.params()) {
            for (int i = 0; i < p.shape().size(); i++) {
                String element = dev.chainrule.print.Tensors.element(p.leafName(), p.shape(), i);
                Node leaf = scalars.lookup(element);
                double g = leaf == null ? 0 : Gradients.numeric(scalars.graph(), values, se, List.of(leaf))[0].item();
                double expected = gradient.get(p.leafName()).get(i);
                assertEquals(expected, g, 1e-12 * Math.max(1, Math.abs(expected)), loss + " d/d" + element);
                Unrolled paths = Unrolled.around(tensors, e, p, i);
                Node root = paths.element(e, 0);
                Node weight = paths.element(p, i);
                Tensor[] pathValues = Forward.values(paths.scope().graph(), paths.scope().leafValues(), root);
                assertEquals(value, pathValues[root.id()].item(), 1e-12 * Math.max(1, Math.abs(value)), loss + " around " + element);
                double around = Gradients.numeric(paths.scope().graph(), pathValues, root, List.of(weight))[0].item();
                assertEquals(expected, around, 1e-12 * Math.max(1, Math.abs(expected)), loss + " d/d" + element + " around it");
            }
        }
    }
}
