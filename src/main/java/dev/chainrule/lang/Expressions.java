package dev.chainrule.lang;

import dev.chainrule.autodiff.Gradients;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Diagnostic;
import dev.chainrule.diag.Span;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.model.Scope;
import dev.chainrule.tensor.Indexing;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.ShapeException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;

/**
 * Expressions to nodes. A call of a function written with {@code def} is inlined: its body's
 * definitions and loops run in a frame of their own, and what they make is named after the call
 * site ({@code h1.net} for {@code h1 = dense(...)}). Everything runs on one explicit stack of
 * tasks, so neither a deep expression, a long loop nor a chain of calls makes Java recurse.
 */
final class Expressions {
    private final ModelBuilder model;
    private final Scope scope;
    private final Graph graph;
    private final Statics statics;
    private final Library library;
    /** Call-site names given so far, so that two calls in one definition get two names. */
    private final Map<String, Integer> sites = new HashMap<>();

    Expressions(ModelBuilder model, Scope scope) {
        this.model = model;
        this.scope = scope;
        this.graph = scope.graph();
        this.statics = new Statics(this::lookup);
        this.library = new Library(graph, statics);
    }

    Statics statics() {
        return statics;
    }

    /** One step of the work: what to do, and where names are looked up while doing it. */
    private record Task(Env env, Runnable work) {
    }

    /** The state of one expression being built. */
    private final class Run {
        final Deque<Task> tasks = new ArrayDeque<>();
        final Deque<Node> built = new ArrayDeque<>();

        void push(Env env, Runnable work) {
            tasks.push(new Task(env, work));
        }

        Node run(Ast.Expr root, Env env) {
            push(env, () -> eval(this, root, env));
            while (!tasks.isEmpty()) {
                Task task = tasks.pop();
                try {
                    task.work().run();
                } catch (ChainException e) {
                    throw located(e, task.env().frame());
                } catch (ShapeException e) {
                    throw new IllegalStateException("a shape was not checked where it was made", e);
                }
            }
            return built.pop();
        }
    }

    /** A run not in use, kept for the next build: a model builds one per definition. */
    private Run idle;

    /** Builds the node of {@code e}, with names looked up in {@code env}. */
    Node build(Ast.Expr e, Env env) {
        Run run = idle != null ? idle : new Run();
        idle = null;
        try {
            return run.run(e, env);
        } finally {
            run.tasks.clear();
            run.built.clear();
            idle = run;
        }
    }

    private void eval(Run run, Ast.Expr e, Env env) {
        if (e instanceof Ast.Index index && index.of() instanceof Ast.Name name && isFamily(name.name(), env)) {
            run.built.push(marked(index, () -> member(name, index, env)));
            return;
        }
        if (e instanceof Ast.Call call && model.function(call.function()) != null) {
            inline(run, call, env, model.function(call.function()));
            return;
        }
        int operands = e instanceof Ast.Call call ? Library.operands(call) : e.children().size();
        run.push(env, () -> run.built.push(marked(e, () -> apply(run, e, env, operands))));
        List<Ast.Expr> children = e.children();
        for (int i = operands - 1; i >= 0; i--) {
            Ast.Expr child = children.get(i);
            run.push(env, () -> eval(run, child, env));
        }
    }

