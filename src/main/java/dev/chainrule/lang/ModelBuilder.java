package dev.chainrule.lang;

import dev.chainrule.data.Dataset;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Span;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.io.BoundedRead;
import dev.chainrule.io.Confinement;
import dev.chainrule.io.FileRefused;
import dev.chainrule.model.Scope;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.train.Optimizer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AST to graph: runs the statements of a model in order, turning definitions into nodes of the
 * scope and the other statements into {@link Command}s. Loops are unrolled and calls inlined
 * ({@link Expressions}); includes read their file in place. Names are defined once, before use,
 * except in a session that allows redefinition (a notebook), where the latest definition wins and
 * whatever used the old one is built again. Statements run from an explicit stack of tasks, so a
 * loop of any length does not recurse.
 */
public final class ModelBuilder {
    private final Scope scope;
    private final Graph graph;
    private final Expressions expressions;
    private final Map<String, Ast.Function> functions = new LinkedHashMap<>();
    /**
     * Where each name of the program is defined, for "used before its definition" (families by
     * family name). Filled only when a name is missing: the sources in {@link #unscanned} are
     * read again then, so that a model that builds needs no second look at its text.
     */
    private final Map<String, Span> definedLater = new HashMap<>();
    private final Map<String, Span> familiesLater = new HashMap<>();
    private final Map<String, Span> functionsLater = new HashMap<>();
    private final List<Source> unscanned = new ArrayList<>();
    /** What was built at the top level, in order, and how many statements of each: what building again runs. */
    private final List<Origin> origins = new ArrayList<>();
    /** The files being included, outermost first, for refusing a cycle. */
    private final List<Path> including = new ArrayList<>();
    /** Every file included so far: a file included again (two files both include a third) adds nothing. */
    private final Set<Path> included = new HashSet<>();
    /** Top-level definitions by name, for building again what used a redefined name. */
    private final Map<String, Ast.Define> definitions = new LinkedHashMap<>();
    /** The source the model starts from (set by the first include), for refusing a cycle back to it. */
    private Source root;
    private Map<String, Tensor> overrides = Map.of();
    private boolean redefinitions;
    private Map<String, String> leftOut;
    private final List<String> rebuilt = new ArrayList<>();
    /** Loop steps run so far by this builder, in all. */
    private long loopSteps;
    /** The inputs of each data statement, in order: {@code X, y}. */
    private final List<Node[]> data = new ArrayList<>();

    public ModelBuilder(Scope scope) {
        this.scope = scope;
        this.graph = scope.graph();
        this.expressions = new Expressions(this, scope);
    }

    /**
     * Lets names be defined again, as notebook cells do: a definition points the name at its new
     * node, a declaration of an existing leaf of the same shape sets its value, a function can be
     * written again, and every definition that used what changed is built again.
     */
    public ModelBuilder allowRedefinition() {
        this.redefinitions = true;
        return this;
    }

    /** The names built again since the last call, because something they used was defined again; then forgets them. */
    public List<String> takeRebuilt() {
        List<String> names = List.copyOf(rebuilt);
        rebuilt.clear();
        return names;
    }

    /** The two inputs of each data statement run so far ({@code data X, y = ...}), in order. */
    public List<Node[]> dataInputs() {
        return List.copyOf(data);
    }

    /**
     * The sources built at the top level so far, in order, each with the number of its statements
     * that ran: what {@link #build(Replay, Map)} and {@link #rebuild} run again. A source is parsed
     * again for it, so the model's statements need not be kept.
     */
    public Replay replay() {
        List<Origin> copies = new ArrayList<>();
        for (Origin o : origins) {
            copies.add(new Origin(o.source, o.statements));
        }
        return new Replay(copies);
    }

    /** What a model was built from, to build it again (see {@link #replay}). */
    public static final class Replay {
        private final List<Origin> origins;

        private Replay(List<Origin> origins) {
            this.origins = origins;
        }
    }

    /** A source read as it is built, and how many of its statements have run. */
    private static final class Origin {
        final Source source;
        int statements;

        Origin(Source source, int statements) {
            this.source = source;
            this.statements = statements;
        }
    }

    /** Builds every statement of {@code source} into the scope, in order, reading it as it is built. */
    public List<Command> build(Source source) {
        this.overrides = Map.of();
        List<Command> commands = new ArrayList<>();
        runFrom(source, Integer.MAX_VALUE, commands);
        return commands;
    }

    /**
     * Builds again what {@code replay} holds, with some leaves given other values than their
     * declarations (of any shape: an input set to new data with {@code --set}).
     */
    public List<Command> build(Replay replay, Map<String, Tensor> values) {
        this.overrides = values;
        List<Command> commands = new ArrayList<>();
        for (Origin o : replay.origins) {
            runFrom(o.source, o.statements, commands);
        }
        return commands;
    }

    /**
     * Builds the declarations and definitions {@code replay} holds again with some leaves given
     * other values (of any shape, such as a grid of new inputs): the model applied to new data.
     * Other statements are not built, and a definition that cannot take the new shapes is left
     * out (its name stays undefined), so only what the new values reach must fit them.
     *
     * @return the names left out, each with the reason
     */
    public Map<String, String> rebuild(Replay replay, Map<String, Tensor> values) {
        this.overrides = values;
        this.leftOut = new LinkedHashMap<>();
        for (Origin o : replay.origins) {
            runFrom(o.source, o.statements, null);
        }
        return leftOut;
    }

