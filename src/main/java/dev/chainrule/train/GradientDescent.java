package dev.chainrule.train;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.Tape;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Tensor;
import java.util.BitSet;
import java.util.List;

/**
 * Gradient descent: each step takes every gradient of the loss at the old values, then moves
 * all leaves of {@code wrt} at once, by plain steps {@code x ← x - lr · ∂loss/∂x} or by an
 * {@link Optimizer}.
 */
public final class GradientDescent {
    private GradientDescent() {
    }

    /**
     * Trains in place: {@code leafValues} holds the new values afterwards.
     *
     * @throws dev.chainrule.diag.ChainException if the loss leaves the domain of some operation
     */
    public static TrainReport run(Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                  double lr, int steps) {
        return run(graph, leafValues, loss, label, wrt, lr, steps, Optimizer.Kind.SGD);
    }

    /** Trains in place with the given optimizer. */
    public static TrainReport run(Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                  double lr, int steps, Optimizer.Kind kind) {
        return run(graph, leafValues, loss, label, wrt, lr, steps, kind, Progress.NONE);
    }

    /** Trains in place with the given optimizer, telling {@code progress} about every step. */
    public static TrainReport run(Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                  double lr, int steps, Optimizer.Kind kind, Progress progress) {
        return run(graph, leafValues, loss, label, wrt, lr, steps, kind, progress, step -> { });
    }

    /**
     * Trains in place; {@code beforeStep} runs before each step (0, 1, ...) and may set inputs,
     * such as the next mini-batch.
     */
    public static TrainReport run(Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                  double lr, int steps, Optimizer.Kind kind, Progress progress,
                                  java.util.function.IntConsumer beforeStep) {
        Optimizer optimizer = kind.create(lr, wrt.size());
        Tape tape = Tape.compile(graph, loss, wrt);
        if (tape != null) {
            return onTape(tape, graph, leafValues, loss, label, wrt, lr, steps, optimizer, progress, beforeStep);
        }
        BitSet reach = graph.reachableFrom(loss);
        BitSet involved = Gradients.involved(graph, loss, wrt);
        double[] losses = new double[steps + 1];
        for (int step = 0; step < steps; step++) {
            beforeStep.accept(step);
            Tensor[] values = Forward.values(graph, leafValues, reach);
            losses[step] = values[loss.id()].item();
            progress.step(step + 1, steps, losses[step]);
            Tensor[] gradient = Gradients.numeric(graph, values, loss, wrt, involved);
            optimizer.nextStep();
            for (int i = 0; i < gradient.length; i++) {
                int leaf = wrt.get(i).leafIndex();
                leafValues[leaf] = optimizer.step(i, leafValues[leaf], gradient[i]);
            }
        }
        losses[steps] = Forward.values(graph, leafValues, reach)[loss.id()].item();
        return new TrainReport(label, steps, lr, losses);
    }

    /**
     * The same loop on a {@link Tape}, for models of scalars: no objects per step but the updated
     * leaf values. A loss that stops being finite is evaluated once more on the graph, whose
     * forward sweep names the node and the reason.
     */
    private static TrainReport onTape(Tape tape, Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                      double lr, int steps, Optimizer optimizer, Progress progress,
                                      java.util.function.IntConsumer beforeStep) {
        double[] losses = new double[steps + 1];
        for (int step = 0; step < steps; step++) {
            beforeStep.accept(step);
            losses[step] = finite(tape.forward(leafValues), graph, leafValues, loss);
            progress.step(step + 1, steps, losses[step]);
            double[] gradient = tape.backward();
            optimizer.nextStep();
            for (int i = 0; i < gradient.length; i++) {
                int leaf = wrt.get(i).leafIndex();
                leafValues[leaf] = optimizer.step(i, leafValues[leaf], Tensor.scalar(gradient[i]));
            }
        }
        losses[steps] = finite(tape.forward(leafValues), graph, leafValues, loss);
        return new TrainReport(label, steps, lr, losses);
    }

    private static double finite(double value, Graph graph, Tensor[] leafValues, Node loss) {
        if (!Double.isFinite(value)) {
            return Forward.values(graph, leafValues, graph.reachableFrom(loss))[loss.id()].item();
        }
        return value;
    }
}