    /** Makes a node for {@code e} and records where it was written. */
    private Node marked(Ast.Expr e, java.util.function.Supplier<Node> make) {
        int before = graph.size();
        Node node;
        try {
            node = make.get();
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

    /** The node of {@code e} from its operands, already built and on top of the stack. */
    private Node apply(Run run, Ast.Expr e, Env env, int operands) {
        Node[] args = new Node[e.children().size()];
        for (int i = operands - 1; i >= 0; i--) {
            args[i] = run.built.pop();
        }
        return e.accept(new Ast.ExprVisitor<Node>() {
            @Override
            public Node number(Ast.Number n) {
                return graph.constant(n.value());
            }

            @Override
            public Node literal(Ast.Literal l) {
                return graph.constant(l.value());
            }

            @Override
            public Node name(Ast.Name n) {
                return lookup(n, env);
            }

            @Override
            public Node unary(Ast.Unary u) {
                return graph.node(u.op(), args[0]);
            }

            @Override
            public Node binary(Ast.Binary b) {
                return graph.node(b.op(), args[0], args[1]);
            }

            @Override
            public Node call(Ast.Call c) {
                if (!Library.has(c.function())) {
                    throw unknownFunction(c, env);
                }
                return library.call(c, args, env);
            }

            @Override
            public Node index(Ast.Index i) {
                return tensorIndex(i, args[0], env);
            }

            @Override
            public Node field(Ast.Field f) {
                String name = qualifiedName(f, env);
                Node node = scope.find(name);
                if (node == null) {
                    throw ChainException.semantic(f.span(), "unknown name '" + name + "'"
                            + Suggestions.didYouMean(name, scope.allNames()));
                }
                return node;
            }

            @Override
            public Node grad(Ast.Grad g) {
                if (!args[0].shape().isScalar()) {
                    throw ChainException.semantic(g.of().span(), "grad needs a scalar to differentiate, and this is a "
                            + args[0].shape() + " value; take sum(...) of it first");
                }
                Command.Wrt wrt = model.target(g.wrt(), env);
                if (wrt.element() >= 0) {
                    throw ChainException.semantic(g.wrt().span(), "grad(...) differentiates with respect to a whole value;"
                            + " take an element of the result instead");
                }
                return Gradients.symbolic(graph, args[0], wrt.node());
            }
        });
    }

    /** The error for a call of a name that is no function, with the closest function or a hint. */
    private ChainException unknownFunction(Ast.Call call, Env env) {
        Span later = model.functionLater(call.function());
        if (later != null) {
            return ChainException.semantic(call.functionSpan(), "'" + call.function() + "' is called before its definition at line "
                    + later.line());
        }
        List<String> known = new ArrayList<>(Language.functions());
        known.addAll(model.functionNames());
        boolean isName = scope.lookup(call.function()) != null || env.frame().locals.containsKey(call.function());
        String hint = isName ? "; '" + call.function() + "' is a name, not a function" : Suggestions.didYouMean(call.function(), known);
        return ChainException.semantic(call.functionSpan(), "unknown function '" + call.function() + "'" + hint);
    }

    // ---- names ----

    /** The node a name denotes: a loop variable (a number), a local of the call, or a name of the model. */
    Node lookup(Ast.Name n, Env env) {
        String name = n.name();
        Long loop = env.loopValue(name);
        if (loop != null) {
            return graph.constant(loop);
        }
        Env.Frame frame = env.frame();
        if (!frame.isTop()) {
            Node local = frame.locals.get(name);
            if (local != null) {
                return local;
            }
            if (frame.families.containsKey(name)) {
                throw familyWithoutMember(n, name, frame.families.get(name));
            }
        }
        Node node = Scope.isInner(name) ? scope.find(name) : scope.lookup(name);
        if (node != null) {
            return node;
        }
        if (scope.isFamily(name) || model.familyLater(name) != null) {
            throw familyWithoutMember(n, name, scope.members(name));
        }
        throw model.unknownName(name, n.span(), env);
    }

    private static ChainException familyWithoutMember(Ast.Name n, String name, NavigableSet<Long> members) {
        String range = members == null || members.isEmpty() ? "" : " (" + members(name, members) + ")";
        return ChainException.semantic(n.span(), "'" + name + "' is a family of values" + range + "; write one of them, such as "
                + name + "[" + (members == null || members.isEmpty() ? "1" : members.last()) + "]");
    }

    /**
     * The qualified name a field expression writes: {@code h[2].net} for the field {@code net} of
     * the member {@code h[2]}; positions are worked out now.
     */
    private String qualifiedName(Ast.Field f, Env env) {
        java.util.Deque<String> fields = new java.util.ArrayDeque<>();
        Ast.Expr e = f;
        while (e instanceof Ast.Field inner) {
            fields.addFirst(inner.field());
            e = inner.of();
        }
        String base;
        if (e instanceof Ast.Name n) {
            base = n.name();
        } else if (e instanceof Ast.Index i && i.of() instanceof Ast.Name n && i.positions().size() == 1
                && !i.positions().get(0).isSlice()) {
            base = Scope.member(n.name(), statics.whole(i.positions().get(0).at(), env, "the position of a member of '"
                    + n.name() + "'"));
        } else {
            throw ChainException.semantic(f.span(), "a name after '.' names what a call made; it follows a name or a member"
                    + " of a family, such as h[2].net");
        }
        return base + "." + String.join(".", fields);
    }

    /** True when {@code name} is a family where it is used (a family of the call, or of the model). */
    boolean isFamily(String name, Env env) {
        if (env.loopValue(name) != null) {
            return false;
        }
        Env.Frame frame = env.frame();
        if (!frame.isTop()) {
            if (frame.families.containsKey(name)) {
                return true;
            }
            if (frame.locals.containsKey(name)) {
                return false;
            }
        }
        return scope.lookup(name) == null && (scope.isFamily(name) || model.familyLater(name) != null);
    }

    /** {@code h[t - 1]}: the member of a family at a position worked out now. */
    private Node member(Ast.Name family, Ast.Index index, Env env) {
        if (index.positions().size() != 1 || index.positions().get(0).isSlice()) {
            throw ChainException.semantic(index.span(), "'" + family.name() + "' is a family, and a member is named by one position,"
                    + " such as " + family.name() + "[t]");
        }
        Ast.Position p = index.positions().get(0);
        long at = statics.whole(p.at(), env, "the position of a member of '" + family.name() + "'");
        String name = Scope.member(family.name(), at);
        Env.Frame frame = env.frame();
        Node node = !frame.isTop() && frame.families.containsKey(family.name()) ? frame.locals.get(name) : scope.find(name);
        if (node != null) {
            return node;
        }
        NavigableSet<Long> members = !frame.isTop() && frame.families.containsKey(family.name())
                ? frame.families.get(family.name()) : scope.members(family.name());
        Span later = model.definedLater(name);
        if (later != null && (members == null || !members.contains(at))) {
            throw ChainException.semantic(index.span(), "'" + name + "' is used before its definition at line " + later.line());
        }
        throw ChainException.semantic(index.span(), notAMember(family.name(), at, members));
    }

    /** {@code 'h[9]' is not defined: h has h[0] to h[3] so far}. */
    static String notAMember(String family, long at, NavigableSet<Long> members) {
        String has = members == null || members.isEmpty() ? "no member of " + family + " is defined yet"
                : family + " has " + members(family, members) + " so far";
        return "'" + Scope.member(family, at) + "' is not defined: " + has;
    }

    /** The members of a family, as few words as are true: {@code h[0] to h[3]}, {@code h[0], h[2] and h[4]}. */
    static String members(String family, NavigableSet<Long> members) {
        long first = members.first();
        long last = members.last();
        if (members.size() == 1) {
            return Scope.member(family, first);
        }
        if (last - first + 1 == members.size()) {
            return Scope.member(family, first) + " to " + Scope.member(family, last);
        }
        List<String> names = new ArrayList<>();
        for (long p : members) {
            if (names.size() == 4 && members.size() > 5) {
                return String.join(", ", names) + ", ... " + Scope.member(family, last) + " (" + members.size() + " members)";
            }
            names.add(Scope.member(family, p));
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    // ---- tensor indexing ----

    /**
     * {@code x[i, a:b:s]}: a position (dropping the axis) or a slice (keeping it) per axis, from
     * the first; axes not written are taken whole. Negative positions and slice bounds count from
     * the end; slice bounds past either end stop there, as in NumPy.
     */
    private Node tensorIndex(Ast.Index index, Node of, Env env) {
        Shape shape = of.shape();
        List<Ast.Position> positions = index.positions();
        if (positions.size() > shape.rank()) {
            throw ChainException.semantic(index.span(), "a " + shape + " value takes at most " + shape.rank()
                    + (shape.rank() == 1 ? " index" : " indices") + ", not " + positions.size());
        }
        int[] attrs = Indexing.all(shape);
        for (int axis = 0; axis < positions.size(); axis++) {
            Ast.Position p = positions.get(axis);
            int n = shape.dim(axis);
            int[] on;
            if (!p.isSlice()) {
                long written = statics.whole(p.at(), env, "an index");
                long resolved = written < 0 ? written + n : written;
                if (resolved < 0 || resolved >= n) {
                    throw ChainException.semantic(p.span(), "index " + written + " is out of range for axis " + axis + " of a "
                            + shape + " value (0 to " + (n - 1) + ")");
                }
                on = Indexing.position((int) resolved);
            } else {
                long step = p.step() == null ? 1 : statics.whole(p.step(), env, "the step of a slice");
                if (step < 1 || step > Integer.MAX_VALUE) {
                    throw ChainException.semantic(p.step().span(), "the step of a slice is a whole number of at least 1, not " + step);
                }
                int start = p.start() == null ? 0 : bound(statics.whole(p.start(), env, "the start of a slice"), n);
                int stop = p.stop() == null ? n : bound(statics.whole(p.stop(), env, "the end of a slice"), n);
                if (stop <= start) {
                    throw ChainException.semantic(p.span(), "the slice " + p.span().text() + " takes no elements of axis " + axis
                            + " of a " + shape + " value (0 to " + (n - 1) + ")");
                }
                on = Indexing.slice(start, stop, (int) step);
            }
            System.arraycopy(on, 0, attrs, Indexing.FIELDS * axis, Indexing.FIELDS);
        }
        return graph.node(Op.INDEX, attrs, of);
    }

    /** A slice bound: negative counts from the end; past either end stops there. */
    private static int bound(long written, int n) {
        long resolved = written < 0 ? written + n : written;
        return (int) Math.max(0, Math.min(n, resolved));
    }

    // ---- calls of functions written with def ----

    /** Builds the arguments, then the body in a frame of its own, then the result. */
    private void inline(Run run, Ast.Call call, Env env, Ast.Function f) {
        if (call.args().size() != f.params().size()) {
            throw ChainException.semantic(call.span(), f.name().name() + " takes " + f.params().size()
                    + (f.params().size() == 1 ? " argument" : " arguments") + " (" + paramList(f) + "), not " + call.args().size());
        }
        for (int i = 0; i < call.names().size(); i++) {
            if (call.names().get(i) != null) {
                throw ChainException.semantic(call.args().get(i).span(), f.name().name() + " takes its arguments by position: "
                        + f.name().name() + "(" + paramList(f) + ")");
            }
        }
        if (env.frame().active(f.name().name())) {
            throw ChainException.semantic(call.functionSpan(), "'" + f.name().name() + "' calls itself: "
                    + env.frame().chain(f.name().name()) + "; calls are inlined into the graph, so a function cannot call itself"
                    + " (write a loop instead)");
        }
        run.push(env, () -> enter(run, call, env, f));
        for (int i = call.args().size() - 1; i >= 0; i--) {
            Ast.Expr arg = call.args().get(i);
            run.push(env, () -> eval(run, arg, env));
        }
    }

    private static String paramList(Ast.Function f) {
        List<String> names = new ArrayList<>();
        f.params().forEach(p -> names.add(p.name()));
        return String.join(", ", names);
    }

    private void enter(Run run, Ast.Call call, Env env, Ast.Function f) {
        Node[] args = new Node[call.args().size()];
        for (int i = args.length - 1; i >= 0; i--) {
            args[i] = run.built.pop();
        }
        Env.Frame frame = new Env.Frame(env.frame(), f.name().name(), call, prefix(call, env, f), f);
        for (int i = 0; i < args.length; i++) {
            frame.locals.put(f.params().get(i).name(), args[i]);
            frame.localsAt.put(f.params().get(i).name(), f.params().get(i).span());
        }
        Env inside = new Env(frame, null, frame.prefix, null);
        int before = graph.size();
        run.push(env, () -> {
            // the call site is remembered on what the call made, so messages about it can point there too
            Node result = run.built.peek();
            if (result != null && result.id() >= before) {
                graph.markAgain(result, call.span());
            }
        });
        run.push(inside, () -> eval(run, f.result(), inside));
        pushBody(run, f.body(), inside);
    }

    /** The name what a call makes is prefixed with: the definition it is the whole of, or that and the function. */
    private String prefix(Ast.Call call, Env env, Ast.Function f) {
        if (env.naming() != null && call == env.whole()) {
            return env.naming();
        }
        String base = (env.naming() != null ? env.naming() : env.frame().prefix.isEmpty() ? "" : env.frame().prefix)
                + (env.naming() != null || !env.frame().prefix.isEmpty() ? "." : "") + f.name().name();
        int seen = sites.merge(base, 1, Integer::sum);
        return seen == 1 ? base : base + "_" + seen;
    }

    /** Pushes the statements of a function body (definitions and loops) to run in order. */
    private void pushBody(Run run, List<Ast.Stmt> body, Env env) {
        for (int i = body.size() - 1; i >= 0; i--) {
            Ast.Stmt statement = body.get(i);
            run.push(env, () -> bodyStatement(run, statement, env));
        }
    }

    private void bodyStatement(Run run, Ast.Stmt statement, Env env) {
        if (statement instanceof Ast.Define d) {
            Env.Frame frame = env.frame();
            String local = localName(d, env);
            Span earlier = frame.localsAt.get(local);
            if (earlier != null) {
                throw ChainException.semantic(d.name().span(), "'" + local + "' is already defined in " + frame.function
                        + " at line " + earlier.line());
            }
            String qualified = frame.qualified(local);
            Env naming = env.naming(qualified, d.expr());
            int[] before = new int[1];
            run.push(env, () -> {
                Node node = ModelBuilder.own(run.built.pop(), before[0], graph);
                frame.locals.put(local, node);
                frame.localsAt.put(local, d.name().span());
                scope.defineInner(qualified, node, d.name().span());
            });
            run.push(naming, () -> {
                before[0] = graph.size();
                eval(run, d.expr(), naming);
            });
        } else if (statement instanceof Ast.For loop) {
            long[] range = model.range(loop, env);
            run.push(env, () -> loopStep(run, loop, env, range[0], range[1]));
        } else {
            // a body holds definitions and loops only: checked when the function was defined
            throw new IllegalStateException("not a statement of a function body: " + statement);
        }
    }

    /** The local name a body definition gives: {@code a}, or {@code a[3]} for a member of a local family. */
    private String localName(Ast.Define d, Env env) {
        Env.Frame frame = env.frame();
        String name = d.name().name();
        if (d.member() == null) {
            if (env.inLoop()) {
                throw ModelBuilder.redefinedInLoop(d);
            }
            if (frame.families.containsKey(name)) {
                throw ChainException.semantic(d.name().span(), "'" + name + "' is a family in " + frame.function
                        + "; name one member, such as " + name + "[t]");
            }
            return name;
        }
        if (frame.locals.containsKey(name)) {
            throw ChainException.semantic(d.name().span(), "'" + name + "' is a single value in " + frame.function
                    + ", so it cannot have members");
        }
        long at = statics.whole(d.member(), env, "the position of a member");
        frame.addMember(name, at);
        return Scope.member(name, at);
    }

    private void loopStep(Run run, Ast.For loop, Env env, long t, long to) {
        if (t > to) {
            return;
        }
        model.step(loop);
        run.push(env, () -> loopStep(run, loop, env, t + 1, to));
        pushBody(run, loop.body(), env.withLoop(loop.variable().name(), t));
    }

    // ---- messages from inside calls ----

    /**
     * A mistake made while inlining a call, reported at the call written outside any function,
     * with the message prefixed by the functions it happened in ({@code in dense: ...}) and a note
     * for each level pointing at the line inside the function.
     */
    private static ChainException located(ChainException e, Env.Frame frame) {
        if (frame.isTop() || e.relocated()) {
            return e;
        }
        List<Env.Frame> frames = new ArrayList<>();
        for (Env.Frame f = frame; !f.isTop(); f = f.caller) {
            frames.add(0, f);
        }
        List<String> names = new ArrayList<>();
        frames.forEach(f -> names.add(f.function));
        List<Diagnostic> notes = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            Span at = i + 1 < frames.size() ? frames.get(i + 1).site.span() : e.diagnostic().span();
            notes.add(new Diagnostic(at, "here, inside " + frames.get(i).function));
        }
        return e.relocate(frames.get(0).site.span(), "in " + String.join(", in ", names) + ": ", notes);
    }
}
