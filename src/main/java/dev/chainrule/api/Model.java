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
import dev.chainrule.train.Optimizer;
import dev.chainrule.diag.Progress;
import dev.chainrule.train.Batches;
import dev.chainrule.train.TrainReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model: its source, its names and graph, the current values of its leaves, and the commands
 * its statements asked for. Every method reports a user's mistake as a {@link ChainException}
 * with a place in the model or in the flag that caused it.
 */
public final class Model {
    private static final String NUMBER = "[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?";

    private final Source source;
    private Scope scope;
    private List<Command> commands;
    private TrainReport lastTraining;

    private final List<Ast.Stmt> statements;

    private Model(Source source, Ast.Program program, Scope scope, List<Command> commands) {
        this.source = source;
        this.statements = new ArrayList<>(program.statements());
        this.scope = scope;
        this.commands = commands;
    }

    /**
     * A model over a scope that something else builds, such as a notebook session adding a
     * cell at a time; {@link #append} records each cell's statements for {@link #predict}.
     */
    public static Model of(Scope scope) {
        return new Model(new Source("notebook", ""), new Ast.Program(List.of()), scope, new ArrayList<>());
    }

    /** Records statements that were built into this model's scope elsewhere (a notebook cell). */
    public void append(Ast.Program more) {
        statements.addAll(more.statements());
    }

    private Ast.Program program() {
        return new Ast.Program(statements);
    }

    /** Parses and builds a model from text, under the default options. */
    public static Model parse(Source source) {
        return parse(source, ModelOptions.DEFAULT);
    }

    /** Parses and builds a model from text under {@code options} (limits, folders it may read). */
    public static Model parse(Source source, ModelOptions options) {
        Scope scope = new Scope(options);
        Ast.Program program = SourceParser.parse(source);
        List<Command> commands = new ModelBuilder(scope).build(program);
        return new Model(source, program, scope, commands);
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
        Map<String, String> leftOut = new ModelBuilder(applied).rebuild(program(), values);
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
            String text = BoundedRead.text(path, Source.MAX_BYTES, "the most a model file may hold");
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
        Node node = new ModelBuilder(scope).expr(e);
        graph().markFrom(before, text.whole());
        return node;
    }

    /** The leaf named {@code name}, given in {@code flag} (for example {@code --wrt}). */
    public Node leaf(String flag, String name) {
        Source text = new Source(flag, name);
        return new ModelBuilder(scope).leaf(new Ast.NameRef(name.trim(), text.whole()));
    }

    /** A leaf, or one element of a tensor leaf ({@code element} is its flat position, -1 for the whole leaf). */
    public record Element(Node leaf, int element) {
    }

    /** The leaf or leaf element written in {@code flag}: {@code w5}, {@code W1[0, 1]}. */
    public Element element(String flag, String text) {
        Source source = new Source(flag, text);
        int open = text.indexOf('[');
        String name = (open < 0 ? text : text.substring(0, open)).trim();
        Node leaf = new ModelBuilder(scope).leaf(new Ast.NameRef(name, source.spanAt(Math.max(0, text.indexOf(name)), Math.max(1, name.length()))));
        if (open < 0) {
            return new Element(leaf, -1);
        }
        int close = text.lastIndexOf(']');
        if (close < open) {
            throw ChainException.semantic(source.spanAt(open, 1), "expected ']' to close the index");
        }
        List<Integer> positions = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        int at = open + 1;
        for (String part : text.substring(open + 1, close).split(",", -1)) {
            String p = part.trim();
            Span span = source.spanAt(at + Math.max(0, part.indexOf(p)), Math.max(1, p.length()));
            if (!p.matches("-?[0-9]+")) {
                throw ChainException.semantic(span, "an index is a whole number, not '" + p + "'");
            }
            positions.add(Integer.parseInt(p));
            spans.add(span);
            at += part.length() + 1;
        }
        return new Element(leaf, ModelBuilder.element(leaf, positions, spans, source.whole()));
    }

