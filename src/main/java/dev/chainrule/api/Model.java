package dev.chainrule.api;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.Sweeps;
import dev.chainrule.check.CheckReport;
import dev.chainrule.check.GradientCheck;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Span;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.diag.UsageException;
import dev.chainrule.explain.Explainer;
import dev.chainrule.explain.Explanation;
import dev.chainrule.graph.rewrite.Canonical;
import dev.chainrule.graph.Graph;
import dev.chainrule.io.BoundedRead;
import dev.chainrule.io.FileRefused;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.lang.Ast;
import dev.chainrule.lang.Command;
import dev.chainrule.lang.ModelBuilder;
import dev.chainrule.model.ModelOptions;
import dev.chainrule.model.Scope;
import dev.chainrule.lang.SourceParser;
import dev.chainrule.print.DotPrinter;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import dev.chainrule.train.GradientDescent;
import dev.chainrule.train.Trainer;
import dev.chainrule.train.Optimizer;
import dev.chainrule.diag.Progress;
import dev.chainrule.train.Batches;
import dev.chainrule.train.TrainReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model: its source, its names and graph, the current values of its leaves, and the commands
 * its statements asked for. Every method reports a user's mistake as a {@link ChainException}
 * with a place in the model or in the flag that caused it.
 */
public final class Model {
    private final Source source;
    private Scope scope;
    private ModelBuilder builder;
    private List<Command> commands;
    private TrainReport lastTraining;

    private Model(Source source, Scope scope, ModelBuilder builder, List<Command> commands) {
        this.source = source;
        this.scope = scope;
        this.builder = builder;
        this.commands = commands;
    }

    /** Parses and builds a model from text, under the default options. */
    public static Model parse(Source source) {
        return parse(source, ModelOptions.DEFAULT);
    }

    /** Parses and builds a model from text under {@code options} (limits, folders it may read). */
    public static Model parse(Source source, ModelOptions options) {
        Scope scope = new Scope(options);
        ModelBuilder builder = new ModelBuilder(scope);
        List<Command> commands = builder.build(source);
        return new Model(source, scope, builder, commands);
    }

    /**
     * An empty model that grows one source at a time ({@link #extend}), as a notebook grows cell
     * by cell: a name may be defined again, and what used it is built again.
     */
    public static Model session(ModelOptions options) {
        Scope scope = new Scope(options);
        return new Model(new Source("session", ""), scope, new ModelBuilder(scope).allowRedefinition(), new ArrayList<>());
    }

    /** What one more source added to a session: its commands, and the names built again because something they use changed. */
    public record Extension(List<Command> commands, List<String> rebuilt) {
    }

    /** Parses and builds one more source into this model (a notebook cell); the same way a file is built. */
    public Extension extend(Source more) {
        List<Command> added = builder.build(more);
        commands.addAll(added);
        return new Extension(added, builder.takeRebuilt());
    }

    /** The functions the model wrote with def. */
    public List<String> functions() {
        return builder.functionNames();
    }

    /** What the model was built from: what building it again runs. */
    private ModelBuilder.Replay replay() {
        return builder.replay();
    }

    /**
     * The value of {@code name} with some inputs (or params) replaced by new values, of any
     * shape: the trained model applied to new data. Every other leaf keeps its current value.
     *
     * @param at where the request was made, for diagnostics
     */
    public Tensor predict(String name, Map<String, Tensor> inputs, Span at) {
        Map<String, Tensor> values = leafValuesByName();
        values.putAll(inputs);
        Scope applied = new Scope(scope.options());
        Map<String, String> leftOut = new ModelBuilder(applied).rebuild(replay(), values);
        Node node = applied.lookup(name);
        if (node == null) {
            String reason = leftOut.get(name);
            throw ChainException.semantic(at, reason != null
                    ? "'" + name + "' cannot take the new values: " + reason
                    : "unknown name '" + name + "'" + Suggestions.didYouMean(name, scope.names()));
        }
        return Forward.values(applied.graph(), applied.leafValues(), node)[node.id()];
    }

    /** Parses and builds a model from text, named {@code name} in diagnostics. */
    public static Model parse(String name, String text) {
        return parse(new Source(name, text));
    }

