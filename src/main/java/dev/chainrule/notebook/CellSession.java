package dev.chainrule.notebook;

import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.diag.Source;
import dev.chainrule.lang.Ast;
import dev.chainrule.lang.Command;
import dev.chainrule.lang.ModelBuilder;
import dev.chainrule.model.Scope;
import dev.chainrule.lang.SourceParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model grown cell by cell. Each cell is parsed as a source of its own ({@code cell 3}), built
 * into one shared scope and run; its diagnostics point into the cell. A name may be defined again
 * in a later cell: the latest definition wins, and every name whose definition used it (directly
 * or through others) is built again from its own definition, so nothing keeps computing with the
 * old one.
 */
public final class CellSession {
    private final Scope scope = new Scope();
    private final Map<String, Ast.Expr> definitions = new LinkedHashMap<>();
    private final Map<String, String> gradients = new java.util.HashMap<>();
    private final Options options;
    private final dev.chainrule.api.Model model;
    private final Session session;
    private int cells;

    /** The outcome of one cell: its results, and the names rebuilt because something they use changed. */
    public record CellResult(List<Result> results, List<String> rebuilt) {
    }

    public CellSession(Options options) {
        this.options = options;
        this.model = dev.chainrule.api.Model.of(scope);
        this.session = new Session(model, options);
    }

    public Scope scope() {
        return scope;
    }

    /** This session, telling {@code progress} about long statements (training, checks). */
    public CellSession withProgress(dev.chainrule.diag.Progress progress) {
        session.withProgress(progress);
        return this;
    }

    public Options options() {
        return options;
    }

    /**
     * Runs one cell.
     *
     * @throws dev.chainrule.diag.ChainException for a mistake in the cell, located in it
     */
    public CellResult execute(String text) {
        cells++;
        Source source = new Source("cell " + cells, text);
        Ast.Program program = SourceParser.parse(source);
        List<String> rebuilt = new ArrayList<>();
        Map<String, Ast.Expr> defined = new LinkedHashMap<>();
        for (Ast.Stmt statement : program.statements()) {
            if (statement instanceof Ast.Define d) {
                defined.put(d.name().name(), d.expr());
            }
        }
        ModelBuilder builder = new ModelBuilder(scope).allowRedefinition().onDefine((name, again) -> {
            definitions.remove(name);
            definitions.put(name, defined.get(name));
            if (again) {
                for (String dependent : rebuildDependents(List.of(name))) {
                    if (!rebuilt.contains(dependent)) {
                        rebuilt.add(dependent);
                    }
                }
            }
        });
        List<Command> commands = builder.build(program);
        model.append(program);
        List<Result> results = new ArrayList<>();
        for (Command command : commands) {
            Result result = session.run(command);
            if (result instanceof Result.Gradient g) {
                g.gradient().forEach((leaf, value) -> gradients.put(leaf,
                        dev.chainrule.print.ExprPrinter.partial(dev.chainrule.print.Format.TEXT, g.of(), leaf) + " = "
                                + dev.chainrule.print.Tensors.format(value, options.digits())));
            }
            results.add(result);
        }
        return new CellResult(results, rebuilt);
    }

    /** Builds again, in definition order, every name that uses one of {@code changed}. */
    private List<String> rebuildDependents(List<String> changed) {
        Set<String> stale = new HashSet<>(changed);
        List<String> rebuilt = new ArrayList<>();
        if (stale.isEmpty()) {
            return rebuilt;
        }
        ModelBuilder builder = new ModelBuilder(scope).allowRedefinition();
        for (Map.Entry<String, Ast.Expr> entry : definitions.entrySet()) {
            String name = entry.getKey();
            if (changed.contains(name) || !usesAny(entry.getValue(), stale)) {
                continue;
            }
            scope.redefine(name, builder.expr(entry.getValue()), scope.definedAt(name));
            stale.add(name);
            rebuilt.add(name);
        }
        return rebuilt;
    }

    private static boolean usesAny(Ast.Expr expr, Set<String> names) {
        Deque<Ast.Expr> work = new ArrayDeque<>();
        work.push(expr);
        while (!work.isEmpty()) {
            Ast.Expr e = work.pop();
            if (e instanceof Ast.Name n && names.contains(n.name())) {
                return true;
            }
            e.children().forEach(work::push);
        }
        return false;
    }

    /**
     * Brackets a cell opens and does not close (negative when it closes more than it opens): a
     * cell with open brackets is not finished yet, in the kernel as at the prompt.
     */
    public static int openBrackets(CharSequence text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
        }
        return depth;
    }

    /** The names the session knows, for completion. */
    public Set<String> names() {
        return scope.names();
    }

    /** Everything a word may complete to: the session's names, the language's functions and keywords. */
    public java.util.SortedSet<String> completions(String prefix) {
        java.util.SortedSet<String> all = new java.util.TreeSet<>();
        all.addAll(scope.names());
        all.addAll(dev.chainrule.lang.Language.keywords());
        all.addAll(dev.chainrule.lang.Language.functions());
        all.removeIf(word -> !word.startsWith(prefix));
        return all;
    }

    /** The last gradient computed with respect to a leaf ({@code ∂E/∂w5 = 0.08}), or null. */
    public String lastGradient(String leaf) {
        return gradients.get(leaf);
    }

    /** Cells run so far. */
    public int cells() {
        return cells;
    }
}
