package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A tensor model and its scalar view have the same values and gradients, element by element. */
class UnrolledTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "sum(W @ v)", "u @ W @ v", "sum(T(W) @ u * v)", "sum(W, 0) @ v", "mean(W, 1) @ u",
        "sum(softmax(W) * W)", "sum(softmax(W, 0) * W)", "sum(log_softmax(W) * W)",
        "logsumexp(v) + sum(logsumexp(W, 0))", "max(W * v) + max(u)", "softmax_cross_entropy(W * v, Y)",
        "cross_entropy(softmax(T(W) @ u), y)", "W[0, 1] * v[2] + sum(W[:, 2]) * u[-1] + W[1, :] @ v"})
    void sameValuesAndGradientsAsTheTensorModel(String loss) {
        Model model = Model.parse("m.chain", MatrixBackpropTestModels.PARAMS + "E = " + loss + "\n");
        Scope tensors = model.scope();
        Node e = tensors.lookup("E");
        Unrolled view = Unrolled.of(tensors, e);
        Scope scalars = view.scope();
        Node se = view.element(e, 0);
        Tensor[] values = Forward.values(scalars.graph(), scalars.leafValues(), scalars.graph().reachableFrom(se));
        assertEquals(model.value(e).item(), values[se.id()].item(), 1e-12, loss);
        var gradient = model.gradient(e, tensors.params());
        for (Node p : tensors.params()) {
            for (int i = 0; i < p.shape().size(); i++) {
                String element = dev.chainrule.print.Tensors.element(p.leafName(), p.shape(), i);
                double g = Gradients.numeric(scalars.graph(), values, se, List.of(scalars.lookup(element)))[0].item();
                assertEquals(gradient.get(p.leafName()).get(i), g, 1e-12, loss + " d/d" + element);
            }
        }
    }
}
