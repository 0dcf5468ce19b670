package dev.chainrule.graph.op;

import java.util.List;

/**
 * What the op table says of one operation, common to every kind: how many inputs it takes, how it
 * is written, where it is defined, whether it is smooth, and the points at the edges of its domain
 * that the rule check visits. {@link ElementwiseRule} and {@link StructuralRule} add how it is
 * computed and differentiated; the family files ({@code Arithmetic}, {@code Functions},
 * {@code Comparisons}, {@code Products}, {@code Reductions}, {@code Reshaping}) hold one definition
 * per operation, and {@link Op} lists them.
 */
public abstract sealed class Definition permits ElementwiseRule, StructuralRule {
    final int arity;
    final Notation notation;
    final Op.Domain domain;
    final boolean smooth;

    Definition(int arity, Notation notation, Op.Domain domain, boolean smooth) {
        this.arity = arity;
        this.notation = notation;
        this.domain = domain;
        this.smooth = smooth;
    }

    /** The points at the edges of the domain where the value is finite and the rule must agree with differences. */
    List<Op.Edge> edges() {
        return List.of();
    }
}
