package dev.chainrule.diag;

/** A message about a place in a source, rendered the way compilers do. */
public record Diagnostic(Span span, String message) {

    /**
     * Renders {@code file:line:col: message}, then the source line and a caret under the span:
     *
     * <pre>
     * model.chain:3:7: unknown name 'w9'; did you mean 'w1'?
     * net = w9*i1
     *       ^^
     * </pre>
     *
     * A diagnostic without a place (which the engine avoids) renders as {@code chainrule: message}.
     */
    public String render() {
        if (span == null) {
            // a node the engine made has no place; say what happened rather than fail to say it
            return "chainrule: " + message;
        }
        String line = span.source().line(span.line());
        StringBuilder caret = new StringBuilder();
        int upTo = Math.min(span.column() - 1, line.length());
        for (int i = 0; i < upTo; i++) {
            caret.append(line.charAt(i) == '\t' ? '\t' : ' ');
        }
        if (span.column() - 1 > line.length()) {
            caret.append(" ".repeat(span.column() - 1 - line.length()));
        }
        int room = Math.max(1, Math.min(span.length(), line.length() - (span.column() - 1)));
        caret.append("^".repeat(room));
        return span.where() + ": " + message + "\n" + line + "\n" + caret;
    }
}
