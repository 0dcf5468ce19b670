package dev.chainrule.graph.op;

/**
 * What the scalar view of an operation may make: constants, and the element-wise operations of
 * the table applied to scalars. Each operation writes its scalar view once, against this
 * interface ({@link Op#unroll}); the scalar view of a model builds graph nodes with it, and the
 * same expansion run over booleans tells which elements of a result depend on one element of an
 * input (so a view of one weight's paths unrolls only what that weight reaches).
 *
 * @param <E> a scalar: a graph node, or whether it depends on something
 */
public interface Scalars<E> {
    E constant(double value);

    /** A unary element-wise operation of one scalar. */
    E apply(Op op, E a);

    /** A binary element-wise operation of two scalars. */
    E apply(Op op, E a, E b);

    /** {@code terms[0] + terms[1] + ...}, summed left to right as the tensor kernels sum. */
    default E sum(java.util.List<E> terms) {
        E total = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            total = apply(Op.ADD, total, terms.get(i));
        }
        return total;
    }
}
