/**
 * The command line, a thin layer over {@link dev.chainrule.api}: picocli commands that load a
 * model, apply {@code --set} flags, run one request or the model's statements, and print text or
 * one JSON object per result. Every user mistake becomes {@code file:line:col: message} with the
 * source line and a caret, and exit status 2; a failed gradient check exits 1.
 */
package dev.chainrule.cli;