    /** Reads {@code source} and runs its first {@code limit} statements as they are read, counting them for {@link #replay}. */
    private void runFrom(Source source, int limit, List<Command> commands) {
        Origin origin = new Origin(source, 0);
        origins.add(origin);
        unscanned.add(source);
        SourceParser.reading(source, statements -> {
            runAll(() -> {
                if (origin.statements >= limit) {
                    return null;
                }
                Ast.Stmt s = statements.next();
                if (s != null) {
                    origin.statements++;
                }
                return s;
            }, commands);
            return null;
        });
    }

    private boolean rebuilding() {
        return leftOut != null;
    }

    /**
     * One statement to run, the loop variables in force, and the includes it was read through
     * (outermost first; empty for a statement of the model's own file).
     */
    private record Step(Ast.Stmt statement, Env env, Runnable after, List<Ast.Include> via) {
    }

    /** Runs the statements {@code next} gives, one at a time: each with all it pushes (loop steps, included files) before the next is read. */
    private void runAll(SourceParser.Statements next, List<Command> commands) {
        Deque<Step> work = new ArrayDeque<>();
        TopLevel atTop = new TopLevel(Env.TOP, work, List.of());
        while (true) {
            if (work.isEmpty()) {
                Ast.Stmt top = next.next();
                if (top == null) {
                    return;
                }
                work.push(new Step(top, Env.TOP, null, List.of()));
            }
            Step step = work.pop();
            if (step.after() != null) {
                step.after().run();
                continue;
            }
            Ast.Stmt statement = step.statement();
            Command command;
            try {
                command = statement.accept(step.env() == Env.TOP && step.via().isEmpty() ? atTop : new TopLevel(step.env(), work, step.via()));
            } catch (ChainException e) {
                ChainException located = step.env().inLoop() ? e.suffixed(" (when " + loopValues(step.env()) + ")") : e;
                throw step.via().isEmpty() ? located : located.noted(includedFrom(step.via()));
            }
            if (command != null && commands != null) {
                commands.add(command);
            }
        }
    }

    /** The loop variables in force, outermost first: {@code t = 3, i = 1}. */
    static String loopValues(Env env) {
        StringBuilder values = new StringBuilder();
        for (Env.LoopVariable v = env.loop(); v != null; v = v.outer()) {
            values.insert(0, (values.length() > 0 ? ", " : "") + v.name() + " = " + v.value());
        }
        return values.toString();
    }

    private static void pushAll(Deque<Step> work, List<Ast.Stmt> statements, Env env, List<Ast.Include> via) {
        for (int i = statements.size() - 1; i >= 0; i--) {
            work.push(new Step(statements.get(i), env, null, via));
        }
    }

    /** A note at each include a statement was read through, innermost first. */
    private static List<dev.chainrule.diag.Diagnostic> includedFrom(List<Ast.Include> via) {
        List<dev.chainrule.diag.Diagnostic> notes = new ArrayList<>();
        for (int i = via.size() - 1; i >= 0; i--) {
            notes.add(new dev.chainrule.diag.Diagnostic(via.get(i).file().span(), "included here"));
        }
        return notes;
    }

    /** Reads again the sources built so far and not yet scanned, for {@link #prescan}: a name is missing. */
    private void scanSources() {
        while (!unscanned.isEmpty()) {
            prescan(readableStatements(unscanned.remove(0)));
        }
    }

    /** The statements of a source up to its first syntax error, which is reported when building reaches it. */
    private static List<Ast.Stmt> readableStatements(Source source) {
        return SourceParser.reading(source, statements -> {
            List<Ast.Stmt> all = new ArrayList<>();
            try {
                for (Ast.Stmt s = statements.next(); s != null; s = statements.next()) {
                    all.add(s);
                }
            } catch (ChainException syntaxErrorFurtherOn) {
                // what comes before it is what a use can refer to
            }
            return all;
        });
    }

    /** Records where each name is defined, so that a use before it says so (loop bodies included). */
    private void prescan(List<Ast.Stmt> statements) {
        Deque<Ast.Stmt> work = new ArrayDeque<>(statements);
        while (!work.isEmpty()) {
            Ast.Stmt s = work.pop();
            if (s instanceof Ast.Define d) {
                (d.member() == null ? definedLater : familiesLater).putIfAbsent(d.name().name(), d.name().span());
            } else if (s instanceof Ast.Data d) {
                definedLater.putIfAbsent(d.x().name(), d.x().span());
                definedLater.putIfAbsent(d.y().name(), d.y().span());
            } else if (s instanceof Ast.Declare d) {
                d.bindings().forEach(b -> definedLater.putIfAbsent(b.name().name(), b.name().span()));
            } else if (s instanceof Ast.Function f) {
                functionsLater.putIfAbsent(f.name().name(), f.name().span());
            } else if (s instanceof Ast.For f) {
                work.addAll(f.body());
            }
        }
    }

    // ---- what Expressions asks of the model ----

    /** The function written with {@code def} under this name, or null. */
    Ast.Function function(String name) {
        return functions.get(name);
    }

