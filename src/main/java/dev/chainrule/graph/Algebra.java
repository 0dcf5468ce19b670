package dev.chainrule.graph;

/**
 * What a derivative rule may do with values: make constants and apply operations. A rule written
 * against this interface is evaluated with numbers by a double algebra and builds graph nodes with
 * a symbolic one, so each rule exists once and can itself be differentiated again.
 *
 * @param <T> the value type: {@code Double} for numbers, {@link Node} for symbolic expressions
 */
public interface Algebra<T> {

    T constant(double value);

    /** Applies a unary operation. */
    T apply(Op op, T a);

    /** Applies a binary operation. */
    T apply(Op op, T a, T b);

    default T add(T a, T b) {
        return apply(Op.ADD, a, b);
    }

    default T sub(T a, T b) {
        return apply(Op.SUB, a, b);
    }

    default T mul(T a, T b) {
        return apply(Op.MUL, a, b);
    }

    default T div(T a, T b) {
        return apply(Op.DIV, a, b);
    }

    default T neg(T a) {
        return apply(Op.NEG, a);
    }

    default T pow(T a, T b) {
        return apply(Op.POW, a, b);
    }
}
