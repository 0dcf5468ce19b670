package dev.chainrule.train;

import dev.chainrule.autodiff.Sweeps;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
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
 */
public final class Trainer {
    private final Sweeps sweeps;
    private final double[] params;
    private final double[] gradient;
    private final Optimizer optimizer;

    public Trainer(Graph graph, Tensor[] leafValues, Node loss, List<Node> wrt, double lr, Optimizer.Kind kind) {
        this.sweeps = Sweeps.of(graph, leafValues, loss, wrt);
        this.params = sweeps.params();
        this.gradient = new double[params.length];
        this.optimizer = kind.create(lr, params.length);
    }

    /** The loss at the current params: the forward sweep a following {@link #update} differentiates. */
    public double loss() {
        return sweeps.forward();
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

    /** The names of the trained leaves that hold inf or NaN now. */
    List<String> nonFinite() {
        return sweeps.nonFinite(params);
    }
}