    /** The functions written with def so far, in order. */
    public List<String> functionNames() {
        return new ArrayList<>(functions.keySet());
    }

    /** Where a function is defined in the program, or null. */
    Span functionLater(String name) {
        scanSources();
        return functionsLater.get(name);
    }

    /** Where a family is first defined in the program, or null. */
    Span familyLater(String name) {
        scanSources();
        return familiesLater.get(name);
    }

    /** Where a name is defined in the program, or null. */
    Span definedLater(String name) {
        scanSources();
        return definedLater.get(name);
    }

    /** The error for a name that is not defined where it is used. */
    ChainException unknownName(String name, Span span, Env env) {
        Span later = definedLater(name);
        if (later != null) {
            return ChainException.semantic(span, "'" + name + "' is used before its definition at line " + later.line());
        }
        if (functions.containsKey(name) || Library.has(name)) {
            return ChainException.semantic(span, "'" + name + "' is a function; call it, as in " + name + "(...)");
        }
        List<String> known = new ArrayList<>(Scope.isInner(name) ? scope.allNames() : scope.names());
        known.addAll(env.frame().locals.keySet());
        return ChainException.semantic(span, "unknown name '" + name + "'" + Suggestions.didYouMean(name, known));
    }

    /**
     * What can be known of a function's body before any call: distinct parameters, only
     * definitions and loops, each local defined once and not over a parameter, and inside loops
     * only members of families.
     */
    private static void checkBody(Ast.Function f) {
        String name = f.name().name();
        Map<String, Span> locals = new HashMap<>();
        Set<String> params = new HashSet<>();
        for (Ast.NameRef p : f.params()) {
            if (!params.add(p.name())) {
                throw ChainException.semantic(p.span(), "'" + p.name() + "' is already a parameter of " + name);
            }
        }
        Deque<Ast.Stmt> body = new ArrayDeque<>(f.body());
        Set<Ast.Stmt> inLoops = new HashSet<>();
        while (!body.isEmpty()) {
            Ast.Stmt s = body.pop();
            if (s instanceof Ast.For loop) {
                inLoops.addAll(loop.body());
                loop.body().forEach(body::push);
            } else if (s instanceof Ast.Define d) {
                String local = d.name().name();
                if (d.member() == null && inLoops.contains(d)) {
                    throw redefinedInLoop(d);
                }
                if (params.contains(local)) {
                    throw ChainException.semantic(d.name().span(), "'" + local + "' is a parameter of " + name
                            + "; a local needs a name of its own");
                }
                if (d.member() == null) {
                    Span earlier = locals.putIfAbsent(local, d.name().span());
                    if (earlier != null) {
                        throw ChainException.semantic(d.name().span(), "'" + local + "' is already defined in " + name
                                + " at line " + earlier.line());
                    }
                }
            } else {
                throw ChainException.semantic(s.span(), "a function holds definitions and loops before its return; "
                        + "write this statement outside it");
            }
        }
    }

    /**
     * The node a definition names: the node its expression built, or, when that node was in the
     * graph before the definition began (an alias such as {@code h[0] = x0}, an expression written
     * twice, a call made twice), a copy of it, so that every name is a node of its own and a
     * derivative with respect to it goes through its own uses (the original's goes through its
     * copies too: they are computed from it). Constants stay themselves: they are numbers, not
     * variables.
     */
    static Node own(Node node, int before, Graph graph) {
        if (node.id() >= before || node.isConstant()) {
            return node;
        }
        // the graph's size marks this copy as one of its own: two copies of a node are two nodes
        return graph.node(dev.chainrule.graph.op.Op.COPY, new int[] {graph.size()}, node);
    }

    /** Where {@code earlier} is, seen from {@code here}: {@code at line 3}, or {@code at lib/layers.chain:3} in another file. */
    static String at(Span earlier, Span here) {
        if (earlier == null) {
            return "before";
        }
        return here != null && earlier.source() == here.source() ? "at line " + earlier.line()
                : "at " + earlier.source().name() + ":" + earlier.line();
    }

    /** The error for a plain definition inside a loop, which would define the name once per step. */
    static ChainException redefinedInLoop(Ast.Define d) {
        String name = d.name().name();
        return ChainException.semantic(d.name().span(), "inside a loop, a definition names one member of a family, such as "
                + name + "[t] = ...; '" + name + "' would be defined again at every step");
    }

    /**
     * The most loop steps a model may run in all (nested loops multiply, calls add): a thirty-second
     * of the limit on nodes, 1,048,576 by default, so that a mistyped bound ends in a message
     * within seconds, not in minutes and an exhausted heap.
     */
    long maxLoopSteps() {
        return Math.max(1, graph.limits().maxNodes() / 32);
    }

    /** Counts one step of a loop against {@link #maxLoopSteps}. */
    void step(Ast.For loop) {
        if (++loopSteps > maxLoopSteps()) {
            throw ChainException.semantic(loop.span(), "the loops of this model run more than the " + maxLoopSteps()
                    + " steps a model's loops may run in all (a thirty-second of the limit on nodes; raise it with --max-nodes)");
        }
    }

