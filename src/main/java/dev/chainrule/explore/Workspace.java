package dev.chainrule.explore;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Diagnostic;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Span;
import dev.chainrule.diag.UsageException;
import dev.chainrule.explain.Paths;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.lang.Command;
import dev.chainrule.print.DotPrinter;
import dev.chainrule.print.Tensors;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One model being explored: the text in the editor, the last model that built from it, and the
 * output the page looks at. Each edit builds the model again; an edit that does not build keeps
 * the last good model and reports its diagnostics as the command line renders them. Every
 * question the page asks (the graph, an explanation, a derivative, the sweeps) is answered from
 * that model through the same API the command line uses.
 *
 * <p>One lock guards the model: requests and the training thread take it in turn (fairly, so a
 * click is answered while training plays).
 */
public final class Workspace {
    /** A diagnostic where the page can mark it, and rendered as on the command line (line, column, caret). */
    public record Problem(int line, int column, int length, String message, String rendered) {
    }

    /** A param's value and gradient, as short lines. */
    public record Param(String name, String shape, List<String> value, List<String> grad) {
    }

    /** Where a classifier's decision boundary comes from: its output over the inputs {@code x}, with labels {@code y}. */
    public record Boundary(String out, String x, String y) {
    }

    /**
     * What training starts from: the model's own {@code train} statement's settings, where it has
     * one; {@code x} and {@code y} are the data whose rows mini-batches take ({@code rows} of
     * them), null when the model has no data.
     */
    public record TrainingSetup(String loss, double lr, String optimizer, int batch, int rows, String x, String y,
                                Boundary boundary) {
    }

    /**
     * The model as the page shows it. {@code version} counts the models built: a page showing an
     * older one asks about nodes of a model that is gone.
     */
    public record View(int version, List<String> outputs, String output, GraphView.View graph, List<Param> params,
                       TrainingSetup training) {
    }

    /** The answer to an edit: diagnostics, and the model to show (the last good one when {@code stale}). */
    public record Analysis(boolean ok, List<Problem> diagnostics, boolean stale, View model, long millis) {
    }

    /** An edge of an explanation's paths, with its local derivative. */
    public record PathEdge(int from, int to, int k, List<String> local) {
    }

    /** An explanation of the output with respect to one node: the paths, and the chain rule written out when the node has a name. */
    public record Explained(int node, String name, List<Integer> nodes, List<PathEdge> edges, String text, String latex, String note) {
    }

    /** A symbolic derivative, in ASCII (it parses back) and in LaTeX, with its value. */
    public record Derived(String of, String wrt, String ascii, String latex, List<String> value) {
    }

    private final ReentrantLock lock = new ReentrantLock(true);
    private String sourceName;
    private final Options options;
    private String text;
    private Model model;
    private String output;
    private int version;
    /** The text the model shown was built from. */
    private String shownText;
    /** Who built the model shown (a page), null when nobody said. */
    private String builtBy;
    private boolean names = true;

    /**
     * @param sourceName what diagnostics call the text: the file's path, or {@code example:NAME}
     */
    public Workspace(String sourceName, String text, Options options) {
        this.sourceName = sourceName;
        this.text = text;
        this.options = options;
    }

    /** What diagnostics call the text now. */
    public String sourceName() {
        return locked(() -> sourceName);
    }

    /** Names the text anew: a file opened or saved, an example chosen. */
    public void rename(String name) {
        locked(() -> sourceName = name);
    }

    public Options options() {
        return options;
    }

    /** The text last given. */
    public String text() {
        return locked(() -> text);
    }

