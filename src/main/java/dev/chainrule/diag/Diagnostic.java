package dev.chainrule.diag;

/**
 * A message about a place in a source, rendered the way compilers do, with notes at other places
 * (the line inside a function where a call went wrong).
 */
public record Diagnostic(Span span, String message, java.util.List<Diagnostic> notes) {
    public Diagnostic {
        notes = java.util.List.copyOf(notes);
    }

    /** A diagnostic without notes. */
    public Diagnostic(Span span, String message) {
        this(span, message, java.util.List.of());
    }

    /** Source lines longer than this are shown as a window around the place, not whole. */
    static final int WIDEST = 160;
    /** Characters shown on each side of the place in a long line. */
    private static final int CONTEXT = 60;

    /**
     * Renders {@code file:line:col: message}, then the source line and a caret under the span:
     *
     * <pre>
     * model.chain:3:7: unknown name 'w9'; did you mean 'w1'?
     * net = w9*i1
     *       ^^
     * </pre>
     *
     * A line longer than {@value #WIDEST} characters is shown as a window around the place, with
     * {@code ...} where it is cut. Control characters (a NUL byte, say) are shown as their
     * visible pictures (␀), one column each, so the caret stays under the place and the terminal
     * is not disturbed. A diagnostic without a place (which the engine avoids) renders as
     * {@code chainrule: message}.
     */
    public String render() {
        StringBuilder out = new StringBuilder(renderOne());
        for (Diagnostic note : notes) {
            out.append('\n').append(note.renderOne());
        }
        return out.toString();
    }

    private String renderOne() {
        if (span == null) {
            // a node the engine made has no place; say what happened rather than fail to say it
            return "chainrule: " + visible(message);
        }
        String line = span.source().line(span.line());
        int from = 0;
        int to = line.length();
        int column = span.column() - 1;
        if (line.length() > WIDEST) {
            from = Math.max(0, Math.min(column, line.length()) - CONTEXT);
            to = Math.min(line.length(), Math.max(column, from) + Math.max(1, Math.min(span.length(), CONTEXT)) + CONTEXT);
        }
        String prefix = from > 0 ? "..." : "";
        String shown = prefix + visible(line.substring(from, to)) + (to < line.length() ? "..." : "");
        StringBuilder caret = new StringBuilder(" ".repeat(prefix.length()));
        int upTo = Math.min(column, to);
        for (int i = from; i < upTo; i++) {
            caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        if (column > line.length()) {
            caret.append(" ".repeat(column - line.length()));
        }
        int room = Math.max(1, Math.min(span.length(), Math.min(to, line.length()) - column));
        caret.append("^".repeat(room));
        return span.where() + ": " + visible(message) + "\n" + shown + "\n" + caret;
    }

    /** Text with control characters other than tab and line breaks shown as their pictures (U+2400 on). */
    static String visible(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\t' && c != '\n' || c == 0x7F;
            if (control && out == null) {
                out = new StringBuilder(text.substring(0, i));
            }
            if (out != null) {
                out.append(control ? (char) (c == 0x7F ? 0x2421 : 0x2400 + c) : c);
            }
        }
        return out == null ? text : out.toString();
    }
}