    /** The first and last value of a loop's variable, both included; checked against the model's limits. */
    long[] range(Ast.For loop, Env env) {
        String variable = loop.variable().name();
        if (env.loopValue(variable) != null) {
            throw ChainException.semantic(loop.variable().span(), "'" + variable + "' is already the variable of a loop around this one");
        }
        Span taken = env.frame().isTop() ? scope.definedAt(variable) : env.frame().localsAt.get(variable);
        if (taken != null || functions.containsKey(variable)) {
            throw ChainException.semantic(loop.variable().span(), "'" + variable + "' is already "
                    + (taken != null ? "defined at line " + taken.line() : "a function") + "; a loop variable needs a name of its own");
        }
        Statics statics = expressions.statics();
        long from = statics.whole(loop.from(), env, "the first value of a loop");
        long to = statics.whole(loop.to(), env, "the last value of a loop");
        long steps = to - from + 1;
        if (steps > maxLoopSteps() - loopSteps) {
            throw ChainException.semantic(loop.span(), "this loop runs " + steps + " steps, more than "
                    + (loopSteps == 0 ? "the " : "the " + (maxLoopSteps() - loopSteps) + " left of the ") + maxLoopSteps()
                    + " a model's loops may run in all (a thirty-second of the limit on nodes; raise it with --max-nodes)");
        }
        return new long[] {from, to};
    }

    // ---- targets: what derivatives are taken with respect to ----

    /**
     * The node (and element) a target denotes: {@code w1}, {@code W1[0, 1]}, {@code h[2]},
     * {@code h1.net}, {@code h[2].net}. A member of a family is named by its one position; an
     * index on the last name otherwise picks one element.
     */
    public Command.Wrt target(Ast.Target target) {
        return target(target, Env.TOP);
    }

    Command.Wrt target(Ast.Target target, Env env) {
        Statics statics = expressions.statics();
        String qualified = null;
        List<Ast.Expr> element = List.of();
        List<Ast.TargetPart> parts = target.parts();
        for (int i = 0; i < parts.size(); i++) {
            Ast.TargetPart part = parts.get(i);
            String name = qualified == null ? part.name().name() : qualified + "." + part.name().name();
            List<List<Ast.Expr>> indices = part.indices();
            boolean family = !indices.isEmpty() && (qualified == null ? expressions.isFamily(name, env) : scope.isFamily(name));
            if (family) {
                if (indices.get(0).size() != 1) {
                    throw ChainException.semantic(part.span(), "'" + name + "' is a family, and a member is named by one position,"
                            + " such as " + name + "[1]");
                }
                name = Scope.member(name, statics.whole(indices.get(0).get(0), env, "the position of a member of '" + name + "'"));
                indices = indices.subList(1, indices.size());
            }
            if (indices.size() > 1 || !indices.isEmpty() && i < parts.size() - 1) {
                throw ChainException.semantic(part.span(), "only the last name of a target takes an index, for one element");
            }
            if (!indices.isEmpty()) {
                element = indices.get(0);
            }
            qualified = name;
        }
        Node node = qualified.indexOf('.') < 0 && element.isEmpty() && qualified.indexOf('[') < 0
                ? expressions.lookup(new Ast.Name(qualified, parts.get(0).name().span()), env) : find(qualified, target, env);
        if (node.isConstant()) {
            throw ChainException.semantic(target.span(), "'" + qualified + "' is a constant; derivatives are taken with respect to"
                    + " inputs, params and the values computed from them");
        }
        if (element.isEmpty()) {
            return new Command.Wrt(node, -1, qualified, target.span());
        }
        int flat = element(node, qualified, element, env, target.span());
        return new Command.Wrt(node, flat, qualified, target.span());
    }

    private Node find(String qualified, Ast.Target target, Env env) {
        if (!env.frame().isTop() && env.frame().locals.containsKey(qualified)) {
            return env.frame().locals.get(qualified);
        }
        Node node = scope.find(qualified);
        if (node != null) {
            return node;
        }
        Span later = definedLater(qualified);
        if (later != null) {
            throw ChainException.semantic(target.span(), "'" + qualified + "' is used before its definition at line " + later.line());
        }
        java.util.regex.Matcher member = java.util.regex.Pattern.compile("(.+)\\[(-?[0-9]+)\\]").matcher(qualified);
        if (member.matches() && scope.isFamily(member.group(1))) {
            throw ChainException.semantic(target.span(), Expressions.notAMember(member.group(1), Long.parseLong(member.group(2)),
                    scope.members(member.group(1))));
        }
        throw ChainException.semantic(target.span(), "unknown name '" + qualified + "'"
                + Suggestions.didYouMean(qualified, scope.allNames()));
    }

    /** The flat position of one element, each position a whole number (negative ones count from the end). */
    private int element(Node node, String name, List<Ast.Expr> positions, Env env, Span whole) {
        Shape shape = node.shape();
        if (positions.size() != shape.rank()) {
            throw ChainException.semantic(whole, "'" + name + "' is a " + (shape.isScalar() ? "scalar" : shape + " value") + " and takes "
                    + shape.rank() + (shape.rank() == 1 ? " index" : " indices") + " for one element, not " + positions.size());
        }
        int flat = 0;
        for (int axis = 0; axis < positions.size(); axis++) {
            Ast.Expr written = positions.get(axis);
            long p = expressions.statics().whole(written, env, "an index");
            int n = shape.dim(axis);
            long resolved = p < 0 ? p + n : p;
            if (resolved < 0 || resolved >= n) {
                throw ChainException.semantic(written.span(), "index " + p + " is out of range for axis " + axis + " of a " + shape
                        + " value (0 to " + (n - 1) + ")");
            }
            flat = flat * n + (int) resolved;
        }
        return flat;
    }

