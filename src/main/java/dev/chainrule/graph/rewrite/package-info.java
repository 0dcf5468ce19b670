/**
 * Rewriting while building: the {@link dev.chainrule.graph.rewrite.Simplifier} makes each node
 * of a derivative through a list of rules (constants fold, identities vanish, like terms gather),
 * each rule no larger than what it replaces, so symbolic gradients stay small and readable.
 */
package dev.chainrule.graph.rewrite;