    /** Reads, parses and builds a model file under the default options. */
    public static Model load(Path path) {
        return load(path, ModelOptions.DEFAULT);
    }

    /**
     * Reads, parses and builds a model file under {@code options}. Only a regular file is read (a
     * FIFO or a device is refused, never waited on), and at most {@link Source#MAX_BYTES}; what a
     * model may grow to is then guarded by what it builds (the limits on nodes and elements).
     */
    public static Model load(Path path, ModelOptions options) {
        try {
            String text = BoundedRead.model(path);
            return parse(new Source(path.toString(), text), options);
        } catch (FileRefused e) {
            throw new UsageException(e.getMessage());
        }
    }

    public Source source() {
        return source;
    }

    public Scope scope() {
        return scope;
    }

    public Graph graph() {
        return scope.graph();
    }

    /** The commands of the model's statements, in order. */
    public List<Command> commands() {
        return commands;
    }

    /**
     * The node of an expression given as text, such as the value of {@code --of}; its
     * diagnostics name {@code flag} as their source.
     */
    public Node node(String flag, String expression) {
        Source text = new Source(flag, expression);
        Ast.Expr e = SourceParser.parseExpression(text);
        int before = graph().size();
        Node node = builder.expr(e);
        graph().markFrom(before, text.whole());
        return node;
    }

    /**
     * What {@code flag} (such as {@code --wrt}) names, read by the language's grammar: leaves,
     * defined nodes, members of families, names made inside calls, and single elements of any of
     * them ({@code w5, W1[0, 1], h[2], h1.net}); every param, whole, when the text is null or blank.
     */
    public List<Command.Wrt> targets(String flag, String text) {
        if (text == null || text.isBlank()) {
            List<Command.Wrt> params = new ArrayList<>();
            scope.params().forEach(p -> params.add(Command.Wrt.of(p)));
            if (params.isEmpty()) {
                throw new UsageException("the model has no param; name what to differentiate against with " + flag);
            }
            return params;
        }
        List<Command.Wrt> targets = new ArrayList<>();
        for (Ast.Target t : SourceParser.parseTargets(new Source(flag, text))) {
            targets.add(builder.target(t));
        }
        return targets;
    }

    /** The one target {@code flag} names. */
    public Command.Wrt target(String flag, String text) {
        List<Command.Wrt> targets = targets(flag, text);
        if (targets.size() != 1) {
            throw ChainException.semantic(new Source(flag, text).whole(), flag + " takes one name here, not " + targets.size());
        }
        return targets.get(0);
    }

    /**
     * What training moves: the whole leaves {@code flag} names, or, when the text is blank, the
     * params {@code loss} depends on.
     */
    public List<Node> trainable(String flag, String text, Node loss) {
        if (text == null || text.isBlank()) {
            List<Node> params = builder.paramsUnder(loss);
            if (params.isEmpty()) {
                throw new UsageException("the loss depends on no param, so training has nothing to move; name inputs with " + flag);
            }
            return params;
        }
        return leaves(flag, text);
    }

    /** The whole leaves {@code flag} names (what training moves), or every param when the text is blank. */
    public List<Node> leaves(String flag, String text) {
        List<Node> leaves = new ArrayList<>();
        for (Command.Wrt w : targets(flag, text)) {
            if (!w.isWholeLeaf()) {
                throw ChainException.semantic(w.span(), "training moves inputs and params, whole; '" + w.label() + "' is "
                        + (w.node().isLeaf() ? "one element of one" : "computed from them"));
            }
            leaves.add(w.node());
        }
        return leaves;
    }

    /**
     * Applies {@code name=value} (a {@code --set} flag) to an input or param; the value is a
     * number, or a literal such as {@code [1, 2]} of the leaf's shape.
     */
    public void set(String assignment) {
        setAll(List.of(assignment));
    }