    /**
     * The params {@code loss} depends on, in declaration order: what training moves when no
     * {@code wrt} names them (in a session with several models, each loss trains its own params).
     */
    public List<Node> paramsUnder(Node loss) {
        java.util.BitSet reach = graph.reachableFrom(loss);
        List<Node> params = new ArrayList<>();
        for (Node p : scope.params()) {
            if (reach.get(p.id())) {
                params.add(p);
            }
        }
        return params;
    }

    /** The whole leaf a name denotes (for {@code train}, {@code predict}, {@code batch} and the flags that name leaves). */
    public Node leaf(Ast.NameRef name) {
        Node node = expressions.lookup(new Ast.Name(name.name(), name.span()), Env.TOP);
        if (!node.isLeaf()) {
            throw ChainException.semantic(name.span(), "'" + name.name() + "' is not an input or param");
        }
        return node;
    }

    /** Builds the node of an expression at the top level (the value of {@code --of}, say). */
    public Node expr(Ast.Expr e) {
        return expressions.build(e, Env.TOP);
    }

    // ---- statements at the top level (and in loops there) ----

    /** Runs one statement; returns its command, or null for a statement that only defines. */
    private final class TopLevel implements Ast.StmtVisitor<Command> {
        private final Env env;
        private final Deque<Step> work;
        private final List<Ast.Include> via;

        TopLevel(Env env, Deque<Step> work, List<Ast.Include> via) {
            this.env = env;
            this.work = work;
            this.via = via;
        }

        private Command.Target target(Ast.Expr e) {
            String label = e.span().text();
            if (env.inLoop()) {
                // h[t] in a loop is written as the member it is, h[3]; anything else says the step
                if (e instanceof Ast.Index i && i.of() instanceof Ast.Name n && expressions.isFamily(n.name(), env)
                        && i.positions().size() == 1 && !i.positions().get(0).isSlice()) {
                    label = Scope.member(n.name(), expressions.statics().whole(i.positions().get(0).at(), env, "the position of a member"));
                } else {
                    label = label + " (" + loopValues(env) + ")";
                }
            }
            return new Command.Target(expressions.build(e, env), label, e.span());
        }

        private void outsideLoops(Ast.Stmt s, String what) {
            if (env.inLoop()) {
                throw ChainException.semantic(s.span(), what + " outside loops");
            }
        }

        @Override
        public Command declare(Ast.Declare d) {
            outsideLoops(d, "inputs and params are declared");
            for (Ast.Binding b : d.bindings()) {
                String name = b.name().name();
                Node existing = scope.lookup(name);
                if (rebuilding() && existing != null) {
                    continue;
                }
                if (redefinitions && existing != null && existing.isLeaf()) {
                    Tensor value = constant(b.value());
                    if (!value.shape().equals(existing.shape())) {
                        throw ChainException.semantic(b.name().span(), "'" + name + "' is a " + existing.shape()
                                + " " + existing.leafKind().keyword() + "; a new value must have that shape (restart to change it)");
                    }
                    scope.setLeafValue(existing, value);
                    continue;
                }
                checkFree(b.name());
                Tensor value = overrides.containsKey(name) ? overrides.get(name) : constant(b.value());
                scope.declare(name, d.kind(), value, b.name().span());
            }
            return null;
        }

        @Override
        public Command data(Ast.Data d) {
            outsideLoops(d, "data is read");
            if (rebuilding() && scope.lookup(d.x().name()) != null) {
                return null;
            }
            checkFree(d.x());
            checkFree(d.y());
            boolean both = overrides.containsKey(d.x().name()) && overrides.containsKey(d.y().name());
            Dataset data = both ? new Dataset(overrides.get(d.x().name()), overrides.get(d.y().name()))
                    : DataSources.load(d, scope.options());
            Node x = scope.declare(d.x().name(), LeafKind.INPUT, overrides.getOrDefault(d.x().name(), data.x()), d.x().span());
            Node y = scope.declare(d.y().name(), LeafKind.INPUT, overrides.getOrDefault(d.y().name(), data.y()), d.y().span());
            ModelBuilder.this.data.add(new Node[] {x, y});
            return null;
        }

