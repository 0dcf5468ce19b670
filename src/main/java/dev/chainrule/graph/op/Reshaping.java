package dev.chainrule.graph.op;

import static dev.chainrule.graph.op.Notation.call;

import dev.chainrule.tensor.Indexing;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.ShapeException;
import dev.chainrule.tensor.Shapes;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;

/**
 * Operations that move elements without computing with them: indexing and slicing, padding (the
 * adjoint of a slice), joining, reshaping, broadcasting and its adjoint, and one-hot rows of
 * labels.
 */
final class Reshaping {
    private Reshaping() {
    }

    /** The needed elements of a result whose element i is element {@code map[i]} of {@code a}, via a kernel run on positions. */
    private static <E> E[] moved(StructuralRule rule, E[] a, Shape sa, int[] attrs, BitSet needed) {
        return Views.gather(a, ElementMaps.positions(rule.evaluate(Tensor.positions(sa), null, attrs)), needed);
    }

    /**
     * {@code a[i, j:k:s]}: per axis a position (the axis is dropped) or a slice (kept), held as
     * {@link Indexing} attributes; the adjoint is padded back into zeros of {@code a}'s shape.
     */
    static final StructuralRule INDEX = new StructuralRule(1, call("index", "#1"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Indexing.resultShape(a, attrs);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Indexing.gather(a, attrs);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            Shape sa = f.shape(a);
            return f.apply(Op.PAD, Indexing.padFor(sa, attrs), f.reshape(adjoint, Indexing.keptShape(sa, attrs)), null);
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return Views.gather(a, Indexing.flat(sa, attrs), needed);
        }
    };

    /**
     * {@code pad(a, before, after, step, ...)}: per axis zeros before and after, and elements
     * {@code step} apart (the adjoint of a slice); the adjoint is the slice where the elements are.
     */
    static final StructuralRule PAD = new StructuralRule(1, call("pad", "\\operatorname{pad}"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Indexing.padShape(a, attrs);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Indexing.pad(a, attrs);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.apply(Op.INDEX, Indexing.sliceOf(f.shape(a), attrs), adjoint, null);
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            int[] placed = Indexing.flat(out, Indexing.sliceOf(sa, attrs));
            E[] result = Views.newArray(a, out.size());
            E zero = s.constant(0);
            for (int i = needed.nextSetBit(0); i >= 0 && i < result.length; i = needed.nextSetBit(i + 1)) {
                result[i] = zero;
            }
            for (int i = 0; i < placed.length; i++) {
                if (needed.get(placed[i])) {
                    result[placed[i]] = a[i];
                }
            }
            return result;
        }
    };

    /** {@code concat(a, b, axis=k)}: a and b joined along an axis; each input's adjoint is its slice of the adjoint. */
    static final StructuralRule CONCAT = new StructuralRule(2, call("concat", "\\operatorname{concat}"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.concat(a, b, attrs[0]);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Tensor.concat(a, b, attrs[0]);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            int axis = attrs[0];
            int na = f.shape(a).dim(axis);
            int length = f.shape(k == 0 ? a : b).dim(axis);
            int[] index = Indexing.with(Indexing.all(f.shape(out)), axis, Indexing.slice(k == 0 ? 0 : na, (k == 0 ? 0 : na) + length, 1));
            return f.apply(Op.INDEX, index, adjoint, null);
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            Tensor from = Tensor.concat(Tensor.positions(sa), Tensor.of(sb, offset(Tensor.positions(sb), sa.size())), attrs[0]);
            E[] result = Views.newArray(a, out.size());
            for (int i = needed.nextSetBit(0); i >= 0 && i < result.length; i = needed.nextSetBit(i + 1)) {
                int at = (int) from.get(i);
                result[i] = at < a.length ? a[at] : b[at - a.length];
            }
            return result;
        }

        @Override
        String attributes(int[] attrs) {
            return ", axis=" + attrs[0];
        }
    };

    private static double[] offset(Tensor positions, int by) {
        double[] out = positions.toArray();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }

    /** Sums a tensor onto a shape that broadcasts to it (the adjoint of broadcasting). */
    static final StructuralRule SUM_TO = new StructuralRule(1, call("sum_to", "\\operatorname{sum\\_to}"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            Shape target = Shape.of(attrs);
            if (!a.equals(Shape.broadcast(a, target))) {
                throw new ShapeException("cannot sum a " + a + " value onto " + target);
            }
            return target;
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.sumTo(Shape.of(attrs));
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.broadcastTo(adjoint, f.shape(a));
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return Views.sums(s, a, ElementMaps.groups(sa, out), needed);
        }
    };

    /** Repeats a tensor along stretched dimensions to a larger shape (the adjoint of summing). */
    static final StructuralRule BROADCAST_TO = new StructuralRule(1, call("broadcast_to", "\\operatorname{broadcast\\_to}"),
            Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            Shape target = Shape.of(attrs);
            if (!target.equals(Shape.broadcast(a, target))) {
                throw new ShapeException("cannot broadcast a " + a + " value to " + target);
            }
            return target;
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.broadcastTo(Shape.of(attrs));
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.sumTo(adjoint, f.shape(a));
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return moved(this, a, sa, attrs, needed);
        }
    };

    /** {@code reshape(a, d0, d1, ...)}: the same elements in another shape of the same size; the adjoint is reshaped back. */
    static final StructuralRule RESHAPE = new StructuralRule(1, call("reshape", "\\operatorname{reshape}"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            Shape target = Shape.of(attrs);
            if (target.elements() != a.elements()) {
                throw new ShapeException("cannot reshape a " + a + " value to " + target + ": " + a.elements() + " elements are not "
                        + target.elements());
            }
            return target;
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.reshape(Shape.of(attrs));
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.reshape(adjoint, f.shape(a));
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return moved(this, a, sa, attrs, needed);
        }
    };

    /**
     * {@code onehot(labels, k)}: each label as a row of k zeros with a 1 at its class (labels are
     * data: a label that is not a class is an error of the value, reported where onehot is
     * written); piecewise constant, so its adjoint is 0.
     */
    static final StructuralRule ONEHOT = new StructuralRule(1, call("onehot", "\\operatorname{onehot}"), Op.Domain.ANY, false) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.onehot(a, attrs[0]);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Tensor.onehot(a, attrs[0]);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.mul(f.constant(0), a);
        }

        @Override
        Tensor sample(int k, Shape shape, int[] attrs, java.util.SplittableRandom rng) {
            return Samples.labels(shape, attrs[0], rng);
        }

        @Override
        boolean discrete(int k) {
            return true;
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            int k = attrs[0];
            E[] result = Views.newArray(a, out.size());
            for (int i = needed.nextSetBit(0); i >= 0 && i < result.length; i = needed.nextSetBit(i + 1)) {
                result[i] = s.apply(Op.EQ, a[i / k], s.constant(i % k));
            }
            return result;
        }
    };
}
