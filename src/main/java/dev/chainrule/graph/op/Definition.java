package dev.chainrule.graph.op;

import java.util.List;

/**
 * What the op table says of one operation, common to every kind: how many inputs it takes, how it
 * is written, where it is defined, whether it is smooth, the points at the edges of its domain
 * that the rule check visits, and whether its inputs are interchangeable (and, where they are not,
 * what each one is called). {@link ElementwiseRule} and {@link StructuralRule} add how it is
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

    /**
     * Whether the two inputs can be swapped without changing the value ({@code a + b = b + a});
     * false unless a definition says so, and for operations of one input.
     */
    boolean commutative() {
        return false;
    }

    /**
     * What input {@code k} of an operation of two inputs is called: its role where it has a
     * familiar one ({@code numerator}, {@code base}), else its side of an operator ({@code left},
     * {@code right}) or its place among a function's arguments ({@code 1st}, {@code 2nd}).
     */
    String operand(int k) {
        if (notation.fixity() == Notation.Fixity.CALL) {
            return k == 0 ? "1st" : "2nd";
        }
        return k == 0 ? "left" : "right";
    }
}
