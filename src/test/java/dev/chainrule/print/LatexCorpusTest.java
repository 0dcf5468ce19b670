package dev.chainrule.print;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Node;
import dev.chainrule.testing.Cli;
import dev.chainrule.testing.Golden;
import dev.chainrule.testing.RandomExpressions;
import dev.chainrule.testing.TensorExpressions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of LaTeX chainrule writes, gathered for KaTeX: the results of every example in
 * {@code --format latex} and {@code --format markdown}, the derivatives of random scalar and
 * tensor programs (long ones in their {@code where} form), and the command line's own output.
 * The corpus goes to {@code target/latex/corpus.jsonl}; {@code src/test/katex/check-latex.cjs}
 * (run by {@code .ci/run}) renders each entry with KaTeX, {@code throwOnError: true}, with the
 * README's and the notebooks' mathematics. Here, without KaTeX, each entry is checked to be
 * mathematics only: no line of prose outside a comment.
 */
class LatexCorpusTest {
    /** Where the corpus is written, for the KaTeX check. */
    static final Path CORPUS = Path.of(System.getProperty("chainrule.latexCorpus", "target/latex/corpus.jsonl"));

    @TempDir
    Path dir;

    private final List<Map<String, String>> corpus = new ArrayList<>();

    private void add(String source, String kind, String tex) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("source", source);
        entry.put("kind", kind);
        entry.put("tex", tex);
        corpus.add(entry);
        if (kind.equals("latex")) {
            for (String line : tex.split("\n")) {
                if (!line.startsWith("%")) {
                    assertFalse(line.contains("a graph of") || line.startsWith(" ") || line.startsWith("where"),
                            source + ": a line that is not mathematics: " + line);
                }
            }
        } else {
            assertTrue(tex.contains("$"), source + ": markdown without mathematics: " + tex);
        }
    }

    @Test
    void gatherEveryKindOfLatex() throws IOException {
        examples();
        randomDerivatives();
        commandLine();
        Files.createDirectories(CORPUS.getParent());
        Gson gson = new Gson();
        StringBuilder lines = new StringBuilder();
        for (Map<String, String> entry : corpus) {
            lines.append(gson.toJson(entry)).append('\n');
        }
        Files.writeString(CORPUS, lines.toString(), StandardCharsets.UTF_8);
        assertTrue(corpus.size() > 500, "a corpus of " + corpus.size() + " entries");
    }

    private void examples() {
        Options latex = Options.defaults().withOut(dir).inlinePlots().withFormat(Format.LATEX);
        Options markdown = latex.withFormat(Format.MARKDOWN);
        for (String name : Golden.exampleNames()) {
            for (Options options : List.of(latex, markdown)) {
                String kind = options.format() == Format.LATEX ? "latex" : "markdown";
                Model model = Model.parse(new Source(name + ".chain", Golden.example(name)));
                for (Result r : new Session(model, options).runAll()) {
                    String source = "example " + name + ": " + r.getClass().getSimpleName();
                    if (r instanceof Result.Values || r instanceof Result.Gradient || r instanceof Result.Derivative
                            || r instanceof Result.Explained) {
                        add(source, kind, r.text(options));
                    }
                    if (r instanceof Result.Derivative d) {
                        add(source, "latex", d.latex());
                    }
                    if (r instanceof Result.Explained e) {
                        add(source, "latex", e.latex());
                    }
                }
            }
        }
    }

    private void randomDerivatives() {
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 150; i++) {
            List<Integer> choices = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                choices.add(random.nextInt(1000));
            }
            Model scalar = RandomExpressions.parse(choices, List.of(0.3, -0.7, 1.1), "");
            derivatives(scalar, scalar.scope().lookup("f"), "random scalar " + RandomExpressions.expression(choices));
            String expression = new TensorExpressions(choices).scalar(0);
            if (!expression.contains("grad(")) {
                Model tensor = Model.parse("m.chain", MatrixBackpropTestModels.PARAMS + "e = " + expression + "\n");
                derivatives(tensor, tensor.scope().lookup("e"), "random tensor " + expression);
            }
        }
        // deep compositions print their shared parts in the where form
        StringBuilder deep = new StringBuilder("param x = 0.3, y = 0.5\ng = x*y\n");
        for (int d = 1; d <= 40; d++) {
            deep.append("g").append(d).append(" = sin(").append(d == 1 ? "g" : "g" + (d - 1)).append(")\n");
        }
        Model model = Model.parse("deep.chain", deep.toString());
        derivatives(model, model.scope().lookup("g40"), "sin 40 deep");
    }

    private void derivatives(Model model, Node of, String source) {
        for (Node p : model.scope().params()) {
            Node d = model.derivative(of, p, null);
            String lhs = ExprPrinter.partial(Format.LATEX, "f", p.leafName());
            add(source + " d/d" + p.leafName(), "latex", model.print(d, Format.LATEX).equation(lhs));
            // the raw sweep's form too: unsimplified derivatives are printed by explanations
            add(source + " d/d" + p.leafName() + " (sweep)", "latex",
                    model.print(Gradients.symbolic(model.graph(), of, p), Format.LATEX).equation(lhs));
        }
    }

    private void commandLine() {
        String network = Cli.file(dir, "net.chain", Golden.example("backprop-2-2-2"));
        String tensors = Cli.file(dir, "soft.chain", Golden.example("softmax-3-3-3"));
        String circlesText = Golden.example("classifier-circles");
        String circles = Cli.file(dir, "circles.chain", circlesText.substring(0, circlesText.indexOf("print")));
        for (String format : List.of("latex", "markdown")) {
            String kind = format.equals("latex") ? "latex" : "markdown";
            add("cli derive w1 " + format, kind, Cli.run("derive", network, "--of", "E", "--wrt", "w1", "--format", format).out());
            add("cli grad " + format, kind, Cli.run("grad", network, "--of", "E", "--format", format).out());
            add("cli eval " + format, kind, Cli.run("eval", tensors, "--format", format).out());
            add("cli derive W1 " + format, kind, Cli.run("derive", tensors, "--of", "E", "--wrt", "W1", "--format", format).out());
            if (kind.equals("latex")) {
                // the LaTeX document export writes: its align* blocks
                for (String example : List.of(network, tensors, circles)) {
                    String document = Cli.run("export", example, "--of", "E", "--to", "latex").out();
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\\\begin\\{align\\*\\}[\\s\\S]*?\\\\end\\{align\\*\\}")
                            .matcher(document);
                    int blocks = 0;
                    while (m.find()) {
                        add("export latex " + example, "latex", m.group());
                        blocks++;
                    }
                    assertTrue(blocks == 2, "export --to latex wrote " + blocks + " align* blocks:\n" + document);
                }
            }
            add("cli explain " + format, kind, Cli.run("explain", network, "--of", "E", "--wrt", "w1", "--format", format).out());
            // a local derivative written apart from the total of the same name: E uses w itself and through h
            String direct = Cli.file(dir, "direct.chain", "param y = 0.5, w = 2\nh = sigmoid(w*y)\nE = 3*h + w\n");
            add("cli explain direct " + format, kind, Cli.run("explain", direct, "--of", "E", "--wrt", "w", "--format", format).out());
            // a layer explanation with a large constant in it (the mean's 1/200 over the rows)
            add("cli explain layers " + format, kind, Cli.run("explain", circles, "--of", "E", "--wrt", "W1", "--format", format).out());
        }
    }
}
