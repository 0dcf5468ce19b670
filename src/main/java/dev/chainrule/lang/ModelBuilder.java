package dev.chainrule.lang;

import dev.chainrule.autodiff.Gradients;
import dev.chainrule.data.Dataset;
import dev.chainrule.train.Optimizer;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Span;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Indexing;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.tensor.ShapeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.chainrule.model.Scope;

/**
 * AST to graph: resolves names and functions, checks arity and that every {@code wrt} is a leaf,
 * interns one node per distinct expression, and turns statements into {@link Command}s. Names
 * must be defined once, before use. Expressions are built in post-order with an explicit stack.
 */
public final class ModelBuilder {
    private final Scope scope;
    private final Graph graph;
    private final Map<String, Span> definedLater = new HashMap<>();
    private final Library library;
    private Map<String, Tensor> overrides = Map.of();
    private boolean redefinitions;
    private final List<String> redefined = new ArrayList<>();
    private java.util.function.BiConsumer<String, Boolean> onDefine = (name, again) -> { };

    public ModelBuilder(Scope scope) {
        this.scope = scope;
        this.graph = scope.graph();
        this.library = new Library(graph, scope);
    }

    /**
     * Lets names be defined again, as notebook cells do: a definition points the name at its new
     * node, and a declaration of an existing leaf of the same shape sets its value.
     */
    public ModelBuilder allowRedefinition() {
        this.redefinitions = true;
        return this;
    }

    /**
     * Called right after each definition, with whether the name was defined before, so a
     * notebook can rebuild what used it before the next statement is built.
     */
    public ModelBuilder onDefine(java.util.function.BiConsumer<String, Boolean> listener) {
        this.onDefine = listener;
        return this;
    }

    /** The names this builder defined again, in order. */
    public List<String> redefined() {
        return redefined;
    }

    /** Builds every statement of {@code program} into the scope, in order. */
    public List<Command> build(Ast.Program program) {
        return build(program, Map.of());
    }

    /**
     * Builds every statement of {@code program} with some leaves given other values than their
     * declarations (of any shape: an input set to new data with {@code --set}).
     */
    public List<Command> build(Ast.Program program, Map<String, Tensor> values) {
        this.overrides = values;
        for (Ast.Stmt statement : program.statements()) {
            if (statement instanceof Ast.Define d) {
                definedLater.putIfAbsent(d.name().name(), d.name().span());
            } else if (statement instanceof Ast.Data d) {
                definedLater.putIfAbsent(d.x().name(), d.x().span());
                definedLater.putIfAbsent(d.y().name(), d.y().span());
            } else if (statement instanceof Ast.Declare d) {
                d.bindings().forEach(b -> definedLater.putIfAbsent(b.name().name(), b.name().span()));
            }
        }
        List<Command> commands = new ArrayList<>();
        for (Ast.Stmt statement : program.statements()) {
            Command command = statement(statement);
            if (command != null) {
                commands.add(command);
            }
        }
        return commands;
    }

