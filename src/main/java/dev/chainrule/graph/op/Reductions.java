package dev.chainrule.graph.op;

import static dev.chainrule.graph.op.Notation.call;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Shapes;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Operations along an axis (or over every element, axis -1): sums, the softmax family computed
 * stably, and maxima with the masks their gradients go through.
 */
final class Reductions {
    private Reductions() {
    }

    /** {@code v}, which lost {@code axis} (or every axis, for -1) of {@code full}, repeated back out to {@code full}. */
    static <T> T spread(Algebra<T> f, T v, Shape full, int axis) {
        return f.broadcastTo(f.reshape(v, Shapes.keepAxis(full, axis)), full);
    }

    /** {@code sum(a)} over all elements, or {@code sum(a, axis)}; the adjoint is spread back over the summed axis. */
    static final StructuralRule SUM = new StructuralRule(1, call("sum", "\\sum"), Op.Domain.ANY, true) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.sum(a, attrs[0]);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.sum(attrs[0]);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return spread(f, adjoint, f.shape(a), attrs[0]);
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return Views.sums(s, a, ElementMaps.alongAxis(sa, attrs[0]), needed);
        }

        @Override
        String attributes(int[] attrs) {
            return attrs[0] < 0 ? "" : ", " + attrs[0];
        }
    };

    /**
     * {@code softmax(a, axis)}, computed stably; the adjoint is {@code out ⊙ (adjoint - Σ adjoint ⊙ out)}
     * along the axis.
     */
    static final StructuralRule SOFTMAX = new AlongAnAxis(call("softmax", "\\operatorname{softmax}")) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            Shapes.reduce("softmax", a, attrs[0]);
            return a;
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.softmax(attrs[0]);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            T dot = f.apply(Op.SUM, attrs, f.mul(adjoint, out), null);
            return f.mul(out, f.sub(adjoint, spread(f, dot, f.shape(a), attrs[0])));
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return softmaxFamily(Op.SOFTMAX, s, a, sa, out, attrs[0], needed);
        }
    };

    /** {@code log_softmax(a, axis) = a - logsumexp(a, axis)}; the adjoint is {@code adjoint - softmax ⊙ Σ adjoint}. */
    static final StructuralRule LOG_SOFTMAX = new AlongAnAxis(call("log_softmax", "\\operatorname{log\\_softmax}")) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            Shapes.reduce("log_softmax", a, attrs[0]);
            return a;
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.logSoftmax(attrs[0]);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            T total = f.apply(Op.SUM, attrs, adjoint, null);
            return f.sub(adjoint, f.mul(f.apply(Op.EXP, out), spread(f, total, f.shape(a), attrs[0])));
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return softmaxFamily(Op.LOG_SOFTMAX, s, a, sa, out, attrs[0], needed);
        }
    };

    /** {@code logsumexp(a, axis) = log Σ exp(a)} along the axis, stably; the adjoint is spread as {@code adjoint ⊙ softmax(a)}. */
    static final StructuralRule LOGSUMEXP = new AlongAnAxis(call("logsumexp", "\\operatorname{logsumexp}")) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.reduce("logsumexp", a, attrs[0]);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.logSumExp(attrs[0], Shapes.sum(a.shape(), attrs[0]));
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            Shape shape = f.shape(a);
            T softmax = f.apply(Op.EXP, f.sub(a, spread(f, out, shape, attrs[0])));
            return f.mul(spread(f, adjoint, shape, attrs[0]), softmax);
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return softmaxFamily(Op.LOGSUMEXP, s, a, sa, out, attrs[0], needed);
        }
    };

    /** softmax, log_softmax and logsumexp written out from exp, log and sums, line by line. */
    private static <E> E[] softmaxFamily(Op op, Scalars<E> s, E[] a, Shape sa, Shape out, int axis, BitSet needed) {
        List<List<Integer>> lines = ElementMaps.alongAxis(sa, axis);
        E[] result = Views.newArray(a, out.size());
        for (int g = 0; g < lines.size(); g++) {
            List<Integer> line = lines.get(g);
            if (op == Op.LOGSUMEXP ? !needed.get(g) : !ElementMaps.any(needed, line)) {
                continue;
            }
            List<E> exps = new ArrayList<>();
            line.forEach(k -> exps.add(s.apply(Op.EXP, a[k])));
            E total = s.sum(exps);
            if (op == Op.LOGSUMEXP) {
                result[g] = s.apply(Op.LOG, total);
                continue;
            }
            E logTotal = s.apply(Op.LOG, total);
            for (int j = 0; j < line.size(); j++) {
                int k = line.get(j);
                if (needed.get(k)) {
                    result[k] = op == Op.SOFTMAX ? s.apply(Op.DIV, exps.get(j), total) : s.apply(Op.SUB, a[k], logTotal);
                }
            }
        }
        return result;
    }

    /**
     * {@code max(a)}, the largest element, or {@code max(a, axis=k)}, the largest along an axis;
     * the adjoint goes to the first largest element of each line.
     */
    static final StructuralRule MAX_OVER = new StructuralRule(1, call("max", "\\max"), Op.Domain.ANY, false) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.reduce("max", a, attrs[0]);
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.max(attrs[0], Shapes.reduce("max", a.shape(), attrs[0]));
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.mul(spread(f, adjoint, f.shape(a), attrs[0]), f.apply(Op.ARGMAX_MASK, attrs, a, null));
        }

        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            List<List<Integer>> lines = ElementMaps.alongAxis(sa, attrs[0]);
            E[] result = Views.newArray(a, lines.size());
            for (int g = 0; g < lines.size(); g++) {
                if (needed.get(g)) {
                    result[g] = Views.largest(s, a, lines.get(g));
                }
            }
            return result;
        }

        @Override
        Tensor sample(int k, Shape shape, int[] attrs, java.util.SplittableRandom rng) {
            return Samples.separated(shape, rng);
        }

        @Override
        String attributes(int[] attrs) {
            return attrs[0] < 0 ? "" : ", axis=" + attrs[0];
        }
    };

    /**
     * 1 at the first largest element of each line along the axis (of all elements for -1), 0
     * elsewhere; piecewise constant, so its adjoint is 0.
     */
    static final StructuralRule ARGMAX_MASK = new StructuralRule(1, call("argmax_mask", "\\operatorname{argmax\\_mask}"), Op.Domain.ANY,
            false) {
        @Override
        Shape shape(Shape a, Shape b, int[] attrs) {
            Shapes.reduce("argmax_mask", a, attrs[0]);
            return a;
        }

        @Override
        Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.argmaxMask(attrs[0]);
        }

        @Override
        <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.mul(f.constant(0), a);
        }

        /**
         * Element i of a line is {@code e_i·p_i}: {@code e_i = 1 - |sign(max - a_i)|} says a_i is
         * a largest element, {@code p_i = Π_{j<i} (1 - e_j)} that none before it is. Piecewise
         * constant, as the mask.
         */
        @Override
        <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            E[] result = Views.newArray(a, a.length);
            E one = s.constant(1);
            for (List<Integer> line : ElementMaps.alongAxis(sa, attrs[0])) {
                if (!ElementMaps.any(needed, line)) {
                    continue;
                }
                E max = Views.largest(s, a, line);
                E noneBefore = one;
                for (int j = 0; j < line.size(); j++) {
                    int i = line.get(j);
                    E isLargest = s.apply(Op.SUB, one, s.apply(Op.ABS, s.apply(Op.SIGN, s.apply(Op.SUB, max, a[i]))));
                    if (needed.get(i)) {
                        result[i] = j == 0 ? isLargest : s.apply(Op.MUL, isLargest, noneBefore);
                    }
                    noneBefore = j == 0 ? s.apply(Op.SUB, one, isLargest) : s.apply(Op.MUL, noneBefore, s.apply(Op.SUB, one, isLargest));
                }
            }
            return result;
        }

        @Override
        Tensor sample(int k, Shape shape, int[] attrs, java.util.SplittableRandom rng) {
            return Samples.separated(shape, rng);
        }

        @Override
        String attributes(int[] attrs) {
            return attrs[0] < 0 ? "" : ", axis=" + attrs[0];
        }
    };

    /**
     * softmax, log_softmax and logsumexp: smooth, defined everywhere, along one axis, which the
     * language writes only when it is not the last (the one it takes when none is written).
     */
    private abstract static class AlongAnAxis extends StructuralRule {
        AlongAnAxis(Notation notation) {
            super(1, notation, Op.Domain.ANY, true);
        }

        @Override
        String attributes(int[] attrs, Shape operand) {
            return operand != null && attrs[0] == Shapes.lastAxis(operand) ? "" : ", " + attrs[0];
        }
    }
}
