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
                double value = trainer.loss();
                losses.add(step, value);
                if (!Double.isFinite(value)) {
                    throw diverged(graph, loss, label, step + 1, steps, value, trainer.nonFinite());
                }
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
            throw located(graph, wrt, e, step, steps);
        } finally {
            trainer.store();
        }
        return TrainReport.wholeData(label, steps, lr, kind, losses);
    }

    /**
     * A value that left the real numbers during training, told with the step it happened at and
     * the trained leaves it depends on, which the last step moved there.
     */
    private static ChainException located(Graph graph, List<Node> wrt, ChainException e, int done, int steps) {
        if (e.kind() != ChainException.Kind.RUNTIME || e.getMessage().startsWith("training ")) {
            return e;
        }
        String when = done < steps ? "training stopped at step " + (done + 1) + ": " : "training ended after step " + steps + ": ";
        if (e.node() < 0 || done == 0) {
            return e.prefixed(when);
        }
        java.util.BitSet under = graph.reachableFrom(graph.get(e.node()));
        List<String> moved = new java.util.ArrayList<>();
        for (Node leaf : wrt) {
            if (under.get(leaf.id())) {
                moved.add(leaf.leafName());
            }
        }
        String which = moved.isEmpty() ? "" : "; it depends on " + String.join(", ", moved) + ", which step " + done
                + " moved there (a smaller learning rate may help)";
        return e.prefixed(when).suffixed(which);
    }

    /**
     * The report when the loss is not finite although no node made it so from finite numbers (the
     * forward sweep would have named that node): some param or input already holds inf or NaN.
     * {@code step} counts from 1; {@code steps + 1} is the evaluation after the last step.
     */
    private static ChainException diverged(Graph graph, Node loss, String label, int step, int steps, double value,
                                           List<String> culprits) {
        String when = step <= steps ? "training stopped at step " + step : "training ended after step " + steps;
        String why = culprits.isEmpty() ? ""
                : "; " + String.join(", ", culprits) + (culprits.size() == 1 ? " holds" : " hold") + " inf or NaN"
                        + (step > 1 ? " after step " + (step - 1) + " (the steps diverged: a smaller learning rate may help)" : "");
        return ChainException.runtime(graph.span(loss), when + ": the loss " + label + " is " + Numbers.format(value) + why);
    }
}