    /**
     * Builds the declarations and definitions of {@code program} again with some leaves given
     * other values (of any shape, such as a grid of new inputs): the model applied to new data.
     * Statements are not built, and a definition that cannot take the new shapes is left out
     * (its name stays undefined), so only what the new values reach must fit them.
     *
     * @return the names left out, each with the reason
     */
    public Map<String, String> rebuild(Ast.Program program, Map<String, Tensor> values) {
        Map<String, String> leftOut = new java.util.LinkedHashMap<>();
        for (Ast.Stmt statement : program.statements()) {
            if (statement instanceof Ast.Declare d) {
                for (Ast.Binding b : d.bindings()) {
                    if (scope.lookup(b.name().name()) != null) {
                        continue;
                    }
                    Tensor value = values.containsKey(b.name().name()) ? values.get(b.name().name()) : constant(b.value());
                    scope.declare(b.name().name(), d.kind(), value, b.name().span());
                }
            } else if (statement instanceof Ast.Data d) {
                if (scope.lookup(d.x().name()) != null) {
                    continue;
                }
                boolean both = values.containsKey(d.x().name()) && values.containsKey(d.y().name());
                Dataset data = both ? null : DataSources.load(d, scope.options());
                scope.declare(d.x().name(), dev.chainrule.graph.LeafKind.INPUT,
                        values.getOrDefault(d.x().name(), both ? null : data.x()), d.x().span());
                scope.declare(d.y().name(), dev.chainrule.graph.LeafKind.INPUT,
                        values.getOrDefault(d.y().name(), both ? null : data.y()), d.y().span());
            } else if (statement instanceof Ast.Define d) {
                try {
                    Node node = expr(d.expr());
                    if (scope.lookup(d.name().name()) == null) {
                        scope.define(d.name().name(), node, d.name().span());
                    } else {
                        scope.redefine(d.name().name(), node, d.name().span());
                    }
                    leftOut.remove(d.name().name());
                } catch (ChainException e) {
                    leftOut.put(d.name().name(), e.getMessage());
                }
            }
        }
        return leftOut;
    }

