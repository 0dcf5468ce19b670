package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.chainrule.bench.ScalarChainBench;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hand-written anchors of the benchmarks compute what chainrule computes, so that the ratios
 * the README reports compare the same work.
 */
class BenchAnchorsTest {

    @Test
    void theHandWrittenChainIsTheBenchmarkDagsValueAndGradient() {
        for (int nodes : new int[] {10_000, 100_000}) {
            Graph graph = ScalarChainBench.build(nodes);
            Node root = graph.get(graph.size() - 1);
            Tape tape = Tape.compile(graph, root, List.of(graph.leaf("x"), graph.leaf("y")));
            double value = tape.forward(new Tensor[] {Tensor.scalar(0.3), Tensor.scalar(-0.2)});
            double[] gradient = tape.backward();
            double[] byHand = ScalarChainBench.HandChain.of(nodes).sweep();
            assertArrayEquals(new double[] {value, gradient[0], gradient[1]}, byHand, 0.0, nodes + " nodes");
        }
    }
}