    /**
     * Applies several {@code name=value} flags together. Inputs may take values of a new shape
     * (new data for a trained model): the model is then built again with all of them at once,
     * before anything runs.
     */
    public void setAll(List<String> assignments) {
        Map<String, Tensor> reshaped = new LinkedHashMap<>();
        for (String assignment : assignments) {
            Map.Entry<Node, Tensor> set = parseSet(assignment);
            if (set.getKey().shape().equals(set.getValue().shape())) {
                scope.setLeafValue(set.getKey(), set.getValue());
            } else {
                reshaped.put(set.getKey().leafName(), set.getValue());
            }
        }
        if (!reshaped.isEmpty()) {
            rebuildWith(reshaped);
        }
    }

    /**
     * The mini-batches {@code flag} asks for: {@code size} rows of the model's data (its one data
     * statement) or of the two inputs {@code over} names, for the loss {@code loss} (a name).
     */
    public Command.Batch batches(String flag, int size, String overFlag, String over, Command.Target loss) {
        Node x;
        Node y;
        if (over != null) {
            List<Command.Wrt> pair = targets(overFlag, over);
            if (pair.size() != 2) {
                throw new UsageException(overFlag + " names two inputs, the examples and their targets, as in " + overFlag + " X,y");
            }
            for (Command.Wrt w : pair) {
                if (!w.isWholeLeaf() || w.node().leafKind() != dev.chainrule.graph.LeafKind.INPUT) {
                    throw ChainException.semantic(w.span(), overFlag + " names the two inputs whose rows make the batches; '"
                            + w.label() + "' is " + (w.isWholeLeaf() ? "a param" : w.node().isLeaf() ? "one element of an input"
                            : "computed from them"));
                }
            }
            x = pair.get(0).node();
            y = pair.get(1).node();
        } else {
            List<Node[]> data = builder.dataInputs();
            if (data.size() != 1) {
                throw new UsageException(flag + " takes rows of the model's data, and it has " + data.size()
                        + " data statements; name the inputs with " + overFlag + " X,y");
            }
            x = data.get(0)[0];
            y = data.get(0)[1];
        }
        if (x.shape().rank() == 0 || y.shape().rank() == 0 || x.shape().dim(0) != y.shape().dim(0)) {
            throw new UsageException("batches take rows of two inputs with one row each per example; here '" + x.leafName() + "' is "
                    + x.shape() + " and '" + y.leafName() + "' is " + y.shape());
        }
        int n = x.shape().dim(0);
        if (size < 1 || size > n) {
            throw new UsageException(flag + " is a whole number of rows from 1 to " + n + ", not " + size);
        }
        if (scope.lookup(loss.label()) != loss.node()) {
            throw new UsageException("training in batches builds the loss again for each batch, so --of must name it, not '"
                    + loss.label() + "'");
        }
        return new Command.Batch(size, x, y);
    }

    /**
     * Sets the params from a params file (written by {@code save params to ...}); names and shapes
     * are checked both ways, and nothing is set unless all of them fit.
     *
     * @param written how the file is named in messages
     */
    public void loadParams(Path file, String written) throws FileRefused, dev.chainrule.model.ParamsFile.Refused {
        String text = BoundedRead.text(file, Source.MAX_BYTES, "the most a params file may hold");
        dev.chainrule.model.ParamsFile.read(scope, text, written).forEach(scope::setLeafValue);
    }

    /** {@code name=value}, read by the grammar's assignment rule; the value is numbers only. */
    private Map.Entry<Node, Tensor> parseSet(String assignment) {
        Ast.Binding binding = SourceParser.parseAssignment(new Source("--set", assignment));
        String name = binding.name().name();
        Span nameSpan = binding.name().span();
        Node node = scope.lookup(name);
        if (node == null) {
            throw ChainException.semantic(nameSpan, "unknown name '" + name + "'" + Suggestions.didYouMean(name, scope.names()));
        }
        if (!node.isLeaf()) {
            throw ChainException.semantic(nameSpan, "'" + name + "' is not an input or param; only leaves can be set");
        }
        Ast.Expr written = binding.value();
        Tensor value = numbers(written) ? builder.constant(written) : null;
        if (value == null || !value.allFinite()) {
            throw ChainException.semantic(written.span(), "'" + written.span().text()
                    + "' is not a finite number (nor a literal such as [1, 2])");
        }
        if (!value.shape().equals(node.shape()) && node.leafKind() == dev.chainrule.graph.LeafKind.PARAM) {
            throw ChainException.semantic(written.span(), "'" + name + "' is a " + node.shape() + " param, and this is "
                    + (value.shape().isScalar() ? "a scalar" : "a " + value.shape() + " value"));
        }
        return Map.entry(node, value);
    }