    private Command statement(Ast.Stmt statement) {
        if (statement instanceof Ast.Declare d) {
            for (Ast.Binding b : d.bindings()) {
                Node existing = scope.lookup(b.name().name());
                if (redefinitions && existing != null && existing.isLeaf()) {
                    Tensor value = constant(b.value());
                    if (!value.shape().equals(existing.shape())) {
                        throw ChainException.semantic(b.name().span(), "'" + b.name().name() + "' is a " + existing.shape()
                                + " " + existing.leafKind().keyword() + "; a new value must have that shape (restart to change it)");
                    }
                    scope.setLeafValue(existing, value);
                    continue;
                }
                checkFree(b.name());
                Tensor value = overrides.containsKey(b.name().name()) ? overrides.get(b.name().name()) : constant(b.value());
                scope.declare(b.name().name(), d.kind(), value, b.name().span());
            }
            return null;
        }
        if (statement instanceof Ast.Data d) {
            checkFree(d.x());
            checkFree(d.y());
            Dataset data = overrides.containsKey(d.x().name()) && overrides.containsKey(d.y().name())
                    ? new Dataset(overrides.get(d.x().name()), overrides.get(d.y().name())) : DataSources.load(d, scope.options());
            scope.declare(d.x().name(), dev.chainrule.graph.LeafKind.INPUT, overrides.getOrDefault(d.x().name(), data.x()), d.x().span());
            scope.declare(d.y().name(), dev.chainrule.graph.LeafKind.INPUT, overrides.getOrDefault(d.y().name(), data.y()), d.y().span());
            return null;
        }
        if (statement instanceof Ast.Define d) {
            if (redefinitions && scope.lookup(d.name().name()) != null) {
                Node existing = scope.lookup(d.name().name());
                if (existing.isLeaf() && existing.leafName().equals(d.name().name())) {
                    throw ChainException.semantic(d.name().span(), "'" + d.name().name() + "' is "
                            + (existing.leafKind() == dev.chainrule.graph.LeafKind.INPUT ? "an input" : "a param")
                            + "; it cannot become a definition");
                }
                scope.redefine(d.name().name(), expr(d.expr()), d.name().span());
                redefined.add(d.name().name());
                onDefine.accept(d.name().name(), true);
                return null;
            }
            checkFree(d.name());
            scope.define(d.name().name(), expr(d.expr()), d.name().span());
            onDefine.accept(d.name().name(), false);
            return null;
        }
        if (statement instanceof Ast.Print p) {
            List<Command.Target> targets = new ArrayList<>();
            for (Ast.Expr e : p.exprs()) {
                targets.add(target(e));
            }
            return new Command.Print(targets, p.span());
        }
        if (statement instanceof Ast.GradStmt g) {
            return new Command.Grad(target(g.of()), leavesOrParams(g.wrt(), g.span()), g.span());
        }
        if (statement instanceof Ast.Derive d) {
            return new Command.Derive(target(d.of()), leaf(d.wrt()), d.span());
        }
        if (statement instanceof Ast.Explain e) {
            Node leaf = leaf(e.wrt());
            return new Command.Explain(target(e.of()), leaf, element(leaf, e.positions(), e.positionSpans(), e.wrt().span()), e.span());
        }
        if (statement instanceof Ast.Check c) {
            return new Command.Check(target(c.of()), leavesOrParams(c.wrt(), c.span()), c.span());
        }
        if (statement instanceof Ast.Train t) {
            if (!(t.steps() >= 0 && t.steps() == Math.rint(t.steps()) && t.steps() <= Integer.MAX_VALUE)) {
                throw ChainException.semantic(t.stepsSpan(), "steps must be a whole number of at least 0");
            }
            List<Node> wrt = leavesOrParams(t.wrt(), t.span());
            Optimizer.Kind optimizer = Optimizer.Kind.SGD;
            if (t.optimizer() != null) {
                optimizer = Optimizer.Kind.named(t.optimizer().name());
                if (optimizer == null) {
                    throw ChainException.semantic(t.optimizer().span(), "unknown optimizer '" + t.optimizer().name() + "'"
                            + Suggestions.didYouMean(t.optimizer().name(), Optimizer.Kind.names()) + " (sgd, momentum, adam)");
                }
            }
            return new Command.Train(target(t.of()), t.lr(), (int) t.steps(), wrt, optimizer, batch(t), t.span());
        }
        if (statement instanceof Ast.Predict p) {
            if (scope.lookup(p.name().name()) == null) {
                lookup(p.name().name(), p.name().span());
            }
            Map<String, Tensor> inputs = new java.util.LinkedHashMap<>();
            for (int i = 0; i < p.inputs().size(); i++) {
                Ast.NameRef input = p.inputs().get(i);
                leaf(input);
                inputs.put(input.name(), constant(p.values().get(i)));
            }
            return new Command.Predict(p.name().name(), inputs, p.span());
        }
        if (statement instanceof Ast.Plot p) {
            String kind = p.kind().name();
            if (kind.equals("loss") && p.out() == null) {
                return new Command.Plot(false, null, null, null, p.file(), p.span());
            }
            if (kind.equals("boundary") && p.out() != null) {
                lookup(p.out().name(), p.out().span());
                return new Command.Plot(true, p.out().name(), leaf(p.x()), leaf(p.y()), p.file(), p.span());
            }
            throw ChainException.semantic(p.kind().span(), "plot takes 'loss' or 'boundary OUT over X, y'"
                    + Suggestions.didYouMean(kind, List.of("loss", "boundary")));
        }
        Ast.GraphStmt g = (Ast.GraphStmt) statement;
        return new Command.Graph(target(g.of()), g.span());
    }

    /**
     * The value of an expression of constants, such as the initial value of a param. It is built
     * in a scratch graph, so the model's graph holds only what the model computes.
     */
    private Tensor constant(Ast.Expr e) {
        Deque<Ast.Expr> work = new ArrayDeque<>();
        work.push(e);
        while (!work.isEmpty()) {
            Ast.Expr part = work.pop();
            if (part instanceof Ast.Name n) {
                throw ChainException.semantic(n.span(), "an input or param starts from numbers, not from '"
                        + n.name() + "'; define a name for an expression of other names");
            }
            if (part instanceof Ast.Grad g) {
                throw ChainException.semantic(g.span(), "an input or param starts from numbers, not from a derivative");
            }
            part.children().forEach(work::push);
        }
        Scope scratch = new Scope(scope.options());
        Node node = new ModelBuilder(scratch).expr(e);
        return dev.chainrule.autodiff.Forward.values(scratch.graph(), scratch.leafValues(), node)[node.id()];
    }

