package dev.chainrule.bench;

import dev.chainrule.autodiff.Tape;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
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
 * The gradient of f(p) = Σ sin(p_i)·p_(i+1) in n parameters three ways: reverse mode (one sweep
 * each way on the tape), central finite differences (two evaluations per parameter), and
 * commons-math3's forward mode (DerivativeStructure, which carries n derivatives through every
 * operation). Finite differences and forward mode grow with n², reverse mode with n. At
 * n = 100,000 only reverse mode and one finite-difference partial are run ({@code run-all.sh}):
 * forward mode would carry 100,001 derivatives on each of 300,000 values (240 GB).
 *
 * <p>Run: {@code mvn -B -Pbench test-compile exec:exec -Dbench.args="ThreeWaysBench -f 1 -wi 2 -i 3"}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class ThreeWaysBench {
    @Param({"10", "1000"})
    int n;

    Graph graph;
    Node f;
    List<Node> params;
    Tensor[] leaves;
    Tape tape;

    @Setup(Level.Trial)
    public void setUp() {
        graph = new Graph();
        params = new ArrayList<>();
        leaves = new Tensor[n];
        for (int i = 0; i < n; i++) {
            params.add(graph.leaf("p" + i, LeafKind.PARAM));
            leaves[i] = Tensor.scalar(0.1 + 0.8 * i / n);
        }
        Node sum = graph.constant(0);
        for (int i = 0; i < n; i++) {
            sum = graph.node(Op.ADD, sum, graph.node(Op.MUL, graph.node(Op.SIN, params.get(i)), params.get((i + 1) % n)));
        }
        f = sum;
        tape = Tape.compile(graph, f, params);
    }

    @Benchmark
    public double[] reverse() {
        tape.forward(leaves);
        return tape.backward();
    }

    @Benchmark
    public double[] finiteDifferences() {
        double[] gradient = new double[n];
        double h = 1e-6;
        for (int i = 0; i < n; i++) {
            Tensor x = leaves[i];
            leaves[i] = Tensor.scalar(x.item() + h);
            double up = tape.forward(leaves);
            leaves[i] = Tensor.scalar(x.item() - h);
            double down = tape.forward(leaves);
            leaves[i] = x;
            gradient[i] = (up - down) / (2 * h);
        }
        return gradient;
    }

    /**
     * One partial derivative by central differences (two forward sweeps): times n, the cost of the
     * whole gradient where running it is out of reach (n = 100,000 would take minutes per gradient).
     */
    @Benchmark
    public double finiteDifferencesOneParam() {
        double h = 1e-6;
        Tensor x = leaves[0];
        leaves[0] = Tensor.scalar(x.item() + h);
        double up = tape.forward(leaves);
        leaves[0] = Tensor.scalar(x.item() - h);
        double down = tape.forward(leaves);
        leaves[0] = x;
        return (up - down) / (2 * h);
    }

    @Benchmark
    public double[] forwardMode() {
        DerivativeStructure[] p = new DerivativeStructure[n];
        for (int i = 0; i < n; i++) {
            p[i] = new DerivativeStructure(n, 1, i, leaves[i].item());
        }
        DerivativeStructure sum = new DerivativeStructure(n, 1, 0);
        for (int i = 0; i < n; i++) {
            sum = sum.add(p[i].sin().multiply(p[(i + 1) % n]));
        }
        double[] gradient = new double[n];
        int[] orders = new int[n];
        for (int i = 0; i < n; i++) {
            orders[i] = 1;
            gradient[i] = sum.getPartialDerivative(orders);
            orders[i] = 0;
        }
        return gradient;
    }
}
