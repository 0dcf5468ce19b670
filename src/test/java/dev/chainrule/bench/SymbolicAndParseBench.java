package dev.chainrule.bench;

import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
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
 * The symbolic gradient of sin(sin(...(x·y)...)) by depth (its size is asserted in
 * SymbolicSizeTest), and parsing plus building of generated models by their number of lines.
 *
 * <p>Run: {@code mvn -B -Pbench test-compile exec:exec -Dbench.args="SymbolicAndParseBench -f 1 -wi 2 -i 3"}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class SymbolicAndParseBench {

    /** A fresh function graph per invocation: the symbolic gradient adds to the graph it reads. */
    @State(Scope.Thread)
    public static class Sines {
        @Param({"10", "40", "1000", "100000"})
        int depth;

        Graph graph;
        Node f;
        Node x;

        @Setup(Level.Invocation)
        public void setUp() {
            graph = new Graph();
            x = graph.leaf("x", LeafKind.PARAM);
            Node y = graph.leaf("y", LeafKind.PARAM);
            f = graph.node(Op.MUL, x, y);
            for (int i = 0; i < depth; i++) {
                f = graph.node(Op.SIN, f);
            }
        }
    }

    /** A generated model: one definition a line, each using the two before it. */
    @State(Scope.Benchmark)
    public static class Lines {
        @Param({"10000", "100000", "1000000"})
        int lines;

        String text;

        @Setup(Level.Trial)
        public void setUp() {
            StringBuilder s = new StringBuilder("param x0 = 0.1, x1 = 0.2\n");
            for (int i = 2; i < lines; i++) {
                s.append('x').append(i).append(" = sin(x").append(i - 1).append(") * x").append(i - 2).append(" + 0.5\n");
            }
            text = s.toString();
        }
    }

    @Benchmark
    public Node symbolicGradient(Sines s) {
        return Gradients.symbolic(s.graph, s.f, s.x);
    }

    @Benchmark
    public Model parseAndBuild(Lines l) {
        return Model.parse("generated.chain", l.text);
    }
}
