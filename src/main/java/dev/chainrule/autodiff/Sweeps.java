package dev.chainrule.autodiff;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Tensor;
import java.util.BitSet;
import java.util.List;

/**
 * The value of a scalar root and its gradient at the current leaf values, swept as often as
 * needed: on a {@link Tape} when everything under the root is a scalar, on the graph otherwise.
 * A value that is not finite is evaluated once more on the graph, whose forward sweep names the
 * node and the reason.
 */
public interface Sweeps {
    /** The root's value at the current leaf values. */
    double forward();

    /** The gradient with respect to each leaf, after {@link #forward}. */
    Tensor[] backward();

    /**
     * Sweeps of {@code root} with respect to {@code wrt} over the live {@code leafValues}.
     */
    static Sweeps of(Graph graph, Tensor[] leafValues, Node root, List<Node> wrt) {
        BitSet reach = graph.reachableFrom(root);
        Tape tape = Tape.compile(graph, root, wrt);
        if (tape != null) {
            return new Sweeps() {
                @Override
                public double forward() {
                    double value = tape.forward(leafValues);
                    // a loss that is not finite goes through the graph, whose forward sweep names the node
                    return Double.isFinite(value) ? value : Forward.values(graph, leafValues, reach)[root.id()].item();
                }

                @Override
                public Tensor[] backward() {
                    double[] g = tape.backward();
                    Tensor[] gradient = new Tensor[g.length];
                    for (int i = 0; i < g.length; i++) {
                        gradient[i] = Tensor.scalar(g[i]);
                    }
                    return gradient;
                }
            };
        }
        BitSet involved = Gradients.involved(graph, root, wrt);
        return new Sweeps() {
            private Tensor[] values;

            @Override
            public double forward() {
                values = Forward.values(graph, leafValues, reach);
                return values[root.id()].item();
            }

            @Override
            public Tensor[] backward() {
                return Gradients.numeric(graph, values, root, wrt, involved);
            }
        };
    }
}
