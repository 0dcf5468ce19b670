package dev.chainrule.print;

import java.util.Locale;

/** Output notations for expressions and explanations. */
public enum Format {
    /** Unicode text: ∂, ·, as the tutorials write (the default). */
    TEXT,
    /** Plain ASCII; expressions in it parse back as the language. */
    ASCII,
    /** LaTeX math. */
    LATEX,
    /** Markdown with LaTeX math. */
    MARKDOWN;

    /** True for the formats that write mathematics as LaTeX: LaTeX itself, and Markdown's math. */
    public boolean latex() {
        return this == LATEX || this == MARKDOWN;
    }

    /** Parses a format name as given on the command line ({@code text}, {@code ascii}, ...). */
    public static Format parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
}
