package dev.chainrule.notebook;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Node;
import dev.chainrule.lang.Command;
import dev.chainrule.lang.SourceParser;
import dev.chainrule.model.ModelOptions;
import dev.chainrule.model.Scope;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model grown cell by cell, built through the same {@link Model} API as a file
 * ({@link Model#extend}). Each cell is a source of its own ({@code cell 3}); its diagnostics point
 * into the cell. A name may be defined again in a later cell: the latest definition wins, and
 * every name whose definition used it (directly, through others, or through a function) is built
 * again, so nothing keeps computing with the old one. A cell that is one bare expression prints
 * its value.
 */
public final class CellSession {
    private final Model model;
    private final Map<String, String> gradients = new java.util.HashMap<>();
    private final Options options;
    private final Session session;
    private int cells;

    /** The outcome of one cell: its results, and the names rebuilt because something they use changed. */
    public record CellResult(List<Result> results, List<String> rebuilt) {
    }

    /** A session under the default model options (limits, readable folders). */
    public CellSession(Options options) {
        this(options, ModelOptions.DEFAULT);
    }

    /** A session whose model is built under {@code modelOptions}, which travel with it. */
    public CellSession(Options options, ModelOptions modelOptions) {
        this.options = options;
        this.model = Model.session(modelOptions);
        this.session = new Session(model, options);
    }

    public Scope scope() {
        return model.scope();
    }

    /** The model the cells build. */
    public Model model() {
        return model;
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
     * @throws ChainException for a mistake in the cell, located in it
     */
    public CellResult execute(String text) {
        cells++;
        return execute(new Source("cell " + cells, text));
    }

    /** Runs one source (a cell, or a file loaded at the prompt), named as it is in diagnostics. */
    public CellResult execute(Source source) {
        Model.Extension extension;
        try {
            extension = model.extend(source);
        } catch (ChainException notStatements) {
            Result value = bareExpression(source, notStatements);
            return new CellResult(List.of(value), List.of());
        }
        List<Result> results = new ArrayList<>();
        for (Command command : extension.commands()) {
            Result result = session.run(command);
            if (result instanceof Result.Gradient g) {
                g.gradient().forEach((leaf, value) -> gradients.put(leaf,
                        dev.chainrule.print.ExprPrinter.partial(dev.chainrule.print.Format.TEXT, g.of(), leaf) + " = "
                                + dev.chainrule.print.Tensors.format(value, options.digits())));
            }
            results.add(result);
        }
        return new CellResult(results, extension.rebuilt());
    }

    /**
     * The value of a cell that is one expression ({@code h1 + 1}), as {@code print} gives it; a
     * cell that is neither statements nor an expression gets the statements' syntax error.
     */
    private Result bareExpression(Source source, ChainException notStatements) {
        if (notStatements.kind() != ChainException.Kind.SYNTAX || source.text().isBlank()) {
            throw notStatements;
        }
        try {
            SourceParser.parseExpression(source);
        } catch (ChainException notAnExpression) {
            // the reading that got further is the one the entry meant
            dev.chainrule.diag.Span a = notStatements.diagnostic().span();
            dev.chainrule.diag.Span b = notAnExpression.diagnostic().span();
            boolean further = b.line() > a.line() || b.line() == a.line() && b.column() > a.column();
            throw further ? notAnExpression : notStatements;
        }
        Node node = model.node(source.name(), source.text());
        Map<String, Tensor> values = new LinkedHashMap<>();
        values.put(source.text().strip(), model.value(node));
        return new Result.Values(values);
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
        return model.scope().names();
    }

    /**
     * Everything a word may complete to: the session's names, the language's keywords, and its
     * functions (those of the language and those the cells wrote with def) with their opening
     * bracket, {@code sigmoid(}.
     */
    public java.util.SortedSet<String> completions(String prefix) {
        java.util.SortedSet<String> all = new java.util.TreeSet<>();
        all.addAll(model.scope().names());
        all.addAll(dev.chainrule.lang.Language.keywords());
        for (String function : dev.chainrule.lang.Language.functions()) {
            all.add(function + "(");
        }
        for (String function : model.functions()) {
            all.add(function + "(");
        }
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
