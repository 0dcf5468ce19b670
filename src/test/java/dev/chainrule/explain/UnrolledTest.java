package dev.chainrule.explain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A tensor model and its scalar view have the same values and gradients, element by element. */
class UnrolledTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "sum(W @ v)", "u @ W @ v", "sum(T(W) @ u * v)", "sum(W, 0) @ v", "mean(W, 1) @ u",
        "sum(softmax(W) * W)", "sum(softmax(W, 0) * W)", "sum(log_softmax(W) * W)",
        "logsumexp(v) + sum(logsumexp(W, 0))", "max(W * v) + max(u)", "softmax_cross_entropy(W * v, Y)",
        "cross_entropy(softmax(T(W) @ u), y)", "W[0, 1] * v[2] + sum(W[:, 2]) * u[-1] + W[1, :] @ v",
        "sum(grad(max(W), W) * W) + sum(grad(max(v * u[0]), v) * v)"})
    void sameValuesAndGradientsAsTheTensorModel(String loss) {
        UnrolledProperties.sameAsUnrolled(loss);
    }
}