    /** True for a number, a literal, or either with a minus sign: what a value given on the command line may be. */
    private static boolean numbers(Ast.Expr e) {
        Ast.Expr inner = e instanceof Ast.Unary u ? u.operand() : e;
        return inner instanceof Ast.Number || inner instanceof Ast.Literal;
    }

    /** Every leaf's current value by name, to build the model again with some of them replaced. */
    private Map<String, Tensor> leafValuesByName() {
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (Node leaf : graph().leaves()) {
            values.put(leaf.leafName(), scope.leafValue(leaf));
        }
        return values;
    }

    /**
     * Builds the model again with an input of a new shape (new data for a trained model): names,
     * graph and statements, with every other leaf at its current value. Done before anything runs.
     */
    private void rebuildWith(Map<String, Tensor> inputs) {
        Map<String, Tensor> values = leafValuesByName();
        values.putAll(inputs);
        Scope rebuilt = new Scope(scope.options());
        ModelBuilder again = new ModelBuilder(rebuilt);
        List<Command> rebuiltCommands = again.build(replay(), values);
        scope = rebuilt;
        builder = again;
        commands = rebuiltCommands;
    }


    /** The value of a node at the current leaf values. */
    public Tensor value(Node node) {
        return Forward.values(graph(), scope.leafValues(), node)[node.id()];
    }

    /** The value of every name, in definition order. */
    public Map<String, Tensor> values() {
        List<Node> nodes = new ArrayList<>();
        for (String name : scope.names()) {
            nodes.add(scope.lookup(name));
        }
        Tensor[] values = Forward.values(graph(), scope.leafValues(), nodes.toArray(Node[]::new));
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (String name : scope.names()) {
            byName.put(name, values[scope.lookup(name).id()]);
        }
        return byName;
    }

    /**
     * {@code ∂of/∂leaf} for each leaf, by reverse mode, keyed by leaf name; each gradient has its
     * leaf's shape.
     *
     * @throws IllegalArgumentException when {@code of} is not a scalar
     */
    public Map<String, Tensor> gradient(Node of, List<Node> wrt) {
        return valueAndGradient(of, wrt).gradient();
    }

    /** A scalar's value and its gradient, keyed by leaf name, from one forward and one backward sweep. */
    public record ValueAndGradient(double value, Map<String, Tensor> gradient) {
    }

    /**
     * {@code of}'s value and {@link #gradient}: the value from the gradient's own forward sweep, so
     * a large model is not swept forward a second time for it.
     */
    public ValueAndGradient valueAndGradient(Node of, List<Node> wrt) {
        requireScalar(of);
        Sweeps sweeps = Sweeps.of(graph(), scope.leafValues(), of, wrt);
        double value = sweeps.forward();
        Tensor[] gradient = sweeps.backward();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (int i = 0; i < wrt.size(); i++) {
            byName.put(wrt.get(i).leafName(), gradient[i]);
        }
        return new ValueAndGradient(value, byName);
    }

    /** The simplified symbolic derivative {@code ∂of/∂wrt}, a node of this model's graph. */
    public Node derivative(Node of, Node wrt, Span span) {
        requireScalar(of);
        int before = graph().size();
        Node d = canonical(Gradients.symbolic(graph(), of, wrt));
        graph().markFrom(before, span);
        return d;
    }

    /** Derivatives of up to this many nodes are written in canonical form; larger ones as the sweep made them. */
    static final int CANONICAL_UP_TO = 20_000;

    /** A derivative in the form it is written in: canonical, with the model's names as atoms, when it is small enough. */
    private Node canonical(Node d) {
        return Canonical.size(d) <= CANONICAL_UP_TO ? Canonical.of(graph(), d, n -> scope.nameOf(n) != null) : d;
    }

    private static void requireScalar(Node of) {
        if (!of.shape().isScalar()) {
            throw new IllegalArgumentException("gradients are taken of scalars, not of a " + of.shape() + " value");
        }
    }