    /** The leaves of a comma-separated list, or every param when {@code names} is null or blank. */
    public List<Node> leaves(String flag, String names) {
        if (names == null || names.isBlank()) {
            List<Node> params = scope.params();
            if (params.isEmpty()) {
                throw new UsageException("the model has no param; name the leaves with " + flag);
            }
            return params;
        }
        List<Node> leaves = new ArrayList<>();
        int offset = 0;
        for (String part : names.split(",", -1)) {
            String name = part.trim();
            Source text = new Source(flag, names);
            int at = offset + part.indexOf(name);
            Span span = text.spanAt(at, Math.max(1, name.length()));
            leaves.add(new ModelBuilder(scope).leaf(new Ast.NameRef(name, span)));
            offset += part.length() + 1;
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

    private Map.Entry<Node, Tensor> parseSet(String assignment) {
        Source text = new Source("--set", assignment);
        int eq = assignment.indexOf('=');
        if (eq < 0) {
            throw ChainException.semantic(text.whole(), "expected name=value");
        }
        String name = assignment.substring(0, eq).trim();
        Span nameSpan = name.isEmpty() ? text.spanAt(eq, 1) : text.spanAt(assignment.indexOf(name), name.length());
        Node node = scope.lookup(name);
        if (node == null) {
            throw ChainException.semantic(nameSpan, "unknown name '" + name + "'" + Suggestions.didYouMean(name, scope.names()));
        }
        if (!node.isLeaf()) {
            throw ChainException.semantic(nameSpan, "'" + name + "' is not an input or param; only leaves can be set");
        }
        String written = assignment.substring(eq + 1).trim();
        Span valueSpan = written.isEmpty() ? text.spanAt(eq, 1)
                : text.spanAt(assignment.indexOf(written, eq + 1), written.length());
        Tensor value;
        if (written.matches(NUMBER)) {
            value = Tensor.scalar(Double.parseDouble(written));
        } else if (written.startsWith("[")) {
            Ast.Expr e = SourceParser.parseExpression(new Source("--set", written));
            value = e instanceof Ast.Literal l ? l.value() : null;
        } else {
            value = null;
        }
        if (value == null || !value.allFinite()) {
            throw ChainException.semantic(valueSpan, "'" + written + "' is not a finite number (nor a literal such as [1, 2])");
        }
        if (!value.shape().equals(node.shape())) {
            if (node.leafKind() == dev.chainrule.graph.LeafKind.PARAM) {
                throw ChainException.semantic(valueSpan, "'" + name + "' is a " + node.shape() + " param, and this is "
                        + (value.shape().isScalar() ? "a scalar" : "a " + value.shape() + " value"));
            }
        }
        return Map.entry(node, value);
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
        List<Command> rebuiltCommands = new ModelBuilder(rebuilt).build(program(), values);
        scope = rebuilt;
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
        requireScalar(of);
        Sweeps sweeps = Sweeps.of(graph(), scope.leafValues(), of, wrt);
        sweeps.forward();
        Tensor[] gradient = sweeps.backward();
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (int i = 0; i < wrt.size(); i++) {
            byName.put(wrt.get(i).leafName(), gradient[i]);
        }
        return byName;
    }

    /** The simplified symbolic derivative {@code ∂of/∂wrt}, a node of this model's graph. */
    public Node derivative(Node of, Node wrt, Span span) {
        requireScalar(of);
        int before = graph().size();
        Node d = Gradients.symbolic(graph(), of, wrt);
        graph().markFrom(before, span);
        return d;
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

    public Explanation explain(Node of, String label, Node wrt, Span span) {
        return new Explainer(scope).explain(of, label, wrt, span);
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
        requireScalar(of);
        return new GradientCheck(graph(), scope.leafValues()).check(of, label, wrt, rtol, atol, samples, progress);
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
        Batches batches = new Batches(scope.leafValue(x), scope.leafValue(y), batch);
        Tensor[] first = batches.next();
        Map<String, Tensor> values = leafValuesByName();
        values.put(x.leafName(), first[0]);
        values.put(y.leafName(), first[1]);
        Scope batchScope = new Scope(scope.options());
        Map<String, String> leftOut = new ModelBuilder(batchScope).rebuild(program(), values);
        Node batchLoss = batchScope.lookup(loss);
        if (batchLoss == null) {
            throw ChainException.semantic(at, "'" + loss + "' cannot take batches of " + batch + " rows: " + leftOut.get(loss));
        }
        List<Node> batchWrt = new ArrayList<>();
        for (Node leaf : wrt) {
            batchWrt.add(batchScope.lookup(leaf.leafName()));
        }
        Node bx = batchScope.lookup(x.leafName());
        Node by = batchScope.lookup(y.leafName());
        Tensor[][] pending = {first};
        lastTraining = GradientDescent.run(batchScope.graph(), batchScope.leafValues(), batchLoss, loss, batchWrt, lr,
                steps, optimizer, progress, step -> {
                    Tensor[] rows = step == 0 ? pending[0] : batches.next();
                    batchScope.setLeafValue(bx, rows[0]);
                    batchScope.setLeafValue(by, rows[1]);
                });
        for (int i = 0; i < wrt.size(); i++) {
            scope.setLeafValue(wrt.get(i), batchScope.leafValue(batchWrt.get(i)));
        }
        return lastTraining;
    }

    /** The report of the last training, or null before any. */
    public TrainReport lastTraining() {
        return lastTraining;
    }

    /** Graphviz DOT of the graph under {@code of}, with values and gradients. */
    public String dot(Node of, int digits) {
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
        return DotPrinter.print(graph(), of, scope::nameOf, values, gradients, digits);
    }
}
