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
        this(kind, new Diagnostic(span, message), node);
    }

    private ChainException(Kind kind, Diagnostic diagnostic, int node) {
        super(diagnostic.message());
        this.kind = kind;
        this.diagnostic = diagnostic;
        this.node = node;
    }

    /**
     * The same mistake reported at another place (a call, for a mistake inside the function it
     * inlines), its message prefixed, with notes that point where it happened.
     */
    public ChainException relocate(Span at, String prefix, java.util.List<Diagnostic> notes) {
        return new ChainException(kind, new Diagnostic(at, prefix + getMessage(), notes), node);
    }

    /** The same mistake with {@code more} notes after its own (where the file it is in was included, say). */
    public ChainException noted(java.util.List<Diagnostic> more) {
        java.util.List<Diagnostic> notes = new java.util.ArrayList<>(diagnostic.notes());
        notes.addAll(more);
        return new ChainException(kind, new Diagnostic(diagnostic.span(), getMessage(), notes), node);
    }

    /** True once {@link #relocate} has placed this mistake. */
    public boolean relocated() {
        return !diagnostic.notes().isEmpty();
    }

    /** The id of the graph node an evaluation failed at, or -1 when there is none. */
    public int node() {
        return node;
    }

    /** The same diagnostic with {@code prefix} before its message, at the same place and node. */
    public ChainException prefixed(String prefix) {
        return new ChainException(kind, new Diagnostic(diagnostic.span(), prefix + getMessage(), diagnostic.notes()), node);
    }

    /** The same diagnostic with {@code suffix} after its message, at the same place and node. */
    public ChainException suffixed(String suffix) {
        return new ChainException(kind, new Diagnostic(diagnostic.span(), getMessage() + suffix, diagnostic.notes()), node);
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