    /** Writes a node's expression in the user's names. */
    public ExprPrinter.Printed print(Node node, Format format) {
        return new ExprPrinter(graph(), format, scope::nameOf).print(node);
    }

    /**
     * {@code node} as a formula refers to it: a named node by its name ({@code ∂net_o1/∂w5 =
     * out_h1}, as the tutorial writes it, not {@code sigmoid(net_h1)}), anything else printed.
     */
    public String reference(Node node, Format format) {
        return new ExprPrinter(graph(), format, scope::nameOf).reference(node);
    }

    /** {@code node} printed with the temporaries that are adjoints of named nodes named after them ({@link #adjointNames}). */
    public ExprPrinter.Printed print(Node node, Format format, Map<Integer, String> adjoints) {
        return new ExprPrinter(graph(), format, scope::nameOf).namingAdjoints(n -> adjoints.get(n.id())).print(node);
    }

    /** Named nodes between a derivative's output and its variable: past this many, their adjoints are not looked for. */
    static final int ADJOINTS_NAMED_UP_TO = 32;

    /**
     * The adjoints of the named nodes between {@code of} and {@code wrt}, each in the canonical
     * form a derivative is written in, by node id to the name of the node they are the adjoint
     * of: a part of {@code derive}'s result that is {@code ∂of/∂net_o1} can then be written
     * {@code δ_net_o1}, as backpropagation names it. Empty for models with many named nodes there.
     */
    public Map<Integer, String> adjointNames(Node of, Node wrt) {
        BitSet between = Gradients.involved(graph(), of, List.of(wrt));
        List<Node> named = new ArrayList<>();
        for (int id = between.nextSetBit(0); id >= 0; id = between.nextSetBit(id + 1)) {
            Node n = graph().get(id);
            if (n != of && n != wrt && !n.isLeaf() && scope.nameOf(n) != null) {
                named.add(n);
                if (named.size() > ADJOINTS_NAMED_UP_TO) {
                    return Map.of();
                }
            }
        }
        Map<Integer, String> names = new HashMap<>();
        if (named.isEmpty()) {
            return names;
        }
        List<Node> wrts = new ArrayList<>(named);
        wrts.add(0, wrt);
        Map<Node, Node> adjoints = Gradients.symbolic(graph(), of, wrts);
        for (Node n : named) {
            names.putIfAbsent(canonical(adjoints.get(n)).id(), scope.nameOf(n));
        }
        return names;
    }

    public Explanation explain(Node of, String label, Node wrt, Span span) {
        return new Explainer(scope).explain(of, label, wrt, span);
    }

    /**
     * This model with {@code targets} made leaves, each keeping its value and name: derivatives
     * with respect to them are with their inputs held fixed ({@link Scope#cut}).
     */
    Model cut(List<Node> targets, List<String> names, Scope.Cut[] made) {
        List<Tensor> values = new ArrayList<>();
        Tensor[] all = Forward.values(graph(), scope.leafValues(), targets.toArray(Node[]::new));
        for (Node t : targets) {
            values.add(all[t.id()]);
        }
        Scope.Cut cut = scope.cut(targets, names, values);
        made[0] = cut;
        return new Model(source, cut.scope(), new ModelBuilder(cut.scope()), new ArrayList<>());
    }

    public CheckReport check(Node of, String label, List<Node> wrt, double rtol, double atol) {
        return check(of, label, wrt, rtol, atol, 0);
    }

    /** A check of at most {@code samples} elements (a seeded sample), or of all when it is 0. */
    public CheckReport check(Node of, String label, List<Node> wrt, double rtol, double atol, int samples) {
        return check(of, label, wrt, rtol, atol, samples, Progress.NONE);
    }

    /** A check that tells {@code progress} about each element it compares. */
    public CheckReport check(Node of, String label, List<Node> wrt, double rtol, double atol, int samples, Progress progress) {
        return check(of, label, wrt, null, rtol, atol, samples, progress);
    }

