package dev.chainrule.bench;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A scalar DAG of N nodes mixing +, *, sin, exp and tanh, each node reading the two before it,
 * and every fifth one added into a running sum that is the root (without the sum the adjoints of
 * a chain this long underflow to 0 and a backward sweep would skip nearly all of it): the cost of
 * building it, of the forward sweep, and of the backward sweep, on the graph and on the tape.
 *
 * <p>Run: {@code mvn -B -Pbench test-compile exec:exec -Dbench.args="ScalarChainBench -f 1 -wi 2 -i 5"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class ScalarChainBench {
    @Param({"10000", "100000", "1000000"})
    int nodes;

    Graph graph;
    Node root;
    Node x;
    Node y;
    BitSet reach;
    dev.chainrule.autodiff.Tape tape;
    Tensor[] leaves = {Tensor.scalar(0.3), Tensor.scalar(-0.2)};
    Tensor[] values;

    @Setup(Level.Trial)
    public void setUp() {
        graph = build(nodes);
        root = graph.get(graph.size() - 1);
        x = graph.leaf("x");
        y = graph.leaf("y");
        reach = graph.reachableFrom(root);
        values = Forward.values(graph, leaves, reach, root);
        tape = dev.chainrule.autodiff.Tape.compile(graph, root, List.of(x, y));
        tape.forward(leaves);
    }

    public static Graph build(int size) {
        Graph g = new Graph();
        Node a = g.leaf("x", LeafKind.PARAM);
        Node b = g.leaf("y", LeafKind.PARAM);
        Node scale = g.constant(0.5);
        Node sum = g.constant(0);
        int i = 0;
        while (g.size() < size) {
            if (i % 5 == 4) {
                sum = g.node(Op.ADD, sum, b);
            }
            Node next = switch (i++ % 5) {
                case 0 -> g.node(Op.ADD, a, b);
                case 1 -> g.node(Op.MUL, scale, g.node(Op.MUL, a, b));
                case 2 -> g.node(Op.SIN, a);
                case 3 -> g.node(Op.TANH, g.node(Op.ADD, a, b));
                default -> g.node(Op.EXP, g.node(Op.MUL, scale, g.node(Op.SIN, b)));
            };
            a = b;
            b = next;
        }
        g.node(Op.ADD, sum, b);
        return g;
    }

    @Benchmark
    public Graph build() {
        return build(nodes);
    }

    @Benchmark
    public Tensor[] forward() {
        return Forward.values(graph, leaves, reach, root);
    }

    @Benchmark
    public Tensor[] backward() {
        return Gradients.numeric(graph, values, root, List.of(x, y));
    }

    @Benchmark
    public double tapeForward() {
        return tape.forward(leaves);
    }

    /** The backward sweep alone (the forward sweep's values are left on the tape by setUp). */
    @Benchmark
    public double[] tapeBackward() {
        return tape.backward();
    }

    /** What a user pays for a new expression: build the graph, lower it, sweep both ways. */
    @Benchmark
    public double[] buildTapeForwardBackward() {
        Graph g = build(nodes);
        Node r = g.get(g.size() - 1);
        dev.chainrule.autodiff.Tape t = dev.chainrule.autodiff.Tape.compile(g, r, List.of(g.leaf("x"), g.leaf("y")));
        t.forward(leaves);
        return t.backward();
    }

    @Benchmark
    public double[] tapeForwardBackward() {
        tape.forward(leaves);
        return tape.backward();
    }

    @Benchmark
    public dev.chainrule.autodiff.Tape tapeCompile() {
        return dev.chainrule.autodiff.Tape.compile(graph, root, List.of(x, y));
    }

    /**
     * The anchor: the same DAG's forward and backward sweeps written out by hand in plain Java
     * (the values of each step in an array, the adjoints swept back over it), so the tape's figure
     * per node can be set against what straight Java code takes on this dependent chain.
     */
    @Benchmark
    public double[] byHandForwardBackward(HandChain hand) {
        return hand.sweep();
    }

    /** Plain-Java arrays for {@link #byHandForwardBackward}, sized for the same steps as {@link #build}. */
    @State(Scope.Benchmark)
    public static class HandChain {
        double[] value;
        double[] adjoint;
        int steps;

        @Setup(Level.Trial)
        public void setUp(ScalarChainBench bench) {
            size(bench.nodes);
        }

        /** The anchor for a graph of {@code nodes} nodes, outside JMH (tests). */
        public static HandChain of(int nodes) {
            HandChain hand = new HandChain();
            hand.size(nodes);
            return hand;
        }

        private void size(int nodes) {
            steps = steps(nodes);
            value = new double[steps + 2];
            adjoint = new double[steps + 2];
        }

        /** The steps of {@link #build} for a graph of {@code size} nodes (4 to start, 1 to end). */
        static int steps(int size) {
            int[] made = {1, 2, 1, 2, 3};
            int count = 4;
            int i = 0;
            while (count < size) {
                count += made[i % 5] + (i % 5 == 4 ? 1 : 0);
                i++;
            }
            return i;
        }

        public double[] sweep() {
            double[] v = value;
            v[0] = 0.3;
            v[1] = -0.2;
            double sum = 0;
            for (int i = 0; i < steps; i++) {
                double a = v[i];
                double b = v[i + 1];
                v[i + 2] = switch (i % 5) {
                    case 0 -> a + b;
                    case 1 -> 0.5 * (a * b);
                    case 2 -> Math.sin(a);
                    case 3 -> dev.chainrule.graph.op.Op.TANH.value(a + b, 0);
                    default -> {
                        sum += b;
                        yield Math.exp(0.5 * Math.sin(b));
                    }
                };
            }
            double[] g = adjoint;
            java.util.Arrays.fill(g, 0);
            g[steps + 1] = 1;
            for (int i = steps - 1; i >= 0; i--) {
                double a = v[i];
                double b = v[i + 1];
                double d = g[i + 2];
                switch (i % 5) {
                    case 0 -> {
                        g[i] += d;
                        g[i + 1] += d;
                    }
                    case 1 -> {
                        g[i] += 0.5 * d * b;
                        g[i + 1] += 0.5 * d * a;
                    }
                    case 2 -> g[i] += d * Math.cos(a);
                    case 3 -> {
                        double t = v[i + 2];
                        g[i] += d * (1 - t * t);
                        g[i + 1] += d * (1 - t * t);
                    }
                    default -> g[i + 1] += d * v[i + 2] * 0.5 * Math.cos(b) + 1;
                }
            }
            return new double[] {sum + v[steps + 1], g[0], g[1]};
        }
    }

    @Benchmark
    public Tensor[] buildForwardBackward() {
        Graph g = build(nodes);
        Node r = g.get(g.size() - 1);
        Tensor[] v = Forward.values(g, leaves, r);
        return Gradients.numeric(g, v, r, List.of(g.leaf("x"), g.leaf("y")));
    }
}
