package dev.chainrule.diag;

/**
 * A place in a {@link Source}: 1-based line and column and a length in characters (at least 1,
 * so a caret always shows). Spans never cross lines when rendered; a longer span is cut at the
 * end of its first line.
 */
public record Span(Source source, int line, int column, int length) {

    /** The source text this span covers (on its first line). */
    public String text() {
        String line = source.line(this.line);
        int from = Math.min(column - 1, line.length());
        int to = Math.min(from + length, line.length());
        return line.substring(from, to);
    }

    /** {@code name:line:col}, the prefix of every diagnostic. */
    public String where() {
        return source.name() + ":" + line + ":" + column;
    }

    /** The span from the start of this one to the end of {@code end} (same line only). */
    public Span to(Span end) {
        if (end.line != line) {
            return new Span(source, line, column, Math.max(1, source.line(line).length() - column + 1));
        }
        return new Span(source, line, column, Math.max(1, end.column + end.length - column));
    }
}
