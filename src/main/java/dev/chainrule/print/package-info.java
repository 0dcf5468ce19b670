/**
 * Printers for expressions and graphs. {@link dev.chainrule.print.ExprPrinter} writes a node as an
 * expression in the user's names (Unicode text, ASCII that parses back, or LaTeX), reading every
 * operator's notation from the op table and bracketing by precedence; it never recurses and binds
 * shared subexpressions to temporaries when writing them out in full would swell.
 * {@link dev.chainrule.print.DotPrinter} writes Graphviz DOT with value and gradient on each node;
 * {@link dev.chainrule.print.Numbers} formats numbers to a number of significant digits.
 */
package dev.chainrule.print;