        @Override
        public Command define(Ast.Define d) {
            String family = d.name().name();
            String name = family;
            if (d.member() != null) {
                Node plain = scope.lookup(family);
                if (plain != null) {
                    throw ChainException.semantic(d.name().span(), "'" + family + "' is a single value (line "
                            + scope.definedAt(family).line() + "), so it cannot have members");
                }
                name = Scope.member(family, expressions.statics().whole(d.member(), env, "the position of a member"));
            } else {
                if (env.inLoop()) {
                    throw redefinedInLoop(d);
                }
                if (scope.isFamily(family)) {
                    throw ChainException.semantic(d.name().span(), "'" + family + "' is a family; name one member, such as "
                            + family + "[" + scope.members(family).last() + "]");
                }
            }
            Node existing = scope.lookup(name);
            if (existing != null && rebuilding()) {
                return null;
            }
            if (existing != null && redefinitions) {
                if (existing.isLeaf() && name.equals(existing.leafName())) {
                    throw ChainException.semantic(d.name().span(), "'" + name + "' is "
                            + (existing.leafKind() == LeafKind.INPUT ? "an input" : "a param") + "; it cannot become a definition");
                }
            } else if (existing != null) {
                throw ChainException.semantic(d.name().span(), "'" + name + "' is already defined " + at(scope.definedAt(name), d.name().span()));
            } else if (functions.containsKey(name)) {
                throw ChainException.semantic(d.name().span(), "'" + name + "' is already a function, defined "
                        + at(functions.get(name).name().span(), d.name().span()));
            }
            Node node;
            try {
                int before = graph.size();
                node = own(expressions.build(d.expr(), env.naming(name, d.expr())), before, graph);
            } catch (ChainException e) {
                if (!rebuilding()) {
                    throw e;
                }
                leftOut.put(name, e.getMessage());
                return null;
            }
            if (d.member() != null) {
                scope.defineMember(family, Long.parseLong(name.substring(family.length() + 1, name.length() - 1)), node,
                        d.name().span());
            } else {
                scope.define(name, node, d.name().span());
            }
            if (rebuilding()) {
                leftOut.remove(name);
            }
            if (redefinitions && d.member() == null && !env.inLoop()) {
                definitions.remove(name);
                definitions.put(name, d);
            }
            if (existing != null) {
                rebuildDependents(d.member() == null ? Set.of(name) : Set.of(name, family));
            }
            return null;
        }

        @Override
        public Command function(Ast.Function f) {
            outsideLoops(f, "functions are defined");
            String name = f.name().name();
            if (Library.has(name)) {
                throw ChainException.semantic(f.name().span(), "'" + name + "' is a built-in function; give yours another name");
            }
            if (functions.containsKey(name) && !redefinitions && !rebuilding()) {
                throw ChainException.semantic(f.name().span(), "'" + name + "' is already a function, defined "
                        + at(functions.get(name).name().span(), f.name().span()));
            }
            if (scope.lookup(name) != null || scope.isFamily(name)) {
                throw ChainException.semantic(f.name().span(), "'" + name + "' is already a name, defined "
                        + at(scope.lookup(name) != null ? scope.definedAt(name) : familyLater(name), f.name().span()));
            }
            checkBody(f);
            boolean again = functions.containsKey(name);
            functions.put(name, f);
            if (again && redefinitions) {
                rebuildDependents(Set.of(name));
            }
            return null;
        }

        @Override
        public Command loop(Ast.For loop) {
            long[] range = range(loop, env);
            pushLoop(loop, range[0], range[1]);
            return null;
        }

        private void pushLoop(Ast.For loop, long t, long to) {
            if (t > to) {
                return;
            }
            step(loop);
            work.push(new Step(null, env, () -> pushLoop(loop, t + 1, to), via));
            pushAll(work, loop.body(), env.withLoop(loop.variable().name(), t), via);
        }

        @Override
        public Command include(Ast.Include include) {
            outsideLoops(include, "files are included");
            Ast.Program program = read(include);
            if (program == null) {
                return null; // included before: its names are defined once
            }
            prescan(program.statements());
            List<Ast.Include> through = new ArrayList<>(via);
            through.add(include);
            work.push(new Step(null, env, () -> including.remove(including.size() - 1), via));
            pushAll(work, program.statements(), env, List.copyOf(through));
            return null;
        }

        @Override
        public Command save(Ast.Save s) {
            params(s.what(), "save params to \"w.json\"");
            return rebuilding() ? null : new Command.Save(s.file(), s.span());
        }

        @Override
        public Command load(Ast.Load s) {
            params(s.what(), "load params from \"w.json\"");
            return rebuilding() ? null : new Command.Load(s.file(), s.span());
        }

        private void params(Ast.NameRef what, String form) {
            if (!what.name().equals("params")) {
                throw ChainException.semantic(what.span(), "the params are saved and loaded together: " + form);
            }
        }

        @Override
        public Command print(Ast.Print p) {
            if (rebuilding()) {
                return null;
            }
            List<Command.Target> targets = new ArrayList<>();
            for (Ast.Expr e : p.exprs()) {
                targets.add(target(e));
            }
            return new Command.Print(targets, p.span());
        }

        @Override
        public Command grad(Ast.GradStmt g) {
            return rebuilding() ? null : new Command.Grad(target(g.of()), wrtOrParams(g.wrt(), g.span()), g.span());
        }

        @Override
        public Command derive(Ast.Derive d) {
            return rebuilding() ? null : new Command.Derive(target(d.of()), ModelBuilder.this.target(d.wrt(), env), d.span());
        }

        @Override
        public Command explain(Ast.Explain e) {
            return rebuilding() ? null : new Command.Explain(target(e.of()), ModelBuilder.this.target(e.wrt(), env), e.expand(),
                    e.span());
        }

