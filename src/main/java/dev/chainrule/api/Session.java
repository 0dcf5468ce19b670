package dev.chainrule.api;

import dev.chainrule.explain.Explanation;
import dev.chainrule.explain.ExplanationPrinter;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.diag.ChainException;
import dev.chainrule.explain.Explainer;
import dev.chainrule.explain.LayerExplainer;
import dev.chainrule.explain.LayerPrinter;
import dev.chainrule.lang.Command;
import dev.chainrule.model.Scope;
import dev.chainrule.explain.Unrolled;
import dev.chainrule.train.Optimizer;
import dev.chainrule.diag.Progress;
import dev.chainrule.train.TrainReport;
import dev.chainrule.plot.Plots;
import dev.chainrule.io.Confinement;
import dev.chainrule.io.FileRefused;
import dev.chainrule.io.SafeWrite;
import java.nio.file.Path;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs commands against a model and returns their results. The command line runs a file's
 * statements through it; a notebook kernel can feed it one cell's commands at a time.
 */
public final class Session {
    private final Model model;
    private final Options options;
    private Progress progress = Progress.NONE;

    public Session(Model model, Options options) {
        this.model = model;
        this.options = options;
    }

    public Model model() {
        return model;
    }

    /** Where training reports its steps (a progress bar on a terminal); nowhere by default. */
    public Session withProgress(Progress progress) {
        this.progress = progress;
        return this;
    }

    public Options options() {
        return options;
    }

    /** Runs the model's statements in order, handing each result on as soon as it is ready. */
    public void runAll(Consumer<Result> out) {
        for (Command command : model.commands()) {
            out.accept(run(command));
        }
    }

    /** Runs the model's statements in order and collects the results. */
    public List<Result> runAll() {
        List<Result> results = new ArrayList<>();
        runAll(results::add);
        return results;
    }

    public Result run(Command command) {
        return command.accept(new Command.Visitor<Result>() {
            @Override
            public Result print(Command.Print p) {
                Map<String, Tensor> values = new LinkedHashMap<>();
                for (Command.Target t : p.targets()) {
                    values.put(t.label(), model.value(t.node()));
                }
                return new Result.Values(values);
            }

            @Override
            public Result grad(Command.Grad g) {
                return gradientOf(g.of(), g.wrt());
            }

            @Override
            public Result derive(Command.Derive d) {
                return derivative(d.of(), d.wrt(), d.span());
            }

            @Override
            public Result explain(Command.Explain e) {
                return explanation(e.of(), e.wrt(), e.expand(), e.span());
            }

            @Override
            public Result check(Command.Check c) {
                return checkOf(c.of(), c.wrt());
            }

            @Override
            public Result train(Command.Train t) {
                return Session.this.train(t.of(), t.wrt(), t.lr(), t.steps(), t.optimizer(), t.batch(), t.span());
            }

            @Override
            public Result export(Command.Export e) {
                return Session.this.export(e.of(), e.wrt(), e.to(), e.toSpan(), e.span());
            }

            @Override
            public Result graph(Command.Graph g) {
                return Session.this.graph(g.of(), g.highlight());
            }

            @Override
            public Result predict(Command.Predict p) {
                return new Result.Predicted(p.name(), model.predict(p.name(), p.inputs(), p.span()));
            }

            @Override
            public Result plot(Command.Plot p) {
                return Session.this.plot(p);
            }

            @Override
            public Result save(Command.Save s) {
                return saveParams(s.file());
            }

            @Override
            public Result load(Command.Load l) {
                return loadParams(l.file());
            }
        });
    }

    /**
     * A model in which some targets are whole leaves: this one for the targets that are leaves,
     * or this one with one other node made a leaf ({@link dev.chainrule.model.Scope#cut}), so that
     * it is differentiated with its own inputs held fixed. {@code indices} are the positions of
     * the targets it serves in the list asked for.
     */
    private record View(Model model, Command.Target of, List<Node> leaves, int[] elements, List<Integer> indices) {
    }

