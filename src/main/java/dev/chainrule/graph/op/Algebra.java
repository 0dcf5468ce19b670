package dev.chainrule.graph.op;

import dev.chainrule.tensor.Shape;


/**
 * What a derivative rule may do with values: make constants, apply operations and ask for
 * shapes. A rule written against this interface is evaluated with tensors of numbers by the
 * numeric algebra and builds graph nodes with the symbolic one, so each rule exists once and can
 * itself be differentiated again.
 *
 * @param <T> the value type: {@link Tensor} for numbers, graph nodes for symbolic expressions
 */
public interface Algebra<T> {
    /** The attributes of an operation that has none. */
    int[] NO_ATTRS = new int[0];

    /** A scalar constant. */
    T constant(double value);

    /** Applies an operation to one or two operands, with the operation's attributes. */
    T apply(Op op, int[] attrs, T a, T b);

    /** The shape of a value. */
    Shape shape(T value);

    /** Applies a unary operation without attributes. */
    default T apply(Op op, T a) {
        return apply(op, NO_ATTRS, a, null);
    }

    /** Applies a binary operation without attributes. */
    default T apply(Op op, T a, T b) {
        return apply(op, NO_ATTRS, a, b);
    }

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

    default T matmul(T a, T b) {
        return apply(Op.MATMUL, a, b);
    }

    default T transpose(T a) {
        return shape(a).rank() < 2 ? a : apply(Op.TRANSPOSE, a);
    }

    /** {@code a} summed onto {@code shape} (unchanged when it has that shape already). */
    default T sumTo(T a, Shape shape) {
        return shape(a).equals(shape) ? a : apply(Op.SUM_TO, shape.dims(), a, null);
    }

    /** {@code a} repeated out to {@code shape} (unchanged when it has that shape already). */
    default T broadcastTo(T a, Shape shape) {
        return shape(a).equals(shape) ? a : apply(Op.BROADCAST_TO, shape.dims(), a, null);
    }

    /** {@code a} in another shape of the same size (unchanged when it has that shape already). */
    default T reshape(T a, Shape shape) {
        return shape(a).equals(shape) ? a : apply(Op.RESHAPE, shape.dims(), a, null);
    }
}
