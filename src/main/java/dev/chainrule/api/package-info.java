/**
 * The Java API, for programs that embed chainrule and for the command line and notebooks built on
 * it. A {@link dev.chainrule.api.Model} is a parsed and built model: values, gradients, symbolic
 * derivatives, explanations, checks, training and DOT, by name. A {@link dev.chainrule.api.Session}
 * runs a model's statements and returns one {@link dev.chainrule.api.Result} per statement, each
 * able to render itself as text or as a JSON-ready map.
 */
package dev.chainrule.api;