        @Override
        public Command check(Ast.Check c) {
            return rebuilding() ? null : new Command.Check(target(c.of()), wrtOrParams(c.wrt(), c.span()), c.span());
        }

        @Override
        public Command train(Ast.Train t) {
            if (rebuilding()) {
                return null;
            }
            if (!(t.steps() >= 0 && t.steps() == Math.rint(t.steps()) && t.steps() <= Integer.MAX_VALUE)) {
                throw ChainException.semantic(t.stepsSpan(), "steps must be a whole number of at least 0");
            }
            Command.Target loss = target(t.of());
            List<Node> wrt = new ArrayList<>();
            if (t.wrt().isEmpty()) {
                wrt.addAll(paramsUnder(loss.node()));
                if (wrt.isEmpty()) {
                    throw ChainException.semantic(t.of().span(), "'" + loss.label() + "' depends on no param, so training has"
                            + " nothing to move; add 'wrt NAME' to train an input");
                }
            }
            for (Ast.Target target : t.wrt()) {
                Command.Wrt w = ModelBuilder.this.target(target, env);
                if (!w.isWholeLeaf()) {
                    throw ChainException.semantic(w.span(), "training moves inputs and params, whole; '" + w.label() + "' is "
                            + (w.node().isLeaf() ? "one element of one" : "computed from them"));
                }
                wrt.add(w.node());
            }
            Optimizer.Kind optimizer = Optimizer.Kind.SGD;
            if (t.optimizer() != null) {
                optimizer = Optimizer.Kind.named(t.optimizer().name());
                if (optimizer == null) {
                    throw ChainException.semantic(t.optimizer().span(), "unknown optimizer '" + t.optimizer().name() + "'"
                            + Suggestions.didYouMean(t.optimizer().name(), Optimizer.Kind.names()) + " (sgd, momentum, adam)");
                }
            }
            return new Command.Train(loss, t.lr(), (int) t.steps(), wrt, optimizer, batch(t), t.span());
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

        @Override
        public Command export(Ast.ExportStmt e) {
            return rebuilding() ? null : new Command.Export(target(e.of()), wrtOrParams(e.wrt(), e.span()), e.to(), e.toSpan(), e.span());
        }

        @Override
        public Command graph(Ast.GraphStmt g) {
            return rebuilding() ? null : new Command.Graph(target(g.of()), g.wrt() == null ? null : ModelBuilder.this.target(g.wrt(), env),
                    g.span());
        }

        @Override
        public Command predict(Ast.Predict p) {
            if (rebuilding()) {
                return null;
            }
            if (scope.lookup(p.name().name()) == null) {
                expressions.lookup(new Ast.Name(p.name().name(), p.name().span()), env);
            }
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (int i = 0; i < p.inputs().size(); i++) {
                Ast.NameRef input = p.inputs().get(i);
                leaf(input);
                inputs.put(input.name(), constant(p.values().get(i)));
            }
            return new Command.Predict(p.name().name(), inputs, p.span());
        }

        @Override
        public Command plot(Ast.Plot p) {
            if (rebuilding()) {
                return null;
            }
            String kind = p.kind().name();
            if (kind.equals("loss") && p.out() == null) {
                return new Command.Plot(false, null, null, null, p.file(), p.span());
            }
            if (kind.equals("boundary") && p.out() != null) {
                expressions.lookup(new Ast.Name(p.out().name(), p.out().span()), env);
                return new Command.Plot(true, p.out().name(), leaf(p.x()), leaf(p.y()), p.file(), p.span());
            }
            throw ChainException.semantic(p.kind().span(), "plot takes 'loss' or 'boundary OUT over X, y'"
                    + Suggestions.didYouMean(kind, List.of("loss", "boundary")));
        }

        /** The targets of a {@code wrt} list, or every param (whole) when the list is empty. */
        private List<Command.Wrt> wrtOrParams(List<Ast.Target> targets, Span span) {
            List<Command.Wrt> wrt = new ArrayList<>();
            for (Ast.Target t : targets) {
                wrt.add(ModelBuilder.this.target(t, env));
            }
            if (targets.isEmpty()) {
                scope.params().forEach(p -> wrt.add(Command.Wrt.of(p)));
                if (wrt.isEmpty()) {
                    throw ChainException.semantic(span, "the model has no param to differentiate against; add 'wrt NAME'");
                }
            }
            return wrt;
        }
    }