    /** Runs {@code work} holding the model's lock. */
    public <R> R locked(Supplier<R> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** The model that built last, or null; callers hold the lock. */
    Model model() {
        return model;
    }

    /**
     * The model shown, when {@code newText} is its text: nothing to build, and its params keep
     * what training gave them. Null when the text differs (or no model has built).
     */
    public Analysis unchanged(String newText) {
        return locked(() -> {
            if (model == null || !newText.equals(shownText)) {
                return null;
            }
            text = newText;
            return new Analysis(true, List.of(), false, view(), 0);
        });
    }

    /** The text of the model shown (the last that built), or the text last given when none has. */
    public String shownText() {
        return locked(() -> model == null ? text : shownText);
    }

    /** Builds the model from {@code newText}; keeps the last good one when it does not build. */
    public Analysis analyze(String newText) {
        return analyze(newText, null);
    }

    /**
     * Builds the model from {@code newText} for {@code by} (a page, recorded with the model
     * when it builds: see {@link #builtBy}); keeps the last good one when it does not build.
     */
    public Analysis analyze(String newText, String by) {
        long start = System.nanoTime();
        return locked(() -> {
            String name = sourceName;
            text = newText;
            List<Problem> problems = new ArrayList<>();
            Model built = null;
            try {
                built = Model.parse(new Source(name, newText));
            } catch (ChainException e) {
                problems.add(problem(e.diagnostic()));
            } catch (UsageException e) {
                problems.add(new Problem(1, 1, 0, e.getMessage(), "chainrule: " + e.getMessage()));
            } catch (StackOverflowError | OutOfMemoryError e) {
                problems.add(new Problem(1, 1, 0, "the model is too large to build here", "chainrule: the model is too large to build here"));
            }
            View view = null;
            if (built != null) {
                // the new model is shown only if it also evaluates: log(-1) is this edit's mistake,
                // told with its caret, and the last good model stays
                Model previous = model;
                String previousOutput = output;
                model = built;
                version++;
                if (output == null || model.scope().lookup(output) == null || !isScalar(model.scope().lookup(output))) {
                    output = defaultOutput(model);
                }
                try {
                    view = view();
                    shownText = newText;
                    builtBy = by;
                } catch (ChainException e) {
                    problems.add(problem(e.diagnostic()));
                    model = previous;
                    output = previousOutput;
                    version--;
                    built = null;
                }
            }
            if (view == null && model != null) {
                view = view();
            }
            return new Analysis(built != null, problems, built == null && model != null, view,
                    (System.nanoTime() - start) / 1_000_000);
        });
    }

    private static Problem problem(Diagnostic d) {
        Span s = d.span();
        return s == null ? new Problem(1, 1, 0, d.message(), d.render())
                : new Problem(s.line(), s.column(), s.length(), d.message(), d.render());
    }

    /** The page's view of the model at its current output; callers hold the lock. */
    View view() {
        Node out = output == null ? null : model.scope().lookup(output);
        GraphView.View graph = out == null ? new GraphView.View(null, names, 0, 0, 0, List.of(), List.of(), null) : drawing(out);
        return new View(version, outputs(model), output, graph, params(out, graph), trainingSetup());
    }

    /**
     * The graph under {@code out}: over names when they are asked for and the graph is one of
     * scalars, else every operation (with a note saying why, when names were asked for).
     */
    private GraphView.View drawing(Node out) {
        if (names) {
            try {
                return GraphView.overNames(model, out, output, options.digits());
            } catch (ChainException overTensors) {
                return GraphView.of(model, out, output, options.digits())
                        .noted(overTensors.getMessage() + ": every operation is drawn instead");
            }
        }
        return GraphView.of(model, out, output, options.digits());
    }

    /** Draws the graph over the model's names ({@code true}, the default) or over every operation. */
    public void drawNames(boolean overNames) {
        locked(() -> names = overNames);
    }

    /** Looks at another output. */
    public View look(String newOutput) {
        return locked(() -> {
            requireModel();
            Node node = named(newOutput, "output");
            output = isScalar(node) ? newOutput : output;
            return view();
        });
    }

    /** The params {@code out} depends on (none for null), in the order they were declared. */
    List<Node> paramsUnder(Node out) {
        List<Node> leaves = new ArrayList<>();
        BitSet reach = out == null ? new BitSet() : model.graph().reachableFrom(out);
        for (Node p : model.scope().params()) {
            if (reach.get(p.id())) {
                leaves.add(p);
            }
        }
        return leaves;
    }

    /**
     * The params the output depends on, with their gradients where the output is a scalar: as the
     * drawing already shows them when it has them all (its sweep gave their gradients), else
     * from a sweep of their own.
     */
    private List<Param> params(Node out, GraphView.View drawn) {
        List<Node> leaves = paramsUnder(out);
        Map<Integer, GraphView.ViewNode> shown = new java.util.HashMap<>();
        drawn.nodes().forEach(n -> shown.put(n.id(), n));
        List<Param> params = new ArrayList<>();
        for (Node p : leaves) {
            GraphView.ViewNode n = shown.get(p.id());
            if (n == null) {
                return params(leaves, out != null && isScalar(out) && !leaves.isEmpty() ? model.gradient(out, leaves) : Map.of());
            }
            params.add(new Param(p.leafName(), p.shape().toString(), n.value(), n.grad()));
        }
        return params;
    }

    /** {@code leaves} with their values, and their gradients where {@code gradient} has them (by leaf name). */
    List<Param> params(List<Node> leaves, Map<String, Tensor> gradient) {
        List<Param> params = new ArrayList<>();
        for (Node p : leaves) {
            Tensor g = gradient.get(p.leafName());
            params.add(new Param(p.leafName(), p.shape().toString(), Tensors.brief(model.scope().leafValue(p), options.digits()),
                    g == null ? null : Tensors.brief(g, options.digits())));
        }
        return params;
    }

    /** The output the page opens at: what the model's first train, explain, grad or check statement is about, else its last scalar. */
    static String defaultOutput(Model model) {
        List<String> outputs = outputs(model);
        for (Command command : model.commands()) {
            String label = command instanceof Command.Train t ? t.of().label()
                    : command instanceof Command.Explain e ? e.of().label()
                    : command instanceof Command.Grad g ? g.of().label()
                    : command instanceof Command.Check c ? c.of().label() : null;
            if (label != null && outputs.contains(label)) {
                return label;
            }
        }
        return outputs.isEmpty() ? null : outputs.get(outputs.size() - 1);
    }

    /** The named nodes that are scalars and not leaves: what gradients can be taken of. */
    static List<String> outputs(Model model) {
        List<String> outputs = new ArrayList<>();
        for (String name : model.scope().names()) {
            Node node = model.scope().lookup(name);
            // a constant (T = 5, h[0] = 0) has nothing to differentiate: no output to look from
            if (node != null && !node.isLeaf() && !node.isConstant() && isScalar(node)) {
                outputs.add(name);
            }
        }
        return outputs;
    }

    private static boolean isScalar(Node node) {
        return node.shape().isScalar();
    }

    /** Training's starting settings: the model's first {@code train} statement's, and its boundary plot's names. */
    TrainingSetup trainingSetup() {
        Command.Train train = null;
        Command.Plot plot = null;
        for (Command command : model.commands()) {
            if (train == null && command instanceof Command.Train t) {
                train = t;
            }
            if (plot == null && command instanceof Command.Plot p && p.boundary()) {
                plot = p;
            }
        }
        String loss = train != null && outputs(model).contains(train.of().label()) ? train.of().label() : output;
        if (loss == null || model.scope().params().isEmpty()) {
            return null;
        }
        Command.Batch batch = train == null ? null : train.batch();
        Boundary boundary = plot == null ? null : new Boundary(plot.out(), plot.x().leafName(), plot.y().leafName());
        Node x = batch != null ? batch.x() : plot != null ? plot.x() : null;
        Node y = batch != null ? batch.y() : plot != null ? plot.y() : null;
        int rows = x == null ? 0 : model.scope().leafValue(x).shape().dim(0);
        return new TrainingSetup(loss, train == null ? 0.1 : train.lr(),
                (train == null ? "sgd" : train.optimizer().name()).toLowerCase(java.util.Locale.ROOT),
                batch == null ? 0 : batch.size(), rows, x == null ? null : x.leafName(), y == null ? null : y.leafName(), boundary);
    }

    /** What training moves: the leaves the model's {@code train} statement names, else every param the loss depends on. */
    List<Node> trainable(String loss) {
        for (Command command : model.commands()) {
            if (command instanceof Command.Train t && t.of().label().equals(loss) && t.wrt() != null && !t.wrt().isEmpty()) {
                return t.wrt();
            }
        }
        return model.trainable("wrt", "", model.scope().lookup(loss));
    }

    /** The paths from node {@code id} to the output with each edge's local derivative, and {@code explain} when the node has a name. */
    public Explained explain(String of, int id) {
        return locked(() -> {
            requireModel();
            Node out = named(of, "output");
            Graph graph = model.graph();
            BitSet reach = graph.reachableFrom(out);
            if (id < 0 || id >= graph.size() || !reach.get(id)) {
                throw new IllegalArgumentException("node " + id + " is not in the graph of " + of);
            }
            Node node = graph.get(id);
            Tensor[] values = Forward.values(graph, model.scope().leafValues(), reach, out);
            DotPrinter.Highlight paths = Paths.of(graph, out, node, values, options.digits());
            List<Integer> nodes = paths.nodes().stream().boxed().toList();
            List<PathEdge> edges = new ArrayList<>();
            for (int n : nodes) {
                Node consumer = graph.get(n);
                for (int k = 0; k < consumer.arity(); k++) {
                    List<String> local = paths.notes().get(DotPrinter.Highlight.edge(consumer, k));
                    if (local != null) {
                        edges.add(new PathEdge(consumer.input(k).id(), n, k, local));
                    }
                }
            }
            String name = model.scope().nameOf(node);
            if (node == out) {
                return new Explained(id, name, nodes, edges, null, null, "this is the output: ∂" + of + "/∂" + of + " = 1");
            }
            if (node.isConstant()) {
                return new Explained(id, null, nodes, edges, null, null, "this is a constant, " + DotPrinter.what(node)
                        + ": nothing moves it, so " + of + " has no derivative to explain here; its paths show where it is used");
            }
            if (name == null) {
                return new Explained(id, null, nodes, edges, null, null, "explain follows named nodes, and this one ("
                        + SweepSteps.label(model, node) + ") has none: its paths carry their local derivatives");
            }
            if (!isScalar(out) || nodes.isEmpty()) {
                return new Explained(id, name, nodes, edges, null, null, nodes.isEmpty() ? of + " does not depend on " + name
                        : "explain is for a scalar output");
            }
            Command.Target target = new Command.Target(out, of, new Source("output", of).whole());
            // one explanation, written both ways: the session's format and LaTeX
            Result.Explained e = new Session(model, options).explanation(target, model.target("node", name), false, target.span());
            return new Explained(id, name, nodes, edges, e.text(), e.latex(), null);
        });
    }

    /** The simplified symbolic derivative of {@code of} (a name or an expression) with respect to {@code wrt}. */
    public Derived derive(String of, String wrt) {
        return locked(() -> {
            requireModel();
            Node node = model.node("of", of);
            Command.Target target = new Command.Target(node, of.trim(), new Source("of", of).whole());
            Result.Derivative d = new Session(model, options).derivative(target, model.target("wrt", wrt), target.span());
            return new Derived(d.of(), d.wrt(), d.ascii(), d.latex(), Tensors.brief(d.value(), options.digits()));
        });
    }

    /**
     * The reverse sweep from the output, one node at a time: over the model's names as the
     * tutorials work it ({@code names}), or over every operation.
     */
    public SweepSteps.Sweep backward(String of, boolean names) {
        return locked(() -> {
            requireModel();
            Node output = named(of, "output");
            return names ? SweepSteps.backwardOverNames(model, output, of, options.digits())
                    : SweepSteps.backward(model, output, of, options.digits());
        });
    }

    /** The forward sweep of the tangents with respect to {@code wrt}, a leaf, one node at a time. */
    public SweepSteps.Sweep forward(String of, String wrt) {
        return locked(() -> {
            requireModel();
            Node leaf = named(wrt, "wrt");
            if (!leaf.isLeaf()) {
                throw ChainException.semantic(new Source("wrt", wrt).whole(), "forward mode starts from a leaf (a param or an input); "
                        + wrt + " is computed");
            }
            return SweepSteps.forward(model, named(of, "output"), of, leaf, wrt, new Source("wrt", wrt).whole(), options.digits());
        });
    }

    private Node named(String name, String what) {
        Node node = name == null ? null : model.scope().lookup(name.trim());
        if (node == null) {
            String shown = name == null ? "" : name;
            throw ChainException.semantic(new Source(what, shown).whole(), "unknown name '" + shown + "'"
                    + dev.chainrule.diag.Suggestions.didYouMean(shown, model.scope().names()));
        }
        return node;
    }

    private void requireModel() {
        if (model == null) {
            throw new IllegalStateException("no model has built yet: fix the diagnostics in the editor");
        }
    }

    /** Who built the model shown: what {@link #analyze(String, String)} was told, or null. */
    public String builtBy() {
        return locked(() -> builtBy);
    }

    /** How many models have been built: the version of the model the page shows. */
    public int version() {
        return locked(() -> version);
    }

    /** The output the page looks at, or null. */
    public String output() {
        return locked(() -> output);
    }
}
