package dev.chainrule.train;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Progress;
import dev.chainrule.diag.Stopped;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.print.Numbers;
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
     * @throws Stopped when the thread is interrupted: the leaves keep the values of the last step done
     */
    public static TrainReport run(Graph graph, Tensor[] leafValues, Node loss, String label, List<Node> wrt,
                                  double lr, int steps, Optimizer.Kind kind, Progress progress,
                                  java.util.function.IntConsumer beforeStep) {
        Trainer trainer = new Trainer(graph, leafValues, loss, wrt, lr, kind);
        LossHistory losses = new LossHistory();
        int step = 0;
        try {
            // step == steps is the loss after the last step: evaluated and checked, not trained on
            for (; ; step++) {
                if (step < steps) {
                    beforeStep.accept(step);
                }
                double value = trainer.finiteLoss(label, step, steps);
                losses.add(step, value);
                if (step == steps) {
                    break;
                }
                int done = step;
                Stopped.check(() -> "training stopped at step " + done + " of " + steps + " (loss " + Numbers.format(value)
                        + "); the params keep the values of step " + done);
                progress.step(step + 1, steps, value);
                trainer.update();
            }
        } catch (ChainException e) {
            throw trainer.stopped(e, step, steps);
        } finally {
            trainer.store();
        }
        return TrainReport.wholeData(label, steps, lr, kind, losses);
    }
}