    /**
     * The statements of an included file, read relative to the file that includes it, under the
     * same rules as data files; a file that includes itself, directly or not, is refused with the
     * chain of files.
     */
    private Ast.Program read(Ast.Include include) {
        Source from = include.file().span().source();
        Path folder = DataSources.modelFolder(from);
        String written = include.file().path();
        Path file;
        try {
            file = Confinement.resolve(folder, written, scope.options().readable());
        } catch (FileRefused refused) {
            throw ChainException.semantic(include.file().span(), refused.getMessage());
        }
        if (file == null) {
            throw ChainException.semantic(include.file().span(), "include reads files in the model's folder (" + folder
                    + ") and below; " + written + " is outside it (allow its folder with --allow-read DIR)");
        }
        Path key = file.toAbsolutePath().normalize();
        Path root = Path.of(rootSource(from).name().replace("example:", "")).toAbsolutePath().normalize();
        if (including.contains(key) || key.equals(root)) {
            List<String> chain = new ArrayList<>();
            chain.add(root.getFileName().toString());
            including.forEach(p -> chain.add(p.getFileName().toString()));
            chain.add(key.getFileName().toString());
            throw ChainException.semantic(include.file().span(), "files include each other in a cycle: " + String.join(" → ", chain));
        }
        if (!included.add(key)) {
            return null;
        }
        String text;
        try {
            text = BoundedRead.model(file);
        } catch (FileRefused refused) {
            throw ChainException.semantic(include.file().span(), refused.getMessage());
        }
        String name = from.name().startsWith("example:") ? written
                : Path.of(from.name()).resolveSibling(written).normalize().toString();
        Ast.Program program;
        try {
            program = SourceParser.parse(new Source(name, text));
        } catch (ChainException e) {
            throw e.noted(List.of(new dev.chainrule.diag.Diagnostic(include.file().span(), "included here")));
        }
        including.add(key);
        return program;
    }

    /** The source of the file the model starts from: the including file when nothing is being included. */
    private Source rootSource(Source current) {
        if (root == null) {
            root = current;
        }
        return root;
    }

    // ---- helpers ----

    /**
     * The value of an expression of constants, such as the initial value of a param. It is built
     * in a scratch graph, so the model's graph holds only what the model computes.
     */
    public Tensor constant(Ast.Expr e) {
        Deque<Ast.Expr> work = new ArrayDeque<>();
        work.push(e);
        while (!work.isEmpty()) {
            Ast.Expr part = work.pop();
            if (part instanceof Ast.Name n && scope.lookup(n.name()) != null && !scope.lookup(n.name()).isConstant()) {
                throw ChainException.semantic(n.span(), "an input or param starts from numbers, not from '"
                        + n.name() + "'; define a name for an expression of other names");
            }
            if (part instanceof Ast.Grad g) {
                throw ChainException.semantic(g.span(), "an input or param starts from numbers, not from a derivative");
            }
            part.children().forEach(work::push);
        }
        Scope scratch = new Scope(scope.options());
        ModelBuilder builder = new ModelBuilder(scratch);
        for (String name : scope.names()) {
            Node node = scope.lookup(name);
            if (node.isConstant()) {
                scratch.define(name, scratch.graph().constant(node.constantTensor()), scope.definedAt(name));
            }
        }
        Node node = builder.expr(e);
        return dev.chainrule.autodiff.Forward.values(scratch.graph(), scratch.leafValues(), node)[node.id()];
    }

    private void checkFree(Ast.NameRef name) {
        Span first = scope.definedAt(name.name());
        if (first != null) {
            throw ChainException.semantic(name.span(), "'" + name.name() + "' is already defined " + at(first, name.span()));
        }
        if (functions.containsKey(name.name())) {
            throw ChainException.semantic(name.span(), "'" + name.name() + "' is already a function, defined "
                    + at(functions.get(name.name()).name().span(), name.span()));
        }
    }

    /**
     * Builds again, in definition order, every top-level definition that uses one of
     * {@code changed} (by name, or by calling a function of that name), and what uses those.
     */
    private void rebuildDependents(Set<String> changed) {
        Set<String> stale = new HashSet<>(changed);
        for (Map.Entry<String, Ast.Define> entry : new ArrayList<>(definitions.entrySet())) {
            String name = entry.getKey();
            if (changed.contains(name) || !uses(entry.getValue().expr(), stale)) {
                continue;
            }
            int before = graph.size();
            scope.define(name, own(expressions.build(entry.getValue().expr(), Env.TOP.naming(name, entry.getValue().expr())),
                    before, graph), scope.definedAt(name));
            stale.add(name);
            if (!rebuilt.contains(name)) {
                rebuilt.add(name);
            }
        }
    }

    /** True when {@code expr} names one of {@code names}, or calls a function of one of them (through others too). */
    private boolean uses(Ast.Expr expr, Set<String> names) {
        Deque<Ast.Expr> work = new ArrayDeque<>();
        Set<String> seenFunctions = new HashSet<>();
        work.push(expr);
        while (!work.isEmpty()) {
            Ast.Expr e = work.pop();
            if (e instanceof Ast.Name n && names.contains(n.name())) {
                return true;
            }
            if (e instanceof Ast.Call c) {
                if (names.contains(c.function())) {
                    return true;
                }
                Ast.Function f = functions.get(c.function());
                if (f != null && seenFunctions.add(c.function())) {
                    work.push(f.result());
                    Deque<Ast.Stmt> body = new ArrayDeque<>(f.body());
                    while (!body.isEmpty()) {
                        Ast.Stmt s = body.pop();
                        if (s instanceof Ast.Define d) {
                            work.push(d.expr());
                        } else if (s instanceof Ast.For loop) {
                            body.addAll(loop.body());
                        }
                    }
                }
            }
            if (e instanceof Ast.Index i) {
                for (Ast.Position p : i.positions()) {
                    for (Ast.Expr part : new Ast.Expr[] {p.at(), p.start(), p.stop(), p.step()}) {
                        if (part != null) {
                            work.push(part);
                        }
                    }
                }
            }
            e.children().forEach(work::push);
        }
        return false;
    }
}