    /** A check of one element {@code only[i]} of leaf {@code i} (-1 for all of its elements). */
    public CheckReport check(Node of, String label, List<Node> wrt, int[] only, double rtol, double atol, int samples,
                             Progress progress) {
        requireScalar(of);
        return new GradientCheck(graph(), scope.leafValues()).check(of, label, wrt, only, rtol, atol, samples, progress);
    }

    /** Gradient descent on the leaves of {@code wrt}; the model keeps the trained values. */
    public TrainReport train(Node loss, String label, List<Node> wrt, double lr, int steps) {
        return train(loss, label, wrt, lr, steps, Optimizer.Kind.SGD);
    }

    /** Training with an optimizer; the model keeps the trained values and the report of the last training. */
    public TrainReport train(Node loss, String label, List<Node> wrt, double lr, int steps, Optimizer.Kind optimizer) {
        return train(loss, label, wrt, lr, steps, optimizer, Progress.NONE);
    }

    /** Training that reports each step to {@code progress}. */
    public TrainReport train(Node loss, String label, List<Node> wrt, double lr, int steps, Optimizer.Kind optimizer,
                             Progress progress) {
        requireScalar(loss);
        lastTraining = GradientDescent.run(graph(), scope.leafValues(), loss, label, wrt, lr, steps, optimizer, progress);
        return lastTraining;
    }

    /**
     * Training on mini-batches of {@code batch} rows of the inputs {@code x} and {@code y}: the
     * model is built once more for batch-sized inputs, trained there batch by batch, and the
     * trained values of {@code wrt} come back to this model.
     *
     * @param loss the name of the loss
     */
    public TrainReport trainInBatches(String loss, List<Node> wrt, double lr, int steps, Optimizer.Kind optimizer,
                                      int batch, Node x, Node y, Progress progress, Span at) {
        Batched b = batched(loss, wrt, batch, x, y, at);
        Node whole = scope.lookup(loss);
        double before = value(whole).item();
        TrainReport report = GradientDescent.run(b.scope.graph(), b.scope.leafValues(), b.loss, loss, b.wrt, lr,
                steps, optimizer, progress, step -> b.feedNext());
        b.storeInto(this, wrt);
        // the summary ends with the loss on all the data, not on the last mini-batch
        lastTraining = report.inBatches(batch, scope.leafValue(x).shape().dim(0), before, value(whole).item());
        return lastTraining;
    }

    /**
     * The model built once more for mini-batches of {@code batch} rows of the inputs {@code x}
     * and {@code y}, with the first batch in place.
     */
    private Batched batched(String loss, List<Node> wrt, int batch, Node x, Node y, Span at) {
        Batches batches = new Batches(scope.leafValue(x), scope.leafValue(y), batch);
        Tensor[] first = batches.next();
        Map<String, Tensor> values = leafValuesByName();
        values.put(x.leafName(), first[0]);
        values.put(y.leafName(), first[1]);
        Scope batchScope = new Scope(scope.options());
        Map<String, String> leftOut = new ModelBuilder(batchScope).rebuild(replay(), values);
        Node batchLoss = batchScope.lookup(loss);
        if (batchLoss == null) {
            throw ChainException.semantic(at, "'" + loss + "' cannot take batches of " + batch + " rows: " + leftOut.get(loss));
        }
        List<Node> batchWrt = new ArrayList<>();
        for (Node leaf : wrt) {
            batchWrt.add(batchScope.lookup(leaf.leafName()));
        }
        return new Batched(batchScope, batchLoss, batchWrt, batchScope.lookup(x.leafName()), batchScope.lookup(y.leafName()),
                batches, first);
    }

    /** A model built for mini-batches: its scope, its loss and trained leaves, where the rows go, and the rows to come. */
    private static final class Batched {
        private final Scope scope;
        private final Node loss;
        private final List<Node> wrt;
        private final Node x;
        private final Node y;
        private final Batches batches;
        /** The batch the model was built with, until the first step takes it. */
        private Tensor[] first;

        Batched(Scope scope, Node loss, List<Node> wrt, Node x, Node y, Batches batches, Tensor[] first) {
            this.scope = scope;
            this.loss = loss;
            this.wrt = wrt;
            this.x = x;
            this.y = y;
            this.batches = batches;
            this.first = first;
        }