    /**
     * The views that serve {@code wrt}: one for all the leaves, and one for each other node, cut
     * on its own so that each target's derivative holds only its own inputs fixed (a node and a
     * leaf it is computed from can be asked for together).
     */
    private List<View> views(Command.Target of, List<Command.Wrt> wrt) {
        Map<Node, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < wrt.size(); i++) {
            Node node = wrt.get(i).node();
            groups.computeIfAbsent(node.isLeaf() ? null : node, k -> new ArrayList<>()).add(i);
        }
        List<View> views = new ArrayList<>();
        for (Map.Entry<Node, List<Integer>> group : groups.entrySet()) {
            List<Integer> indices = group.getValue();
            int[] elements = new int[indices.size()];
            List<Node> leaves = new ArrayList<>();
            Model m = model;
            Command.Target target = of;
            dev.chainrule.model.Scope.Cut[] made = new dev.chainrule.model.Scope.Cut[1];
            if (group.getKey() != null) {
                m = model.cut(List.of(group.getKey()), List.of(wrt.get(indices.get(0)).name()), made);
                target = new Command.Target(made[0].of(of.node()), of.label(), of.span());
            }
            for (int k = 0; k < indices.size(); k++) {
                Command.Wrt w = wrt.get(indices.get(k));
                elements[k] = w.element();
                leaves.add(made[0] == null ? w.node() : made[0].of(w.node()));
            }
            views.add(new View(m, target, leaves, elements, indices));
        }
        return views;
    }

    /** The one view of a single target. */
    private View view(Command.Target of, Command.Wrt wrt) {
        return views(of, List.of(wrt)).get(0);
    }

    /**
     * Runs {@code work}, reporting a shape the engine cannot take (a value over the model's limits
     * made while differentiating, say) at {@code span} rather than letting it escape.
     */
    private static <R> R located(dev.chainrule.diag.Span span, java.util.function.Supplier<R> work) {
        try {
            return work.get();
        } catch (dev.chainrule.tensor.ShapeException e) {
            throw ChainException.semantic(span, e.getMessage());
        }
    }

    public Result.Values values() {
        return new Result.Values(model.values());
    }

    /** {@code ∂of/∂leaf} for each leaf. */
    public Result.Gradient gradient(Command.Target of, List<Node> wrt) {
        List<Command.Wrt> targets = new ArrayList<>();
        wrt.forEach(w -> targets.add(Command.Wrt.of(w)));
        return gradientOf(of, targets);
    }

    /** {@code ∂of/∂target} for each target: a leaf, any node (its inputs held fixed), or one element of either. */
    public Result.Gradient gradientOf(Command.Target of, List<Command.Wrt> wrt) {
        return located(of.span(), () -> {
            requireScalar(of, "gradients are taken");
            Tensor[] found = new Tensor[wrt.size()];
            Double value = null;
            for (View view : views(of, wrt)) {
                List<Node> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(view.leaves()));
                Model.ValueAndGradient swept = view.model().valueAndGradient(view.of().node(), distinct);
                Map<String, Tensor> whole = swept.gradient();
                // every view holds what its cut node's inputs give, so each sweeps of to the same value
                value = value != null ? value : swept.value();
                for (int k = 0; k < view.indices().size(); k++) {
                    Tensor g = whole.get(view.leaves().get(k).leafName());
                    found[view.indices().get(k)] = view.elements()[k] < 0 ? g : Tensor.scalar(g.get(view.elements()[k]));
                }
            }
            Map<String, Tensor> gradient = new LinkedHashMap<>();
            for (int i = 0; i < wrt.size(); i++) {
                gradient.put(wrt.get(i).label(), found[i]);
            }
            return new Result.Gradient(of.label(), value != null ? value : model.value(of.node()).item(), gradient);
        });
    }

    /** A diagnostic at the target when it is a vector or matrix where a scalar is needed. */
    private static void requireScalar(Command.Target of, String what) {
        if (!of.node().shape().isScalar()) {
            throw ChainException.semantic(of.span(), "'" + of.label() + "' is a " + of.node().shape()
                    + " value, and " + what + " of scalars; use sum(" + of.label() + ") or mean(" + of.label() + ")");
        }
    }

    public Result.Derivative derive(Command.Target of, Node wrt, dev.chainrule.diag.Span span) {
        return derivative(of, Command.Wrt.of(wrt), span);
    }

    /**
     * The simplified symbolic derivative of {@code of} with respect to a leaf, any node (written
     * in terms of that node, its inputs held fixed) or one element of either.
     */
    public Result.Derivative derivative(Command.Target of, Command.Wrt wrt, dev.chainrule.diag.Span span) {
        return located(span, () -> {
            requireScalar(of, "derivatives are taken");
            View view = view(of, wrt);
            Model m = view.model();
            Node leaf = view.leaves().get(0);
            Node d = m.derivative(view.of().node(), leaf, span);
            if (wrt.element() >= 0) {
                d = m.graph().node(dev.chainrule.graph.op.Op.INDEX, dev.chainrule.tensor.Indexing.elementOf(leaf.shape(), wrt.element()), d);
            }
            Map<Integer, String> deltas = m.adjointNames(view.of().node(), leaf);
            String text = m.print(d, options.format(), deltas).inline();
            String ascii = m.print(d, Format.ASCII, deltas).inline();
            String latex = m.print(d, Format.LATEX, deltas).equation(ExprPrinter.partial(Format.LATEX, of.label(), wrt.label()));
            int nodes = m.graph().reachableFrom(d).cardinality();
            Tensor value;
            try {
                value = m.value(d);
            } catch (ChainException notFinite) {
                // the reverse sweep names the node of the function whose derivative left the real numbers
                m.gradient(view.of().node(), List.of(leaf));
                throw notFinite;
            }
            return new Result.Derivative(of.label(), wrt.label(), text, ascii, latex, value, nodes);
        });
    }

    /**
     * {@code of} and its gradient with respect to whole leaves, as code for {@code to} (java,
     * numpy, pytorch, c, latex): the result of {@code export E to numpy}.
     */
    public Result.Exported export(Command.Target of, List<Command.Wrt> wrt, String to, dev.chainrule.diag.Span toSpan,
                                  dev.chainrule.diag.Span span) {
        return located(span, () -> {
            requireScalar(of, "code is exported");
            dev.chainrule.export.Target target = dev.chainrule.export.Target.byWord(to);
            if (target == null) {
                List<String> words = dev.chainrule.export.Target.words();
                throw ChainException.semantic(toSpan, "export writes " + String.join(", ", words.subList(0, words.size() - 1)) + " or "
                        + words.get(words.size() - 1) + ", not " + to + dev.chainrule.diag.Suggestions.didYouMean(to, words));
            }
            List<Node> leaves = new ArrayList<>();
            for (Command.Wrt w : wrt) {
                if (!w.isWholeLeaf()) {
                    throw ChainException.semantic(w.span(), "export differentiates with respect to whole inputs and params; '"
                            + w.label() + "' is not one");
                }
                leaves.add(w.node());
            }
            String source = span.source().name();
            try {
                return new Result.Exported(target.word(), dev.chainrule.export.Exporter.export(model, of.node(), of.label(), leaves, target,
                        target.codeName(null), Path.of(source).getFileName().toString()));
            } catch (IllegalArgumentException unsupported) {
                throw ChainException.semantic(toSpan, unsupported.getMessage());
            }
        });
    }

    /** The chain-rule explanation of {@code ∂of/∂wrt}. */
    public Result.Explained explain(Command.Target of, Node wrt, dev.chainrule.diag.Span span) {
        return explain(of, wrt, -1, span);
    }

    /** The chain-rule explanation of {@code ∂of/∂wrt}, or of {@code ∂of/∂wrt[element]}. */
    public Result.Explained explain(Command.Target of, Node wrt, int element, dev.chainrule.diag.Span span) {
        return explanation(of, new Command.Wrt(wrt, element, wrt.leafName(), span), false, span);
    }

    /**
     * The chain-rule explanation of {@code ∂of/∂wrt}: over the named nodes, each call folded into
     * one step unless {@code expand}. A model with vectors or matrices on the way is explained in
     * its scalar view ({@link Unrolled}) for one element, or layer by layer for a whole tensor.
     */
    public Result.Explained explanation(Command.Target of, Command.Wrt wrt, boolean expand, dev.chainrule.diag.Span span) {
        return located(span, () -> {
            requireScalar(of, "explanations are given");
            View v = view(of, wrt);
            Scope scope = v.model().scope();
            Node target = v.of().node();
            Node leaf = v.leaves().get(0);
            int element = wrt.element();
            if (element >= 0 || !allScalar(v.model(), target, leaf)) {
                if (element < 0 && !leaf.shape().isScalar()) {
                    return layers(v.model(), v.of(), leaf, expand, span);
                }
                Unrolled view = Unrolled.around(scope, target, leaf, Math.max(element, 0));
                scope = view.scope();
                target = view.element(v.of().node(), 0);
                leaf = view.element(leaf, Math.max(element, 0));
            }
            java.util.function.Function<Node, String> names = namer(scope, expand);
            Explanation e = new Explainer(scope, names).explain(target, of.label(), leaf, span);
            Graph graph = scope.graph();
            Scope model = v.model().scope();
            String text = new ExplanationPrinter(graph, names, options.format(), options.digits(), model::isFamily).print(e);
            String latex = new ExplanationPrinter(graph, names, Format.LATEX, options.digits(), model::isFamily).print(e);
            return new Result.Explained(e.of(), e.wrt(), e.value(), Tensor.scalar(e.gradient()), text, latex);
        });
    }

    /** The names an explanation uses: every name, or with each call folded into the step that names it. */
    private static java.util.function.Function<Node, String> namer(Scope scope, boolean expand) {
        return expand ? scope::nameOf : scope::outerNameOf;
    }

    /** The vectorised explanation: the delta of each named node, layer by layer. */
    private Result.Explained layers(Model m, Command.Target of, Node wrt, boolean expand, dev.chainrule.diag.Span span) {
        Scope scope = m.scope();
        java.util.function.Function<Node, String> names = namer(scope, expand);
        LayerExplainer.Derivation d = new LayerExplainer(scope, names).explain(of.node(), of.label(), wrt, span);
        Graph graph = scope.graph();
        String text = new LayerPrinter(graph, names, options.format(), options.digits()).print(d);
        String latex = new LayerPrinter(graph, names, Format.LATEX, options.digits()).print(d);
        return new Result.Explained(d.of(), d.wrt(), d.value(), d.gradient(), text, latex);
    }

    private static boolean allScalar(Model m, Node of, Node wrt) {
        Graph graph = m.graph();
        java.util.BitSet involved = dev.chainrule.autodiff.Gradients.involved(graph, of, List.of(wrt));
        for (int id = involved.nextSetBit(0); id >= 0; id = involved.nextSetBit(id + 1)) {
            if (!graph.get(id).shape().isScalar()) {
                return false;
            }
        }
        return true;
    }

    public Result.Checked check(Command.Target of, List<Node> wrt) {
        List<Command.Wrt> targets = new ArrayList<>();
        wrt.forEach(w -> targets.add(Command.Wrt.of(w)));
        return checkOf(of, targets);
    }

    /** Reverse mode against finite differences, for leaves, any nodes (their inputs held fixed) or single elements. */
    public Result.Checked checkOf(Command.Target of, List<Command.Wrt> wrt) {
        return located(of.span(), () -> {
            requireScalar(of, "gradients are checked");
            List<dev.chainrule.check.CheckReport.Entry> entries = new ArrayList<>();
            dev.chainrule.check.CheckReport.Suspect suspect = null;
            for (View v : views(of, wrt)) {
                dev.chainrule.check.CheckReport part = v.model().check(v.of().node(), of.label(), v.leaves(), v.elements(),
                        options.rtol(), options.atol(), options.samples(), progress);
                entries.addAll(part.entries());
                suspect = suspect != null ? suspect : part.suspect();
            }
            return new Result.Checked(new dev.chainrule.check.CheckReport(of.label(), options.rtol(), options.atol(), entries, suspect));
        });
    }

    /** Writes every param's value to a file, whole or not at all, where files are written ({@code --out}, or the model's folder). */
    public Result.Params saveParams(dev.chainrule.lang.Ast.PathRef file) {
        try {
            Path folder = folder().toAbsolutePath().normalize();
            Path target = Confinement.resolve(folder, file.path(), List.of());
            if (target == null) {
                throw ChainException.semantic(file.span(), "save writes files in " + folder + " and below; " + file.path()
                        + " is outside it (choose the folder with --out DIR)");
            }
            SafeWrite.write(target, dev.chainrule.model.ParamsFile.write(model.scope()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    SafeWrite.Kind.JSON, options.force());
            return new Result.Params(true, target.toString(), paramNames());
        } catch (FileRefused refused) {
            throw ChainException.semantic(file.span(), refused.getMessage());
        }
    }

    /** Sets the params from a file, read as data files are (the model's folder, or one allowed with --allow-read). */
    public Result.Params loadParams(dev.chainrule.lang.Ast.PathRef file) {
        Path folder = Path.of(file.span().source().name().replace("example:", "")).toAbsolutePath().getParent();
        try {
            Path source = Confinement.resolve(folder, file.path(), model.scope().options().readable());
            if (source == null) {
                throw ChainException.semantic(file.span(), "load reads files in the model's folder (" + folder + ") and below; "
                        + file.path() + " is outside it (allow its folder with --allow-read DIR)");
            }
            model.loadParams(source, file.path());
            return new Result.Params(false, source.toString(), paramNames());
        } catch (FileRefused refused) {
            throw ChainException.semantic(file.span(), refused.getMessage());
        } catch (dev.chainrule.model.ParamsFile.Refused refused) {
            throw ChainException.semantic(file.span(), refused.getMessage());
        }
    }

    private List<String> paramNames() {
        List<String> names = new ArrayList<>();
        model.scope().params().forEach(p -> names.add(p.leafName()));
        return names;
    }

    public Result.Trained train(Command.Target of, List<Node> wrt, double lr, int steps) {
        return train(of, wrt, lr, steps, Optimizer.Kind.SGD);
    }

    public Result.Trained train(Command.Target of, List<Node> wrt, double lr, int steps, Optimizer.Kind optimizer) {
        return train(of, wrt, lr, steps, optimizer, null, of.span());
    }

    /** Training on the whole data, or on mini-batches when {@code batch} is given. */
    public Result.Trained train(Command.Target of, List<Node> wrt, double lr, int steps, Optimizer.Kind optimizer,
                                Command.Batch batch, dev.chainrule.diag.Span span) {
        return located(span, () -> {
            requireScalar(of, "training lowers a loss made");
            TrainReport report = batch == null
                    ? model.train(of.node(), of.label(), wrt, lr, steps, optimizer, progress)
                    : model.trainInBatches(of.label(), wrt, lr, steps, optimizer, batch.size(), batch.x(), batch.y(), progress, span);
            return trained(report, wrt);
        });
    }

    private Result.Trained trained(TrainReport report, List<Node> wrt) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (Node leaf : wrt) {
            params.put(leaf.leafName(), model.scope().leafValue(leaf));
        }
        return new Result.Trained(report, params, model.values());
    }

    /**
     * Draws a plot, and writes it as a PNG file, whole or not at all, inside the folder files are
     * written in ({@code --out}, or the model's folder): a statement that names no file writes
     * {@code loss.png} or {@code boundary.png} there, unless plots are shown inline (a notebook).
     */
    public Result.Plotted plot(Command.Plot p) {
        return located(p.span(), () -> {
            byte[] png;
            String about;
            if (!p.boundary()) {
                TrainReport last = model.lastTraining();
                if (last == null) {
                    throw ChainException.semantic(p.span(), "plot loss draws the last training, and nothing has been trained yet");
                }
                png = Plots.loss(last.history().losses(), last.history().steps(), "loss of " + last.of() + " per step");
                about = "loss of " + last.of() + " over " + last.steps() + (last.steps() == 1 ? " step" : " steps");
            } else {
                Tensor x = model.scope().leafValue(p.x());
                Tensor y = model.scope().leafValue(p.y());
                if (x.shape().rank() != 2 || x.shape().dim(1) != 2 || y.shape().rank() != 1 || y.shape().dim(0) != x.shape().dim(0)) {
                    throw ChainException.semantic(p.span(), "plot boundary needs points with two features, n×2, and n labels; here "
                            + x.shape() + " and " + y.shape());
                }
                String input = p.x().leafName();
                png = Plots.boundary(x, y, grid -> perPoint(p, model.predict(p.out(), Map.of(input, grid), p.span()), grid),
                        p.out() + " over " + input + ", with " + p.y().leafName());
                about = p.out() + " over a " + Plots.GRID + "×" + Plots.GRID + " grid, with the " + x.shape().dim(0) + " points";
            }
            String kind = p.boundary() ? "boundary" : "loss";
            if (p.file() == null && options.inline()) {
                return new Result.Plotted(kind, null, about, png);
            }
            String name = p.file() != null ? p.file().path() : kind + ".png";
            dev.chainrule.diag.Span at = p.file() != null ? p.file().span() : p.span();
            try {
                Path folder = folder().toAbsolutePath().normalize();
                Path file = Confinement.resolve(folder, name, List.of());
                if (file == null) {
                    throw ChainException.semantic(at, "plot writes files in " + folder + " and below; " + name
                            + " is outside it (choose the folder with --out DIR)");
                }
                SafeWrite.write(file, png, SafeWrite.Kind.PNG, options.force());
                return new Result.Plotted(kind, file.toString(), about, png);
            } catch (FileRefused refused) {
                throw ChainException.semantic(at, refused.getMessage());
            }
        });
    }

    /** A classifier's output over the grid: one number, or one row of scores, per point; anything else is refused. */
    private static Tensor perPoint(Command.Plot p, Tensor out, Tensor grid) {
        int cells = grid.shape().dim(0);
        boolean numbers = out.shape().rank() == 1 && out.shape().dim(0) == cells;
        boolean rows = out.shape().rank() == 2 && out.shape().dim(0) == cells;
        if (!numbers && !rows) {
            throw ChainException.semantic(p.span(), "plot boundary colours each point by " + p.out()
                    + ", which must give one number or one row of scores per point; for " + cells + " points it gives a "
                    + out.shape() + " value");
        }
        return out;
    }

    /** Where files are written: the --out folder, else the model file's folder, else the working folder. */
    private Path folder() {
        if (options.out() != null) {
            return options.out();
        }
        Path parent = Path.of(model.source().name()).getParent();
        return parent == null || model.source().name().startsWith("example:") ? Path.of(".") : parent;
    }

    public Result.Dot graph(Command.Target of) {
        return graph(of, null);
    }

    /**
     * The drawing of the graph under {@code of}; with {@code highlight}, the paths from that node
     * (a leaf or any named node, whole) up to {@code of} are drawn out with their local derivatives.
     */
    public Result.Dot graph(Command.Target of, Command.Wrt highlight) {
        if (highlight != null) {
            dev.chainrule.diag.Span at = highlight.span() != null ? highlight.span() : of.span();
            if (highlight.element() >= 0) {
                throw ChainException.semantic(at, "graph draws the paths from a whole node, and '" + highlight.label()
                        + "' is one element of " + highlight.name() + "; highlight " + highlight.name());
            }
            if (!model.graph().reachableFrom(of.node()).get(highlight.node().id())) {
                throw ChainException.semantic(at, "no path runs from " + highlight.label() + " to " + of.label() + ": "
                        + of.label() + " does not depend on " + highlight.label());
            }
        }
        return located(of.span(), () -> new Result.Dot(of.label(),
                model.dot(of.node(), highlight == null ? null : highlight.node(), options.digits())));
    }
}
