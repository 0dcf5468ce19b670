package dev.chainrule.graph.op;

import static dev.chainrule.graph.op.Notation.call;
import static dev.chainrule.graph.op.Notation.infix;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Shapes;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Linear algebra: the matrix product and the transpose. */
final class Products {
    private Products() {
    }

    /**
     * {@code a @ b}, numpy's matrix product; the adjoints are {@code adjoint @ bᵀ} and
     * {@code aᵀ @ adjoint}, with vectors taken as columns or rows.
     */
    static final StructuralRule MATMUL = new StructuralRule(2, infix(2, "@", "@", "\\,"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.matmul(a, b);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Tensor.matmul(a, b);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            Shape sa = f.shape(a);
            Shape sb = f.shape(b);
            if (sa.rank() == 1 && sb.rank() == 1) {
                return f.mul(adjoint, k == 0 ? b : a);
            }
            if (sa.rank() == 2 && sb.rank() == 2) {
                return k == 0 ? f.matmul(adjoint, f.transpose(b)) : f.matmul(f.transpose(a), adjoint);
            }
            if (sa.rank() == 2) {
                return k == 0
                        ? f.matmul(f.reshape(adjoint, Shape.of(sa.dim(0), 1)), f.reshape(b, Shape.of(1, sb.dim(0))))
                        : f.matmul(f.transpose(a), adjoint);
            }
            return k == 0
                    ? f.matmul(b, adjoint)
                    : f.matmul(f.reshape(a, Shape.of(sa.dim(0), 1)), f.reshape(adjoint, Shape.of(1, sb.dim(1))));
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            int m = sa.rank() == 2 ? sa.dim(0) : 1;
            int n = sa.dim(sa.rank() - 1);
            int p = sb.rank() == 2 ? sb.dim(1) : 1;
            E[] result = Views.newArray(a, out.size());
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < p; j++) {
                    if (needed.get(i * p + j)) {
                        List<E> terms = new ArrayList<>(n);
                        for (int k = 0; k < n; k++) {
                            terms.add(s.apply(Op.MUL, a[i * n + k], b[k * p + j]));
                        }
                        result[i * p + j] = s.sum(terms);
                    }
                }
            }
            return result;
        }

        /** Element (i, j) depends on row i of a and column j of b. */
        @Override
        BitSet dependents(Shape sa, Shape sb, Shape out, int[] attrs, BitSet depA, BitSet depB) {
            int m = sa.rank() == 2 ? sa.dim(0) : 1;
            int n = sa.dim(sa.rank() - 1);
            int p = sb.rank() == 2 ? sb.dim(1) : 1;
            boolean[] rows = new boolean[m];
            boolean[] cols = new boolean[p];
            for (int e = depA.nextSetBit(0); e >= 0; e = depA.nextSetBit(e + 1)) {
                rows[e / n] = true;
            }
            for (int e = depB.nextSetBit(0); e >= 0; e = depB.nextSetBit(e + 1)) {
                cols[e % p] = true;
            }
            BitSet depends = new BitSet();
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < p; c++) {
                    if (rows[r] || cols[c]) {
                        depends.set(r * p + c);
                    }
                }
            }
            return depends;
        }
    };

    /** {@code T(a)}, the transpose of a matrix (a vector is its own transpose); the adjoint is transposed back. */
    static final StructuralRule TRANSPOSE = new StructuralRule(1, call("T", "#1^{\\top}"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            if (a.rank() > 2) {
                // stack can make a value of three axes; which two would swap is not said, so none is
                throw new dev.chainrule.tensor.ShapeException("T transposes a vector or a matrix, not a " + a + " value");
            }
            return a.rank() == 2 ? Shape.of(a.dim(1), a.dim(0)) : a;
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.transpose();
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.transpose(adjoint);
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return Views.gather(a, ElementMaps.positions(evaluate(Tensor.positions(sa), null, attrs)), needed);
        }
    };
}
