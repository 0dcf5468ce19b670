package dev.chainrule.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.testing.Golden;
import dev.chainrule.testing.RandomExpressions;
import dev.chainrule.testing.TensorExpressions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated code is run, not read: the Java class compiled in-process with javax.tools, the C
 * header with {@code gcc -std=c99 -Wall -Werror}, the NumPy and PyTorch modules with Debian's
 * python3; each gives chainrule's value and gradient to 1e-12 relative (PyTorch's autograd through
 * the exported module, its autograd.Function with chainrule's backward, and chainrule itself to
 * 1e-10) on every embedded example a target writes and on random programs. The runtimes that are
 * not on a machine are skipped here; {@code .ci/run} installs them.
 */
class ExportTest {
    @TempDir
    Path dir;

    /** A model to export: its source, output and the value and gradient chainrule gives. */
    private record Case(String name, Model model, Node of, String label, List<Node> wrt, double value, Map<String, Tensor> gradient) {
    }

    private static Case of(String name, Model model, String label) {
        Node of = model.scope().lookup(label);
        List<Node> wrt = model.scope().params();
        Map<String, Tensor> gradient = model.gradient(of, wrt);
        double value = model.value(of).item();
        // compared where the model is defined: an element of log(-0.4) nobody reads still makes a NaN adjoint
        boolean finite = Double.isFinite(value);
        for (Tensor g : gradient.values()) {
            for (int i = 0; i < g.size(); i++) {
                finite &= Double.isFinite(g.get(i));
            }
        }
        if (!finite) {
            throw new IllegalArgumentException("not defined here");
        }
        return new Case(name, model, of, label, wrt, value, gradient);
    }

    /** The programs of each kind, made once for every target that runs them. */
    private static final Map<String, List<Case>> CASES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The examples (definitions only) whose output is E, L or loss, and random programs at random points. */
    private static List<Case> cases(boolean tensors, int random) {
        return CASES.computeIfAbsent(tensors + "/" + random, k -> makeCases(tensors, random));
    }

    private static List<Case> makeCases(boolean tensors, int random) {
        List<Case> cases = new ArrayList<>();
        for (String name : Golden.exampleNames()) {
            String text = Golden.example(name);
            StringBuilder definitions = new StringBuilder();
            text.lines().filter(l -> !l.matches("\\s*(print|grad|explain|check|derive|plot|train|save|load|graph)\\b.*"))
                    .forEach(l -> definitions.append(l).append('\n'));
            Model model = Model.parse(new Source(name + ".chain", definitions.toString()));
            String label = List.of("E", "L", "loss").stream().filter(l -> model.scope().find(l) != null).findFirst().orElse(null);
            boolean scalarLeaves = model.scope().params().stream().allMatch(p -> p.shape().isScalar());
            if (label != null && (tensors || scalarLeaves) && model.scope().find(label).shape().isScalar()) {
                cases.add(of(name, model, label));
            }
        }
        SplittableRandom rng = new SplittableRandom(20261201);
        cases.addAll(fuzzPrograms(tensors, random / 3, rng));
        while (cases.size() < random + 8) {
            List<Integer> choices = new ArrayList<>();
            for (int k = 0; k < 30; k++) {
                choices.add(rng.nextInt(1000));
            }
            try {
                if (tensors && rng.nextBoolean()) {
                    String expression = new TensorExpressions(choices).scalar(0);
                    if (expression.contains("grad(")) {
                        continue;
                    }
                    Model model = Model.parse("m.chain", MatrixBackpropTestModels.PARAMS + "E = " + expression + "\n");
                    // away from kinks: at a tie torch's max and min split the gradient between their operands, chainrule
                    // gives it to the first (both are subgradients), and clip(W, -0.5, 0.5) ties at W = 0.5
                    model.set("W=[[0.31, -0.69, 0.23], [0.47, 0.13, -0.41]]");
                    model.set("v=[0.87, -0.33, 0.41]");
                    model.set("u=[0.21, -0.57]");
                    cases.add(of("tensor " + expression, model, "E"));
                } else {
                    List<Double> at = List.of(rng.nextDouble(-2, 2), rng.nextDouble(-2, 2), rng.nextDouble(-2, 2));
                    Model model = RandomExpressions.parse(choices, at, "E = f\n");
                    cases.add(of("random " + RandomExpressions.expression(choices) + " at " + at, model, "E"));
                }
            } catch (ChainException | IllegalArgumentException undefined) {
                // not defined at this point: no value to compare
            }
        }
        return cases;
    }

