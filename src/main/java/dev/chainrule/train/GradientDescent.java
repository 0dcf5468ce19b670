package dev.chainrule.train;

import dev.chainrule.autodiff.Sweeps;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Tensor;
import java.util.List;

/**
 * Gradient descent: each step takes every gradient of the loss at the old values, then moves
 * all leaves of {@code wrt} at once, by plain steps {@code x ← x - lr · ∂loss/∂x} or by an
 * {@link Optimizer}.
 */
public final class GradientDescent {
    private GradientDescent() {
    }

    /** Trains in place with the given optimizer, telling {@code progress} about every step. */
    public static TrainReport run(Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                  double lr, int steps, Optimizer.Kind kind, Progress progress) {
        return run(graph, leafValues, loss, label, wrt, lr, steps, kind, progress, step -> { });
    }

    /**
     * Trains in place: {@code leafValues} holds the new values afterwards. {@code beforeStep} runs
     * before each step (0, 1, ...) and may set inputs, such as the next mini-batch.
     *
     * @throws dev.chainrule.diag.ChainException if the loss leaves the domain of some operation
     */
    public static TrainReport run(Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                  double lr, int steps, Optimizer.Kind kind, Progress progress,
                                  java.util.function.IntConsumer beforeStep) {
        Sweeps sweeps = Sweeps.of(graph, leafValues, loss, wrt);
        double[] params = sweeps.params();
        double[] gradient = new double[params.length];
        Optimizer optimizer = kind.create(lr, params.length);
        double[] losses = new double[steps + 1];
        try {
            for (int step = 0; step < steps; step++) {
                beforeStep.accept(step);
                losses[step] = sweeps.forward();
                progress.step(step + 1, steps, losses[step]);
                sweeps.backward(gradient);
                optimizer.step(params, gradient);
                sweeps.setParams(params);
            }
            losses[steps] = sweeps.forward();
        } finally {
            sweeps.store(params);
        }
        return new TrainReport(label, steps, lr, losses);
    }
}