    /** The mini-batches of a train statement, checked against the data's shapes, or null. */
    private Command.Batch batch(Ast.Train t) {
        Ast.Batch b = t.batch();
        if (b == null) {
            return null;
        }
        Node x = leaf(b.x());
        Node y = leaf(b.y());
        if (x.shape().rank() == 0 || y.shape().rank() == 0 || x.shape().dim(0) != y.shape().dim(0)) {
            throw ChainException.semantic(b.y().span(), "batches take rows of two inputs with one row each per example; here "
                    + x.shape() + " and " + y.shape());
        }
        int n = x.shape().dim(0);
        if (!(b.size() >= 1 && b.size() == Math.rint(b.size()) && b.size() <= n)) {
            throw ChainException.semantic(b.sizeSpan(), "a batch is a whole number of rows from 1 to " + n);
        }
        if (!(t.of() instanceof Ast.Name)) {
            throw ChainException.semantic(t.of().span(), "training in batches needs the loss to be a name");
        }
        return new Command.Batch((int) b.size(), x, y);
    }

    private Command.Target target(Ast.Expr e) {
        return new Command.Target(expr(e), e.span().text(), e.span());
    }

    private void checkFree(Ast.NameRef name) {
        Span first = scope.definedAt(name.name());
        if (first != null) {
            throw ChainException.semantic(name.span(),
                    "'" + name.name() + "' is already defined at line " + first.line());
        }
    }

    /** The leaves named in a {@code wrt} list, or every param when the list is empty. */
    private List<Node> leavesOrParams(List<Ast.NameRef> names, Span span) {
        List<Node> leaves = new ArrayList<>();
        for (Ast.NameRef name : names) {
            leaves.add(leaf(name));
        }
        if (names.isEmpty()) {
            leaves.addAll(scope.params());
            if (leaves.isEmpty()) {
                throw ChainException.semantic(span, "the model has no param to differentiate against; add 'wrt NAME'");
            }
        }
        return leaves;
    }

    /**
     * The flat position of {@code leaf[positions]} (each a whole number; negative ones count from
     * the end), or -1 when no positions are written.
     */
    public static int element(Node leaf, List<Integer> positions, List<Span> spans, Span whole) {
        if (positions.isEmpty()) {
            return -1;
        }
        Shape shape = leaf.shape();
        if (positions.size() != shape.rank()) {
            throw ChainException.semantic(whole, "'" + leaf.leafName() + "' is a " + shape + " value and takes "
                    + shape.rank() + (shape.rank() == 1 ? " index" : " indices") + ", not " + positions.size());
        }
        int flat = 0;
        for (int axis = 0; axis < positions.size(); axis++) {
            int p = positions.get(axis);
            int n = shape.dim(axis);
            int resolved = p < 0 ? p + n : p;
            if (p == Ast.Index.ALL || resolved < 0 || resolved >= n) {
                throw ChainException.semantic(spans.get(axis), p == Ast.Index.ALL ? "explain takes one element, so a position, not ':'"
                        : "index " + p + " is out of range for axis " + axis + " of a " + shape + " value (0 to " + (n - 1) + ")");
            }
            flat = flat * n + resolved;
        }
        return flat;
    }

    /** {@code x[i, j]}: positions checked against the shape; negative ones count from the end. */
    private Node index(Ast.Index index, Node of) {
        Shape shape = of.shape();
        if (index.positions().size() != shape.rank()) {
            throw ChainException.semantic(index.span(), "a " + shape + " value takes " + shape.rank()
                    + (shape.rank() == 1 ? " index" : " indices") + ", not " + index.positions().size());
        }
        int[] attrs = new int[Indexing.FIELDS * shape.rank()];
        for (int axis = 0; axis < shape.rank(); axis++) {
            int p = index.positions().get(axis);
            if (p == Ast.Index.ALL) {
                System.arraycopy(Indexing.slice(0, shape.dim(axis), 1), 0, attrs, Indexing.FIELDS * axis, Indexing.FIELDS);
                continue;
            }
            int n = shape.dim(axis);
            int resolved = p < 0 ? p + n : p;
            if (resolved < 0 || resolved >= n) {
                throw ChainException.semantic(index.positionSpans().get(axis), "index " + p + " is out of range for axis "
                        + axis + " of a " + shape + " value (0 to " + (n - 1) + ")");
            }
            System.arraycopy(Indexing.position(resolved), 0, attrs, Indexing.FIELDS * axis, Indexing.FIELDS);
        }
        return graph.node(Op.INDEX, attrs, of);
    }