    /**
     * Relative to the larger of the two, and to 1 below 1: a value that cancels to 0 (log of a
     * softmax's sum) is 0 in one summation order and -4e-17 in numpy's pairwise one.
     */
    /**
     * Programs of the fuzz generator (functions, loops over families, slices, the whole language)
     * that build: exported for the last scalar they define that depends on a param.
     */
    private static List<Case> fuzzPrograms(boolean tensors, int wanted, SplittableRandom rng) {
        List<Case> cases = new ArrayList<>();
        for (int tries = 0; tries < 400 * wanted && cases.size() < wanted; tries++) {
            List<Integer> choices = new ArrayList<>();
            for (int k = 0; k < 60; k++) {
                choices.add(rng.nextInt(1000));
            }
            String program = dev.chainrule.fuzz.Programs.wellFormed(choices);
            try {
                Model model = Model.parse("fuzz.chain", program);
                List<Node> params = model.scope().params();
                if (params.isEmpty() || !tensors && !params.stream().allMatch(p -> p.shape().isScalar())) {
                    continue;
                }
                Node of = null;
                String label = null;
                for (String name : model.scope().allNames()) {
                    Node n = model.scope().find(name);
                    if (n != null && !n.isLeaf() && n.shape().isScalar() && !independent(model, n, params)) {
                        of = n;
                        label = name;
                    }
                }
                if (of == null || !label.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    continue;
                }
                boolean scalarLeaves = true;
                for (int id : dev.chainrule.graph.Graph.below(of, n -> true, n -> true)) {
                    scalarLeaves &= !model.graph().get(id).isLeaf() || model.graph().get(id).shape().isScalar();
                }
                if (!tensors && !scalarLeaves) {
                    continue;
                }
                cases.add(of("fuzz program " + choices.hashCode() + ":\n" + program, model, label));
            } catch (ChainException | IllegalArgumentException undefined) {
                // a program that does not build, or has no value here: not one to export
            }
        }
        return cases;
    }

    /** True when {@code of} depends on none of {@code params}. */
    private static boolean independent(Model model, Node of, List<Node> params) {
        return dev.chainrule.autodiff.Gradients.involved(model.graph(), of, params).cardinality() == 0;
    }

    private static void assertClose(double expected, double actual, double tolerance, String what) {
        double scale = Math.max(1, Math.max(Math.abs(expected), Math.abs(actual)));
        assertTrue(Math.abs(expected - actual) <= tolerance * scale
                        || Double.isNaN(expected) && Double.isNaN(actual) || expected == actual,
                what + ": chainrule " + expected + ", generated code " + actual);
    }

    private static void assertSame(Case c, double value, Map<String, double[]> gradient, double tolerance, String target) {
        assertClose(c.value(), value, tolerance, target + " value of " + c.name());
        c.gradient().forEach((leaf, g) -> {
            double[] got = gradient.get(leaf);
            assertTrue(got != null, target + ": no gradient of " + leaf + " for " + c.name());
            assertEquals(g.size(), got.length, target + ": gradient of " + leaf + " for " + c.name());
            for (int i = 0; i < got.length; i++) {
                assertClose(g.get(i), got[i], tolerance, target + " d/d" + leaf + "[" + i + "] of " + c.name());
            }
        });
    }

    /** What a target refuses, refused by name: the case is skipped, and the message says why. */
    private static String export(Case c, Target target, String name, List<String> refused) {
        try {
            return Exporter.export(c.model(), c.of(), c.label(), c.wrt(), target, name, c.name());
        } catch (IllegalArgumentException unsupported) {
            assertTrue(unsupported.getMessage().startsWith("--to " + target.word() + " does not write ")
                    || unsupported.getMessage().startsWith("--to " + target.word() + " writes models of scalars, and "), unsupported.getMessage());
            refused.add(unsupported.getMessage());
            return null;
        }
    }

