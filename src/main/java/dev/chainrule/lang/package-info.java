/**
 * The model language: text to graph. {@link dev.chainrule.lang.SourceParser} (the facade; with
 * {@code AstBuilder} and {@code ParseContext} the only code that touches ANTLR, whose generated parser is in
 * {@code lang.antlr}) turns a source, a statement at a time, into an immutable
 * {@link dev.chainrule.lang.Ast} with source spans, reporting syntax errors as diagnostics;
 * {@link dev.chainrule.lang.ModelBuilder} builds each statement as it is read: it resolves names and
 * functions against a {@link dev.chainrule.model.Scope} and makes graph nodes and resolved
 * {@link dev.chainrule.lang.Command}s, keeping the sources rather than the statements. Both walk
 * expressions with explicit stacks, so nesting depth and chain length are bounded by memory, not by
 * the Java stack.
 */
package dev.chainrule.lang;