        /** Puts the rows of the next step in place: the batch the model was built with first, then the next ones. */
        void feedNext() {
            Tensor[] rows = first != null ? first : batches.next();
            first = null;
            scope.setLeafValue(x, rows[0]);
            scope.setLeafValue(y, rows[1]);
        }

        /** Copies the trained values of its leaves to the same leaves {@code wrt} of {@code model}. */
        void storeInto(Model model, List<Node> wrt) {
            for (int i = 0; i < wrt.size(); i++) {
                model.scope.setLeafValue(wrt.get(i), scope.leafValue(this.wrt.get(i)));
            }
        }
    }

    /**
     * Training that goes on from where it stopped, for a page's step, play and pause: each
     * {@link Training#step} moves the params once; {@link Training#store} puts them back in this
     * model. With {@code batch > 0} each step takes the next {@code batch} rows of {@code x} and
     * {@code y} (the model is built once more for them, as {@link #trainInBatches} does).
     *
     * @param label the loss as the user calls it, for messages
     */
    public Training training(Node loss, String label, List<Node> wrt, double lr, Optimizer.Kind optimizer, int batch,
                             Node x, Node y, Span at) {
        requireScalar(loss);
        if (batch <= 0 || x == null || y == null) {
            Trainer trainer = new Trainer(graph(), scope.leafValues(), loss, wrt, lr, optimizer);
            return new Training(trainer, label, () -> { }, trainer::store);
        }
        Batched b = batched(scope.nameOf(loss), wrt, batch, x, y, at);
        Trainer trainer = new Trainer(b.scope.graph(), b.scope.leafValues(), b.loss, b.wrt, lr, optimizer);
        return new Training(trainer, label, b::feedNext, () -> {
            trainer.store();
            b.storeInto(this, wrt);
        });
    }

    /** A training run a page steps through; see {@link Model#training}. */
    public static final class Training {
        private final Trainer trainer;
        private final String label;
        private final Runnable beforeStep;
        private final Runnable store;

        private Training(Trainer trainer, String label, Runnable beforeStep, Runnable store) {
            this.trainer = trainer;
            this.label = label;
            this.beforeStep = beforeStep;
            this.store = store;
        }

        /**
         * One step after {@code done} steps: the loss on this step's rows at the current params,
         * then one move of them.
         *
         * @return the loss before the step
         * @throws ChainException when the step leaves the real numbers, in the words training
         *                        on the command line uses (the params are left as they were)
         */
        public double step(int done) {
            try {
                beforeStep.run();
                double loss = trainer.finiteLoss(label, done, Trainer.OPEN);
                trainer.update();
                return loss;
            } catch (ChainException e) {
                throw trainer.stopped(e, done, Trainer.OPEN);
            }
        }

        /** Puts the current params back in the model. */
        public void store() {
            store.run();
        }
    }

    /** The report of the last training, or null before any. */
    public TrainReport lastTraining() {
        return lastTraining;
    }

    /** Graphviz DOT of the graph under {@code of}, with values and gradients. */
    public String dot(Node of, int digits) {
        return dot(of, null, digits);
    }

    /**
     * Graphviz DOT of the graph under {@code of}, with values and gradients, and the paths from
     * {@code highlight} to {@code of} drawn out with the local derivative on each edge (null for
     * none).
     */
    public String dot(Node of, Node highlight, int digits) {
        BitSet reach = graph().reachableFrom(of);
        Tensor[] values = Forward.values(graph(), scope.leafValues(), reach, of);
        Object[] gradients = of.shape().isScalar()
                ? Gradients.numericAdjoints(graph(), values, of, graph().leaves()) : new Object[0];
        for (Object g : gradients) {
            if (g != null && !((Tensor) g).allFinite()) {
                // a gradient that left the real numbers is reported at the node that made it so, as grad reports it
                dev.chainrule.autodiff.Anomalies.backward(graph(), values, of, graph().leaves());
                break;
            }
        }
        DotPrinter.Highlight paths = highlight == null ? null : dev.chainrule.explain.Paths.of(graph(), of, highlight, values, digits);
        return DotPrinter.print(graph(), of, scope::nameOf, values, gradients, paths, digits);
    }
}
