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
        if (command instanceof Command.Print p) {
            Map<String, Tensor> values = new LinkedHashMap<>();
            for (Command.Target t : p.targets()) {
                values.put(t.label(), model.value(t.node()));
            }
            return new Result.Values(values);
        }
        if (command instanceof Command.Grad g) {
            return gradient(g.of(), g.wrt());
        }
        if (command instanceof Command.Derive d) {
            return derive(d.of(), d.wrt(), d.span());
        }
        if (command instanceof Command.Explain e) {
            return explain(e.of(), e.wrt(), e.element(), e.span());
        }
        if (command instanceof Command.Check c) {
            return check(c.of(), c.wrt());
        }
        if (command instanceof Command.Train t) {
            return train(t.of(), t.wrt(), t.lr(), t.steps(), t.optimizer(), t.batch(), t.span());
        }
        if (command instanceof Command.Predict p) {
            return new Result.Predicted(p.name(), model.predict(p.name(), p.inputs(), p.span()));
        }
        if (command instanceof Command.Plot p) {
            return plot(p);
        }
        Command.Graph g = (Command.Graph) command;
        return graph(g.of());
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

    public Result.Gradient gradient(Command.Target of, List<Node> wrt) {
        return located(of.span(), () -> {
            requireScalar(of, "gradients are taken");
            return new Result.Gradient(of.label(), model.value(of.node()).item(), model.gradient(of.node(), wrt));
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
        return located(span, () -> {
            requireScalar(of, "derivatives are taken");
            Node d = model.derivative(of.node(), wrt, span);
            String text = model.print(d, options.format()).inline();
            String ascii = model.print(d, Format.ASCII).inline();
            String latex = ExprPrinter.partial(Format.LATEX, of.label(), wrt.leafName()) + " = " + model.print(d, Format.LATEX).inline();
            Graph graph = model.graph();
            int nodes = graph.reachableFrom(d).cardinality();
            Tensor value;
            try {
                value = model.value(d);
            } catch (ChainException notFinite) {
                // the reverse sweep names the node of the function whose derivative left the real numbers
                model.gradient(of.node(), List.of(wrt));
                throw notFinite;
            }
            return new Result.Derivative(of.label(), wrt.leafName(), text, ascii, latex, value, nodes);
        });
    }

    /** The chain-rule explanation of {@code ∂of/∂wrt}. */
    public Result.Explained explain(Command.Target of, Node wrt, dev.chainrule.diag.Span span) {
        return explain(of, wrt, -1, span);
    }

    /**
     * The chain-rule explanation of {@code ∂of/∂wrt}, or of {@code ∂of/∂wrt[element]}. A model
     * with vectors or matrices on the way is explained in its scalar view ({@link Unrolled}),
     * one weight at a time, with the same per-path expansion as a scalar model.
     */
    public Result.Explained explain(Command.Target of, Node wrt, int element, dev.chainrule.diag.Span span) {
        return located(span, () -> {
            requireScalar(of, "explanations are given");
            Scope scope = model.scope();
            Node target = of.node();
            Node leaf = wrt;
            if (element >= 0 || !allScalar(of.node(), wrt)) {
                if (element < 0 && !wrt.shape().isScalar()) {
                    return layers(of, wrt, span);
                }
                Unrolled view = Unrolled.around(scope, of.node(), wrt, Math.max(element, 0));
                scope = view.scope();
                target = view.element(of.node(), 0);
                leaf = view.element(wrt, Math.max(element, 0));
            }
            Explanation e = new Explainer(scope).explain(target, of.label(), leaf, span);
            Graph graph = scope.graph();
            String text = new ExplanationPrinter(graph, scope::nameOf, options.format(), options.digits()).print(e);
            String latex = new ExplanationPrinter(graph, scope::nameOf, Format.LATEX, options.digits()).print(e);
            return new Result.Explained(e.of(), e.wrt(), e.value(), Tensor.scalar(e.gradient()), text, latex);
        });
    }

    /** The vectorised explanation: the delta of each named node, layer by layer. */
    private Result.Explained layers(Command.Target of, Node wrt, dev.chainrule.diag.Span span) {
        Scope scope = model.scope();
        LayerExplainer.Derivation d = new LayerExplainer(scope).explain(of.node(), of.label(), wrt, span);
        Graph graph = scope.graph();
        String text = new LayerPrinter(graph, scope::nameOf, options.format(), options.digits()).print(d);
        String latex = new LayerPrinter(graph, scope::nameOf, Format.LATEX, options.digits()).print(d);
        return new Result.Explained(d.of(), d.wrt(), d.value(), d.gradient(), text, latex);
    }

    private boolean allScalar(Node of, Node wrt) {
        Graph graph = model.graph();
        java.util.BitSet involved = dev.chainrule.autodiff.Gradients.involved(graph, of, List.of(wrt));
        for (int id = involved.nextSetBit(0); id >= 0; id = involved.nextSetBit(id + 1)) {
            if (!graph.get(id).shape().isScalar()) {
                return false;
            }
        }
        return true;
    }

    public Result.Checked check(Command.Target of, List<Node> wrt) {
        return located(of.span(), () -> {
            requireScalar(of, "gradients are checked");
            return new Result.Checked(model.check(of.node(), of.label(), wrt, options.rtol(), options.atol(), options.samples(), progress));
        });
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
        return located(of.span(), () -> {
            return new Result.Dot(of.label(), model.dot(of.node(), options.digits()));
        });
    }
}
