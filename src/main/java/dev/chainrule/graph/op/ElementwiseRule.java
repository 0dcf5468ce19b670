package dev.chainrule.graph.op;

/**
 * An operation applied to each element, with broadcasting: defined by its value at one element
 * and its local partial derivatives, written against an {@link Algebra} with the inputs {@code a},
 * {@code b} and the output {@code out} as operands (so one rule gives numbers, graph nodes, tape
 * registers and bytecode, and can be differentiated again).
 */
public abstract non-sealed class ElementwiseRule extends Definition {

    ElementwiseRule(int arity, Notation notation, Op.Domain domain, boolean smooth) {
        super(arity, notation, domain, smooth);
    }

    /** The value at one element; {@code b} is ignored by an operation of one input. */
    abstract double value(double a, double b);

    /** The local partial derivative of the output with respect to input {@code k}. */
    abstract <T> T partial(Algebra<T> f, int k, T a, T b, T out);

    /** Why {@code value(a, b)} left the real numbers for finite inputs, in words, or null. */
    String domainProblem(double a, double b) {
        return null;
    }
}