    /** The leaf a {@code wrt} name denotes. */
    public Node leaf(Ast.NameRef name) {
        Node node = lookup(name.name(), name.span());
        if (!node.isLeaf()) {
            throw ChainException.semantic(name.span(), "'" + name.name()
                    + "' is not an input or param; derivatives are taken with respect to leaves");
        }
        return node;
    }

    private Node lookup(String name, Span span) {
        Node node = scope.lookup(name);
        if (node != null) {
            return node;
        }
        Span later = definedLater.get(name);
        if (later != null) {
            throw ChainException.semantic(span,
                    "'" + name + "' is used before its definition at line " + later.line());
        }
        throw ChainException.semantic(span, "unknown name '" + name + "'" + Suggestions.didYouMean(name, scope.names()));
    }

    /** Builds the node of an expression, children before parents, without recursion. */
    public Node expr(Ast.Expr root) {
        Deque<Ast.Expr> work = new ArrayDeque<>();
        Deque<Boolean> expanded = new ArrayDeque<>();
        Deque<Node> built = new ArrayDeque<>();
        work.push(root);
        expanded.push(false);
        while (!work.isEmpty()) {
            Ast.Expr e = work.pop();
            if (expanded.pop()) {
                built.push(node(e, built));
                continue;
            }
            work.push(e);
            expanded.push(true);
            List<Ast.Expr> children = e.children();
            for (int i = children.size() - 1; i >= 0; i--) {
                work.push(children.get(i));
                expanded.push(false);
            }
        }
        return built.pop();
    }

    private Node node(Ast.Expr e, Deque<Node> built) {
        int before = graph.size();
        Node node;
        try {
            node = make(e, built);
        } catch (ShapeException mismatch) {
            throw ChainException.semantic(e.span(), mismatch.getMessage());
        }
        graph.mark(node, e.span());
        graph.markFrom(before, e.span());
        if (node.id() < before && !(e instanceof Ast.Name)) {
            // an expression written before, made one node by hash-consing: this place is remembered too
            graph.markAgain(node, e.span());
        }
        return node;
    }

    private Node make(Ast.Expr e, Deque<Node> built) {
        Node node;
        if (e instanceof Ast.Literal l) {
            node = graph.constant(l.value());
        } else if (e instanceof Ast.Number n) {
            node = graph.constant(n.value());
        } else if (e instanceof Ast.Name n) {
            node = lookup(n.name(), n.span());
        } else if (e instanceof Ast.Unary u) {
            node = graph.node(u.op(), built.pop());
        } else if (e instanceof Ast.Binary b) {
            Node right = built.pop();
            Node left = built.pop();
            node = graph.node(b.op(), left, right);
        } else if (e instanceof Ast.Call c) {
            Node[] args = new Node[c.args().size()];
            for (int i = args.length - 1; i >= 0; i--) {
                args[i] = built.pop();
            }
            node = library.call(c, args);
        } else if (e instanceof Ast.Index i) {
            node = index(i, built.pop());
        } else {
            Ast.Grad g = (Ast.Grad) e;
            Node of = built.pop();
            if (!of.shape().isScalar()) {
                throw ChainException.semantic(g.of().span(), "grad needs a scalar to differentiate, and this is a "
                        + of.shape() + " value; take sum(...) of it first");
            }
            node = Gradients.symbolic(graph, of, leaf(g.wrt()));
        }
        return node;
    }

}
