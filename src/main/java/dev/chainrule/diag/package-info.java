/**
 * Source text, positions and diagnostics. A {@link dev.chainrule.diag.Source} is the text of a model
 * (a file, a notebook cell, a command-line flag); a {@link dev.chainrule.diag.Span} is a place in
 * it; a {@link dev.chainrule.diag.Diagnostic} pairs a span with a message and renders as
 * {@code file:line:col: message}, the source line and a caret under the span. Every mistake a
 * user can make reaches them through a {@link dev.chainrule.diag.ChainException} carrying one
 * diagnostic, never as a Java stack trace.
 */
package dev.chainrule.diag;
