/**
 * A model's names and settings, below the language that writes them: a
 * {@link dev.chainrule.model.Scope} is the graph, each name's node and where it was defined, and
 * the current value of every leaf; {@link dev.chainrule.model.ModelOptions} are the limits and
 * read grants it was built under, carried by the model and never by the process. The engine's
 * consumers (explanations, checks, training) find a model's names here without the parser.
 */
package dev.chainrule.model;