    @Test
    void javaCompiledInProcessAgrees() throws Exception {
        List<Case> cases = cases(false, 150);
        Map<String, Case> byClass = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            String name = "Exported" + i;
            String code = export(cases.get(i), Target.JAVA, name, refused);
            if (code != null) {
                Path file = dir.resolve(name + ".java");
                Files.writeString(file, code);
                files.add(file.toString());
                byClass.put(name, cases.get(i));
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("-d", dir.toString(), "-Xlint:all", "-Werror", "-proc:none"));
        arguments.addAll(files);
        int status = javac.run(null, null, errors, arguments.toArray(new String[0]));
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()})) {
            for (Map.Entry<String, Case> e : byClass.entrySet()) {
                Class<?> type = loader.loadClass(e.getKey());
                Object result = type.getMethod("valueAndGradient").invoke(null);
                double value = (double) result.getClass().getMethod("value").invoke(result);
                Method gradientOf = result.getClass().getMethod("gradient");
                Map<String, double[]> gradient = new LinkedHashMap<>();
                ((Map<?, ?>) gradientOf.invoke(result)).forEach((k, v) -> gradient.put((String) k, new double[] {(Double) v}));
                assertSame(e.getValue(), value, gradient, 1e-12, "java");
            }
        }
        report("java", byClass.values(), refused);
        assertTrue(byClass.size() >= 150, byClass.size() + " programs compiled and run; refused: " + refused);
    }

    @Test
    void cCompiledWithGccAgrees() throws Exception {
        assumeTrue(runs("gcc", "--version"), "gcc is not on this machine");
        List<Case> cases = cases(false, 150);
        StringBuilder main = new StringBuilder("#include <stdio.h>\n");
        StringBuilder calls = new StringBuilder();
        Map<Integer, Case> numbered = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String name = "exported" + i;
            String code = export(c, Target.C, name, refused);
            if (code == null) {
                continue;
            }
            Files.writeString(dir.resolve(name + ".h"), code);
            main.append("#include \"").append(name).append(".h\"\n");
            int n = c.wrt().size();
            calls.append("    {\n        double g[").append(Math.max(1, n)).append("];\n        double v = ").append(name).append("_value_and_grad(")
                    .append(name.toUpperCase(java.util.Locale.ROOT)).append("_DEFAULTS");
            for (int k = 0; k < n; k++) {
                calls.append(", &g[").append(k).append("]");
            }
            calls.append(");\n        printf(\"").append(i).append(" %.17g\", v);\n");
            calls.append("        for (int k = 0; k < ").append(n).append("; k++) printf(\" %.17g\", g[k]);\n        printf(\"\\n\");\n    }\n");
            numbered.put(i, c);
        }
        main.append("int main(void) {\n").append(calls).append("    return 0;\n}\n");
        Files.writeString(dir.resolve("main.c"), main);
        String compiled = run(dir, "gcc", "-std=c99", "-Wall", "-Werror", "-o", "main", "main.c", "-lm");
        assertEquals("", compiled);
        for (String line : run(dir, dir.resolve("main").toString()).split("\n")) {
            String[] parts = line.trim().split(" ");
            Case c = numbered.get(Integer.parseInt(parts[0]));
            Map<String, double[]> gradient = new LinkedHashMap<>();
            for (int k = 0; k < c.wrt().size(); k++) {
                gradient.put(c.wrt().get(k).leafName(), new double[] {Double.parseDouble(parts[2 + k])});
            }
            assertSame(c, Double.parseDouble(parts[1]), gradient, 1e-12, "c");
        }
        report("c", numbered.values(), refused);
        assertTrue(numbered.size() >= 150, numbered.size() + " programs compiled and run; refused: " + refused);
    }

    @Test
    void numpyAgrees() throws Exception {
        assumeTrue(runs(PYTHON, "-c", "import numpy"), "Debian's python3-numpy is not on this machine");
        pythonAgrees(Target.NUMPY, "value, grads = module.value_and_grad()\n"
                + "    print(json.dumps({'case': case, 'value': float(value), 'grads': {k: np.asarray(v, dtype=float).ravel().tolist() for k, v in grads.items()}}))\n");
    }

    @Test
    void pytorchAutogradOurBackwardAndChainruleAgree() throws Exception {
        assumeTrue(runs(PYTHON, "-c", "import torch"), "Debian's python3-torch is not on this machine");
        // torch's autograd through the exported nn.Module, and chainrule's backward through the autograd.Function
        pythonAgrees(Target.PYTORCH, """
                model = module.Model()
                    loss = model()
                    if loss.requires_grad:
                        loss.backward()
                    autograd = {k: (torch.zeros_like(p) if p.grad is None else p.grad).detach().ravel().tolist() for k, p in model.named_parameters()}
                    names = [n for n in module.value_and_grad.__code__.co_varnames[:module.value_and_grad.__code__.co_argcount]]
                    defaults = module.value_and_grad.__defaults__
                    args = [module._t(d).clone().requires_grad_(True) for d in defaults]
                    out = module.ValueAndGrad.apply(*args)
                    if out.requires_grad:
                        out.backward()
                    ours = {n: a.grad.detach().ravel().tolist() for n, a in zip(names, args) if a.grad is not None}
                    value, grads = module.value_and_grad()
                    print(json.dumps({'case': case, 'value': float(loss), 'grads': autograd, 'ours': ours, 'ours_value': float(out),
                                      'direct': {k: module._t(v).ravel().tolist() for k, v in grads.items()}}))
                """.replace("\n    ", "\n    ").stripTrailing() + "\n");
    }

    @Test
    void whatATargetCannotWriteIsADiagnostic() {
        String circles = Golden.example("classifier-circles");
        String model = dev.chainrule.testing.Cli.file(dir, "circles.chain", circles.substring(0, circles.indexOf("print")));
        dev.chainrule.testing.Cli.Run r = dev.chainrule.testing.Cli.run("export", model, "--of", "E", "--to", "java");
        assertEquals(2, r.status());
        assertEquals("command line:1:" + (model.length() + 31) + ": --to java writes models of scalars, and X is a (200×2) value:"
                + " use --to numpy or --to pytorch for tensors", r.err().lines().findFirst().orElseThrow());
        dev.chainrule.testing.Cli.Run outside = dev.chainrule.testing.Cli.run("export", model, "--of", "E", "--to", "numpy", "-o", "../x.py");
        assertEquals(2, outside.status());
        assertTrue(outside.err().lines().findFirst().orElseThrow().endsWith(": export writes files in " + dir
                + " and below; ../x.py is outside it (choose the folder with --out DIR)"), outside.err());
        dev.chainrule.testing.Cli.Run written = dev.chainrule.testing.Cli.run("export", model, "--of", "E", "--to", "numpy", "-o", "net.py");
        assertEquals("wrote " + dir.resolve("net.py") + "\n", written.out());
        // a file of the user's own is not replaced without --force; one written by export is
        dev.chainrule.testing.Cli.file(dir, "mine.py", "print('mine')\n");
        assertEquals(2, dev.chainrule.testing.Cli.run("export", model, "--of", "E", "--to", "numpy", "-o", "mine.py").status());
        assertEquals(0, dev.chainrule.testing.Cli.run("export", model, "--of", "E", "--to", "numpy", "-o", "net.py").status());
    }

    /**
     * Past one machine: the exported circles classifier trained with PyTorch's
     * DistributedDataParallel, two processes over gloo on 127.0.0.1 each holding half of the rows
     * (src/test/python/ddp_train.py), reaches the params chainrule's full-batch training reaches
     * after the same steps; and chainrule reads the params file the run writes.
     */
    @Test
    void distributedDataParallelIsTheSameTraining() throws Exception {
        assumeTrue(runs(PYTHON, "-c", "import torch.distributed"), "Debian's python3-torch is not on this machine");
        String circles = Golden.example("classifier-circles");
        String model = dev.chainrule.testing.Cli.file(dir, "circles.chain", circles.substring(0, circles.indexOf("print")));
        assertEquals(0, dev.chainrule.testing.Cli.run("export", model, "--of", "E", "--to", "pytorch", "-o", "circles_model.py").status());
        dev.chainrule.testing.Cli.Run trained = dev.chainrule.testing.Cli.run("train", model, "--of", "E", "--lr", "1", "--steps", "20",
                "--save", "chainrule.json");
        assertEquals(0, trained.status(), trained.err());
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        run(dir, PYTHON, Path.of("src/test/python/ddp_train.py").toAbsolutePath().toString(), dir.toString(), "circles_model",
                "--data", "X,y", "--steps", "20", "--lr", "1", "--world", "2", "--port", String.valueOf(port), "--out", "ddp.json");
        Gson gson = new Gson();
        JsonObject single = gson.fromJson(Files.readString(dir.resolve("chainrule.json")), JsonObject.class);
        JsonObject distributed = gson.fromJson(Files.readString(dir.resolve("ddp.json")), JsonObject.class);
        assertEquals(single.keySet(), distributed.keySet());
        for (String name : single.keySet()) {
            double[] a = flatten(single.get(name));
            double[] b = flatten(distributed.get(name));
            assertEquals(a.length, b.length, name);
            for (int k = 0; k < a.length; k++) {
                assertClose(a[k], b[k], 1e-9, "DDP vs chainrule, " + name + "[" + k + "] after 20 steps");
            }
        }
        // and back: chainrule loads what the distributed run wrote
        dev.chainrule.testing.Cli.Run back = dev.chainrule.testing.Cli.run("eval", model, "--params", dir.resolve("ddp.json").toString());
        assertEquals(0, back.status(), back.err());
    }

    /** How many programs of each kind a target ran, for the log of a CI run. */
    private static void report(String target, java.util.Collection<Case> ran, List<String> refused) {
        long fuzz = ran.stream().filter(c -> c.name().startsWith("fuzz program")).count();
        long random = ran.stream().filter(c -> c.name().startsWith("random") || c.name().startsWith("tensor")).count();
        System.out.println("export --to " + target + ": " + ran.size() + " programs agree (" + (ran.size() - fuzz - random) + " examples, "
                + fuzz + " from the fuzz generator, " + random + " random expressions); " + refused.size() + " refused by name");
    }

    private static double[] flatten(JsonElement e) {
        List<Double> out = new ArrayList<>();
        java.util.ArrayDeque<JsonElement> work = new java.util.ArrayDeque<>();
        work.push(e);
        while (!work.isEmpty()) {
            JsonElement x = work.pop();
            if (x.isJsonArray()) {
                JsonArray a = x.getAsJsonArray();
                for (int i = a.size() - 1; i >= 0; i--) {
                    work.push(a.get(i));
                }
            } else {
                out.add(x.getAsDouble());
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static final String PYTHON = "/usr/bin/python3";

    private void pythonAgrees(Target target, String report) throws Exception {
        List<Case> cases = cases(true, 120);
        Map<Integer, Case> numbered = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        StringBuilder driver = new StringBuilder("import importlib, json, sys\nimport numpy as np\n" + (target == Target.PYTORCH ? "import torch\n" : "") + "sys.path.insert(0, '")
                .append(dir).append("')\nfor case in ").append("CASES").append(":\n    module = importlib.import_module('exported%d' % case)\n    ")
                .append(report);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String code = export(c, target, "exported" + i, refused);
            if (code != null) {
                Files.writeString(dir.resolve("exported" + i + ".py"), code);
                numbered.put(i, c);
                ids.add(i);
            }
        }
        Files.writeString(dir.resolve("driver.py"), driver.toString().replace("CASES", ids.toString()));
        Gson gson = new Gson();
        for (String line : run(dir, PYTHON, "driver.py").split("\n")) {
            JsonObject result = gson.fromJson(line, JsonObject.class);
            Case c = numbered.get(result.get("case").getAsInt());
            double tolerance = target == Target.PYTORCH ? 1e-10 : 1e-12;
            assertSame(c, result.get("value").getAsDouble(), doubles(result.getAsJsonObject("grads")), tolerance, target.word());
            if (target == Target.PYTORCH) {
                assertSame(c, result.get("ours_value").getAsDouble(), doubles(result.getAsJsonObject("ours")), tolerance, "torch.autograd.Function");
                assertSame(c, result.get("ours_value").getAsDouble(), doubles(result.getAsJsonObject("direct")), tolerance, "value_and_grad");
            }
        }
        report(target.word(), numbered.values(), refused);
        assertTrue(numbered.size() >= 100, numbered.size() + " programs run; refused: " + refused);
    }

    private static Map<String, double[]> doubles(JsonObject grads) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : grads.entrySet()) {
            JsonArray a = e.getValue().getAsJsonArray();
            double[] d = new double[a.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = a.get(i).isJsonNull() ? Double.NaN : a.get(i).getAsDouble();
            }
            out.put(e.getKey(), d);
        }
        return out;
    }

    private static boolean runs(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a command in {@code dir}; its standard output, or a failure with what it printed. */
    private static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        String errors = new String(err.join(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + errors + out);
        return out;
    }
}
