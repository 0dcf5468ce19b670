package dev.chainrule.bench;

import dev.chainrule.api.Model;
import dev.chainrule.export.Exporter;
import dev.chainrule.export.Target;
import dev.chainrule.graph.Node;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The value and gradient of the 2-2-2 network: the Java class {@code export --to java} writes
 * (compiled in-process at setup), against chainrule's own reverse mode on the model and its
 * compiled tape.
 *
 * <p>Run: {@code mvn -B -Pbench test-compile exec:exec -Dbench.args="ExportBench -f 1 -wi 3 -i 5"}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ExportBench {

    @State(Scope.Benchmark)
    public static class Network {
        Model model;
        Node loss;
        List<Node> params;
        MethodHandle generated;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            String text = new String(ExportBench.class.getResourceAsStream("/examples/backprop-2-2-2.chain").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            model = Model.parse("net.chain", text.substring(0, text.indexOf("# The forward pass.")));
            loss = model.scope().lookup("E");
            params = model.scope().params();
            Path dir = Files.createTempDirectory("export-bench");
            Files.writeString(dir.resolve("Net.java"), Exporter.export(model, loss, "E", params, Target.JAVA, "Net", "net.chain"));
            if (ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", dir.toString(), dir.resolve("Net.java").toString()) != 0) {
                throw new IllegalStateException("the exported class does not compile");
            }
            Class<?> net = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ExportBench.class.getClassLoader()).loadClass("Net");
            generated = MethodHandles.publicLookup().findStatic(net, "valueAndGradient", MethodType.methodType(net.getDeclaredClasses()[0]));
        }
    }

    /** The exported class: straight-line Java, its result and gradient map allocated per call. */
    @Benchmark
    public Object exportedJava(Network n) throws Throwable {
        return n.generated.invoke();
    }

    /** chainrule's reverse mode over the model's graph. */
    @Benchmark
    public Map<String, dev.chainrule.tensor.Tensor> chainruleGradient(Network n) {
        return n.model.gradient(n.loss, n.params);
    }
}
