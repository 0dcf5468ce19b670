/**
 * The model language: text to graph. {@link dev.chainrule.lang.SourceParser} (the facade; with
 * {@code AstBuilder} the only code that touches ANTLR, whose generated parser is in {@code lang.antlr}) turns a source into an
 * immutable {@link dev.chainrule.lang.Ast} with source spans, reporting syntax errors as
 * diagnostics; {@link dev.chainrule.lang.ModelBuilder} resolves names and functions against a
 * {@link dev.chainrule.model.Scope} and builds graph nodes and resolved
 * {@link dev.chainrule.lang.Command}s. Both walk expressions with explicit stacks, so nesting depth
 * and chain length are bounded by memory, not by the Java stack.
 */
package dev.chainrule.lang;
