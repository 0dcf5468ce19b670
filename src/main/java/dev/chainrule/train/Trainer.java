package dev.chainrule.train;

import dev.chainrule.autodiff.Sweeps;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.print.Numbers;
import dev.chainrule.tensor.Tensor;
import java.util.List;

/**
 * Gradient descent that goes on from where it stopped: the params live in its own flat array,
 * with the optimizer's state (momentum, Adam's moments), between calls, and go back to the
 * model's leaves when {@link #store} is called. {@link GradientDescent#run} trains through one
 * for a fixed number of steps; the explorer steps one as the user plays and pauses.
 *
 * <p>A step is {@link #loss} then {@link #update}: the loss at the current params (the forward
 * sweep), then every gradient at those params (the backward sweep) and one move of all of them.
 * When a step fails, {@link #finiteLoss} and {@link #stopped} tell it, the same words wherever the
 * training runs.
 */
public final class Trainer {
    /** The step count of a run with no end fixed in advance (a page plays until paused). */
    public static final int OPEN = Integer.MAX_VALUE;

    private final Graph graph;
    private final Node lossNode;
    private final List<Node> wrt;
    private final Sweeps sweeps;
    private final double[] params;
    private final double[] gradient;
    private final Optimizer optimizer;

    public Trainer(Graph graph, Tensor[] leafValues, Node loss, List<Node> wrt, double lr, Optimizer.Kind kind) {
        this.graph = graph;
        this.lossNode = loss;
        this.wrt = List.copyOf(wrt);
        this.sweeps = Sweeps.of(graph, leafValues, loss, wrt);
        this.params = sweeps.params();
        this.gradient = new double[params.length];
        this.optimizer = kind.create(lr, params.length);
    }

    /** The loss at the current params: the forward sweep a following {@link #update} differentiates. */
    public double loss() {
        return sweeps.forward();
    }

    /**
     * {@link #loss}, after {@code done} steps of {@code steps} (see {@link #stopped}), refused
     * with {@link #diverged} when it is not finite.
     *
     * @param label the loss as the user calls it, for the message
     */
    public double finiteLoss(String label, int done, int steps) {
        double value = loss();
        if (!Double.isFinite(value)) {
            throw diverged(label, done, steps, value);
        }
        return value;
    }

    /** Takes the gradient at the params {@link #loss} last swept, and moves the params once. */
    public void update() {
        sweeps.backward(gradient);
        optimizer.step(params, gradient);
        sweeps.setParams(params);
    }

    /** Writes the current params back to the leaf values the trainer was made over. */
    public void store() {
        sweeps.store(params);
    }

    /**
     * A value that left the real numbers during a step, told with the step it happened at and
     * the trained leaves it depends on, which the last step moved there. {@code done} steps were
     * taken before it, of {@code steps} ({@link #OPEN} for a run without a fixed end; {@code done
     * == steps} is the evaluation after the last step). A message already telling a training
     * stop is returned as it is.
     */
    public ChainException stopped(ChainException e, int done, int steps) {
        if (e.kind() != ChainException.Kind.RUNTIME || e.getMessage().startsWith("training ")) {
            return e;
        }
        String when = when(done, steps) + ": ";
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
     * The report when the loss {@code label} is {@code value}, not finite, although no node made
     * it so from finite numbers (the forward sweep would have named that node): some param or
     * input already holds inf or NaN. {@code done} and {@code steps} are as for {@link #stopped}.
     */
    private ChainException diverged(String label, int done, int steps, double value) {
        List<String> culprits = sweeps.nonFinite(params);
        String why = culprits.isEmpty() ? ""
                : "; " + String.join(", ", culprits) + (culprits.size() == 1 ? " holds" : " hold") + " inf or NaN"
                        + (done > 0 ? " after step " + done + " (the steps diverged: a smaller learning rate may help)" : "");
        return ChainException.runtime(graph.span(lossNode), when(done, steps) + ": the loss " + label + " is "
                + Numbers.format(value) + why);
    }

    /** When a run stopped: during the step after {@code done}, or after its last step. */
    private static String when(int done, int steps) {
        return done < steps ? "training stopped at step " + (done + 1) : "training ended after step " + steps;
    }
}
