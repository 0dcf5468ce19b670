package dev.chainrule.train;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Tensor;
import java.util.BitSet;
import java.util.List;

/**
 * Plain gradient descent: {@code x ← x - lr · ∂loss/∂x} for every leaf of {@code wrt}, all
 * gradients taken at the old values (a simultaneous update).
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
        BitSet reach = graph.reachableFrom(loss);
        BitSet involved = Gradients.involved(graph, loss, wrt);
        double[] losses = new double[steps + 1];
        for (int step = 0; step < steps; step++) {
            Tensor[] values = Forward.values(graph, leafValues, reach);
            losses[step] = values[loss.id()].item();
            Tensor[] gradient = Gradients.numeric(graph, values, loss, wrt, involved);
            for (int i = 0; i < gradient.length; i++) {
                int leaf = wrt.get(i).leafIndex();
                leafValues[leaf] = Tensor.zip(leafValues[leaf], gradient[i], (w, g) -> w - lr * g);
            }
        }
        losses[steps] = Forward.values(graph, leafValues, reach)[loss.id()].item();
        return new TrainReport(label, steps, lr, losses);
    }
}
