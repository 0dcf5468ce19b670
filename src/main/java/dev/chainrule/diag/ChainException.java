package dev.chainrule.diag;

/**
 * A user's mistake, with the diagnostic that explains it. The kind tells the command line how to
 * react; every kind exits with status 2 and prints the rendered diagnostic, never a stack trace.
 */
public class ChainException extends RuntimeException {

    /** What sort of mistake this is. */
    public enum Kind {
        /** The text does not follow the grammar. */
        SYNTAX,
        /** Well-formed text that names something wrong: unknown, redefined, wrong arity, not a leaf. */
        SEMANTIC,
        /** Evaluation failed: a value left the domain of an operation, or became infinite or NaN. */
        RUNTIME
    }

    private final Kind kind;
    private final Diagnostic diagnostic;
    /** The id of the graph node a runtime error happened at, or -1. */
    private final int node;

    public ChainException(Kind kind, Span span, String message) {
        this(kind, span, message, -1);
    }

    private ChainException(Kind kind, Span span, String message, int node) {
        super(message);
        this.kind = kind;
        this.diagnostic = new Diagnostic(span, message);
        this.node = node;
    }

    /** The id of the graph node an evaluation failed at, or -1 when there is none. */
    public int node() {
        return node;
    }

    /** The same diagnostic with {@code prefix} before its message, at the same place and node. */
    public ChainException prefixed(String prefix) {
        return new ChainException(kind, diagnostic.span(), prefix + getMessage(), node);
    }

    /** The same diagnostic with {@code suffix} after its message, at the same place and node. */
    public ChainException suffixed(String suffix) {
        return new ChainException(kind, diagnostic.span(), getMessage() + suffix, node);
    }

    public Kind kind() {
        return kind;
    }

    public Diagnostic diagnostic() {
        return diagnostic;
    }

    /** The full rendering: position, message, source line and caret. */
    public String render() {
        return diagnostic.render();
    }

    public static ChainException syntax(Span span, String message) {
        return new ChainException(Kind.SYNTAX, span, message);
    }

    public static ChainException semantic(Span span, String message) {
        return new ChainException(Kind.SEMANTIC, span, message);
    }

    public static ChainException runtime(Span span, String message) {
        return new ChainException(Kind.RUNTIME, span, message);
    }

    /** An evaluation that failed at graph node {@code node} (its id), reported at {@code span}. */
    public static ChainException runtimeAt(Span span, int node, String message) {
        return new ChainException(Kind.RUNTIME, span, message, node);
    }
}
