package dev.chainrule.graph.op;

/**
 * How an operation is written by the expression printers.
 *
 * @param fixity     where the symbol goes relative to the operands
 * @param precedence binding strength; higher binds tighter (atoms and calls are {@link #ATOM})
 * @param text       symbol or function name in Unicode text (the default format)
 * @param ascii      symbol or function name in plain ASCII; this form parses back as the language
 * @param latex      LaTeX: an operator, or a template where {@code #1}, {@code #2} stand for
 *                   operands that the template already groups (so they are printed bare)
 */
public record Notation(Fixity fixity, int precedence, String text, String ascii, String latex) {

    /** Precedence of names, numbers, calls and anything in brackets. */
    public static final int ATOM = 10;

    /** Where an operator stands. */
    public enum Fixity {
        /** No operands: constants and leaves. */
        NONE,
        /** {@code a + b}; a right operand of equal precedence is bracketed unless the op is associative. */
        INFIX_LEFT,
        /** {@code a ^ b}; a left operand of equal precedence is bracketed. */
        INFIX_RIGHT,
        /** {@code -a}. */
        PREFIX,
        /** {@code f(a, b)}. */
        CALL
    }

    static Notation leaf() {
        return new Notation(Fixity.NONE, ATOM, "", "", "");
    }

    static Notation infix(int precedence, String text, String ascii, String latex) {
        return new Notation(Fixity.INFIX_LEFT, precedence, text, ascii, latex);
    }

    static Notation call(String name, String latex) {
        return new Notation(Fixity.CALL, ATOM, name, name, latex);
    }

    /** True when the LaTeX form is a template with {@code #1} placeholders. */
    public boolean latexIsTemplate() {
        return latex.contains("#1");
    }
}
