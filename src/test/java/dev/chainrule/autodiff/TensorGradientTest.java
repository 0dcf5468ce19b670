package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.check.CheckReport;
import dev.chainrule.check.GradientCheck;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every structural op's vector-Jacobian rule, inside small models: reverse mode agrees with
 * finite differences element by element, and the symbolic gradient evaluates to reverse mode.
 */
class TensorGradientTest {
    private static final String PARAMS = dev.chainrule.api.MatrixBackpropTestModels.PARAMS;

    @ParameterizedTest
    @ValueSource(strings = {
        "sum(W @ v)",
        "u @ W @ v",
        "sum(T(W) @ u * v)",
        "sum(W @ M)",
        "sum(sigmoid(W) * [1, 2, 3])",
        "sum(W + v) + sum(T(W) * u @ W)",
        "sum(W, 0) @ v",
        "mean(W, 1) @ u",
        "mean(tanh(W))",
        "sum(softmax(v) * [1, 2, 3])",
        "sum(softmax(W) * W)",
        "sum(softmax(W, 0) * W)",
        "sum(log_softmax(W) * W)",
        "logsumexp(v) + sum(logsumexp(W, 0))",
        "max(W * v) + max(u)",
        "cross_entropy(softmax(T(W) @ u), y)",
        "softmax_cross_entropy(T(W) @ u + M @ u, y)",
        "softmax_cross_entropy(W * v, Y)",
        "cross_entropy(softmax(W * v), Y)",
        "sum(relu(M) @ W)",
        "sum(normal(2, 3, seed=1) * W)",
        "W[0, 1] * v[2] + sum(W[:, 2]) * u[-1] + W[1, :] @ v",
        "sum(softmax(W[-1, :]) * v) + sum(M[:, 0] * v)"})
    void reverseModeAgreesWithFiniteDifferencesAndSymbolic(String loss) {
        Model model = Model.parse("m.chain", PARAMS + "E = " + loss + "\n");
        Node e = model.scope().lookup("E");
        CheckReport report = model.check(e, "E", model.scope().params(), GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL);
        assertTrue(report.ok(), loss + ": " + report.entries());
        Map<String, Tensor> numeric = model.gradient(e, model.scope().params());
        for (Node p : model.scope().params()) {
            Tensor symbolic = model.value(model.derivative(e, p, null));
            for (int i = 0; i < symbolic.size(); i++) {
                assertEquals(numeric.get(p.leafName()).get(i), symbolic.get(i), 1e-12, loss + " d/d" + p.leafName());
            }
        }
    }
}
