package dev.chainrule.graph.op;

import static dev.chainrule.graph.op.Notation.call;
import static dev.chainrule.graph.op.Notation.infix;

import dev.chainrule.tensor.Elementary;
import dev.chainrule.tensor.Indexing;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.ShapeException;
import dev.chainrule.tensor.Shapes;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.tensor.Elementwise;
import java.util.BitSet;

/**
 * The table of operations: each operation defined once, in one place.
 *
 * <p>For every operation this table gives its arity, how it is written (its {@link Notation}), its
 * value ({@link #value}), its local partial derivatives ({@link #partial}) and where it is defined
 * ({@link Domain}). Numeric reverse mode, symbolic gradients, explanations and every printer read
 * this table and nothing else. A partial derivative is written against an {@link Algebra}, with
 * the operation's inputs {@code a}, {@code b} and its own output {@code out} as operands, so the
 * same rule gives a number (double algebra) or a graph (symbolic algebra) that can be
 * differentiated again.
 *
 * <p>Conventions at points where a derivative does not exist, chosen as the common frameworks do:
 * {@code relu'(0) = 0}, {@code abs'(0) = 0}, {@code step' = sign' = 0}; for {@code max(a, b)} and
 * {@code min(a, b)} a tie sends the whole gradient to {@code a}.
 */
public enum Op implements Elementwise {
    /** A number written in the model, or made by folding constants. */
    CONSTANT(0, Notation.leaf(), Domain.ANY, true, Kind.LEAF),
    /** A declared {@code input} or {@code param}: its value is bound, not computed. */
    LEAF(0, Notation.leaf(), Domain.ANY, true, Kind.LEAF),
    /** {@code a + b}; d/da = 1, d/db = 1. */
    ADD(2, infix(1, "+", "+", "+"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a + b;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(1);
        }
    },
    /** {@code a - b}; d/da = 1, d/db = -1. */
    SUB(2, infix(1, "-", "-", "-"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a - b;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(k == 0 ? 1 : -1);
        }
    },
    /** {@code a · b}; d/da = b, d/db = a. */
    MUL(2, infix(2, "·", "*", "\\cdot"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a * b;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0 ? b : a;
        }
    },
    /** {@code a / b}; d/da = 1/b, d/db = -a/b^2. */
    DIV(2, infix(2, "/", "/", "\\frac{#1}{#2}"), Domain.NONZERO_DIVISOR, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a / b;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0
                    ? f.div(f.constant(1), b)
                    : f.neg(f.div(a, f.pow(b, f.constant(2))));
        }

        @Override
        public String domainProblem(double a, double b) {
            return b == 0 ? "division by zero" : null;
        }
    },
    /** {@code -a}; d/da = -1. */
    NEG(1, new Notation(Notation.Fixity.PREFIX, 3, "-", "-", "-"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return -a;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(-1);
        }
    },
    /**
     * {@code a ^ b}; d/da = b·a^(b-1), d/db = a^b·log(a). Also written {@code pow(a, b)}.
     *
     * <p>Each rule has a factor that is exactly zero where the other one is infinite: b = 0 makes
     * a^b the constant 1 however a^(b-1) blows up at a = 0, and a^b = 0 at a = 0 (b &gt; 0) makes
     * the function flat in b however log(0) = -inf. Both products are {@link #MUL_NO_NAN}, whose
     * exact zero wins, so d/dw w^0 at w = 0 is 0 and so is d/dy x^y at x = 0, y = 2, as torch
     * and JAX give them; where the derivative really is infinite (d/da a^0.5 at 0) it stays so.
     */
    POW(2, new Notation(Notation.Fixity.INFIX_RIGHT, 4, "^", "^", "#1^{#2}"), Domain.POSITIVE_BASE, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.pow(a, b);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0
                    ? f.apply(MUL_NO_NAN, f.pow(a, f.sub(b, f.constant(1))), b)
                    : f.apply(MUL_NO_NAN, f.apply(LOG, a), out);
        }

        @Override
        public String domainProblem(double a, double b) {
            if (a < 0 && b != Math.rint(b)) {
                return "fractional power of a negative number";
            }
            return a == 0 && b < 0 ? "zero to a negative power" : null;
        }

        @Override
        public java.util.List<Edge> edges() {
            // zero bases with zero, integer and fractional exponents; negative bases with integer ones (d/db is undefined there)
            return java.util.List.of(new Edge(0, 0, 0), new Edge(0, 1, 0, 1), new Edge(0, 2, 0, 1), new Edge(0, 3, 0, 1),
                    new Edge(0, 2.5, 1), new Edge(2, 0, 0, 1), new Edge(-2, 2, 0), new Edge(-1.5, 3, 0), new Edge(-3, 0, 0));
        }
    },
    /**
     * {@code mul_no_nan(a, b)}: {@code a·b}, but 0 wherever {@code b = 0}, even where {@code a} is
     * infinite or NaN (TensorFlow's multiply_no_nan); d/da = b, d/db = a. Rules use it for a
     * product whose zero factor is exact on the set where the other factor blows up.
     */
    MUL_NO_NAN(2, call("mul_no_nan", "\\operatorname{mul\\_no\\_nan}"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return b == 0 ? 0.0 : a * b;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0 ? b : a;
        }

        @Override
        public java.util.List<Edge> edges() {
            return java.util.List.of(new Edge(1.5, 0, 0, 1), new Edge(0, 0, 0, 1), new Edge(-2, 0, 0, 1));
        }
    },
    /** {@code sigmoid(a) = 1/(1 + e^-a)}; d/da = out·(1 - out). */
    SIGMOID(1, call("sigmoid", "\\sigma"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            if (a >= 0) {
                return 1 / (1 + Math.exp(-a));
            }
            double e = Math.exp(a);
            return e / (1 + e);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.mul(out, f.sub(f.constant(1), out));
        }

        @Override
        public java.util.List<Edge> edges() {
            return java.util.List.of(new Edge(-800, 0, 0), new Edge(800, 0, 0), new Edge(-40, 0, 0), new Edge(40, 0, 0));
        }
    },
    /** {@code tanh(a)}; d/da = 1 - out^2. */
    TANH(1, call("tanh", "\\tanh"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Elementary.tanh(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.sub(f.constant(1), f.pow(out, f.constant(2)));
        }

        @Override
        public java.util.List<Edge> edges() {
            return java.util.List.of(new Edge(-50, 0, 0), new Edge(50, 0, 0), new Edge(1e-300, 0, 0));
        }
    },
    /** {@code relu(a) = max(0, a)}; d/da = step(a), so relu'(0) = 0. */
    RELU(1, call("relu", "\\operatorname{relu}"), Domain.ANY, false, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a > 0 ? a : 0.0;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(STEP, a);
        }
    },
    /** {@code exp(a)}; d/da = out. */
    EXP(1, call("exp", "\\exp"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.exp(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return out;
        }

        @Override
        public String domainProblem(double a, double b) {
            return a > 0 ? "exp overflows" : null;
        }

        @Override
        public java.util.List<Edge> edges() {
            return java.util.List.of(new Edge(-800, 0, 0), new Edge(700, 0, 0));
        }
    },
    /** {@code log(a)}, the natural logarithm; d/da = 1/a. */
    LOG(1, call("log", "\\log"), Domain.POSITIVE, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.log(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.div(f.constant(1), a);
        }

        @Override
        public String domainProblem(double a, double b) {
            return a < 0 ? "log of a negative number" : a == 0 ? "log of zero" : null;
        }

        @Override
        public java.util.List<Edge> edges() {
            return java.util.List.of(new Edge(1e-300, 0, 0), new Edge(1e300, 0, 0));
        }
    },
    /** {@code sqrt(a)}; d/da = 1/(2·out). */
    SQRT(1, call("sqrt", "\\sqrt{#1}"), Domain.POSITIVE, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.sqrt(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.div(f.constant(1), f.mul(f.constant(2), out));
        }

        @Override
        public String domainProblem(double a, double b) {
            return a < 0 ? "square root of a negative number" : null;
        }

        @Override
        public java.util.List<Edge> edges() {
            return java.util.List.of(new Edge(1e-300, 0, 0), new Edge(1e300, 0, 0));
        }
    },
    /** {@code abs(a)}; d/da = sign(a), so abs'(0) = 0. */
    ABS(1, call("abs", "\\left|#1\\right|"), Domain.ANY, false, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.abs(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(SIGN, a);
        }
    },
    /** {@code sin(a)}; d/da = cos(a). */
    SIN(1, call("sin", "\\sin"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.sin(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(COS, a);
        }
    },
    /** {@code cos(a)}; d/da = -sin(a). */
    COS(1, call("cos", "\\cos"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.cos(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.neg(f.apply(SIN, a));
        }
    },
    /** {@code softplus(a) = log(1 + e^a)}, computed without overflow; d/da = sigmoid(a). */
    SOFTPLUS(1, call("softplus", "\\operatorname{softplus}"), Domain.ANY, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(SIGMOID, a);
        }

        @Override
        public java.util.List<Edge> edges() {
            return java.util.List.of(new Edge(-800, 0, 0), new Edge(800, 0, 0));
        }
    },
    /** {@code max(a, b)}; d/da = 1 - step(b - a), d/db = step(b - a): a tie goes to a. */
    MAX(2, call("max", "\\max"), Domain.ANY, false, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a >= b ? a : b;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            T bWins = f.apply(STEP, f.sub(b, a));
            return k == 0 ? f.sub(f.constant(1), bWins) : bWins;
        }
    },
    /** {@code min(a, b)}; d/da = 1 - step(a - b), d/db = step(a - b): a tie goes to a. */
    MIN(2, call("min", "\\min"), Domain.ANY, false, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a <= b ? a : b;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            T bWins = f.apply(STEP, f.sub(a, b));
            return k == 0 ? f.sub(f.constant(1), bWins) : bWins;
        }
    },
    /** {@code step(a)}: 1 where a &gt; 0, else 0 (the derivative of relu); d/da = 0. */
    STEP(1, call("step", "\\operatorname{step}"), Domain.ANY, false, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return a > 0 ? 1.0 : 0.0;
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(0);
        }
    },
    /** {@code sign(a)}: -1, 0 or 1 (the derivative of abs); d/da = 0. */
    SIGN(1, call("sign", "\\operatorname{sign}"), Domain.ANY, false, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.signum(a);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(0);
        }
    },

    /**
     * {@code a @ b}, numpy's matrix product; the adjoints are {@code adjoint @ bᵀ} and
     * {@code aᵀ @ adjoint}, with vectors taken as columns or rows.
     */
    MATMUL(2, infix(2, "@", "@", "\\,"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.matmul(a, b);
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Tensor.matmul(a, b);
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
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
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            int m = sa.rank() == 2 ? sa.dim(0) : 1;
            int n = sa.dim(sa.rank() - 1);
            int p = sb.rank() == 2 ? sb.dim(1) : 1;
            E[] result = newArray(a, out.size());
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < p; j++) {
                    if (needed.get(i * p + j)) {
                        java.util.List<E> terms = new java.util.ArrayList<>(n);
                        for (int k = 0; k < n; k++) {
                            terms.add(s.apply(MUL, a[i * n + k], b[k * p + j]));
                        }
                        result[i * p + j] = s.sum(terms);
                    }
                }
            }
            return result;
        }

        /** Element (i, j) depends on row i of a and column j of b. */
        @Override
        public BitSet dependents(Shape sa, Shape sb, Shape out, int[] attrs, BitSet depA, BitSet depB) {
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
    },
    /** {@code T(a)}, the transpose of a matrix (a vector is its own transpose); the adjoint is transposed back. */
    TRANSPOSE(1, call("T", "#1^{\\top}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return a.rank() == 2 ? Shape.of(a.dim(1), a.dim(0)) : a;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.transpose();
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.transpose(adjoint);
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return gather(a, ElementMaps.positions(evaluate(Tensor.positions(sa), null, attrs)), needed);
        }
    },
    /** {@code sum(a)} over all elements, or {@code sum(a, axis)}; the adjoint is spread back over the summed axis. */
    SUM(1, call("sum", "\\sum"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.sum(a, attrs[0]);
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.sum(attrs[0]);
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            Shape shape = f.shape(a);
            return f.broadcastTo(f.reshape(adjoint, Shapes.keepAxis(shape, attrs[0])), shape);
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return sums(s, a, ElementMaps.alongAxis(sa, attrs[0]), needed);
        }
    },
    /**
     * {@code softmax(a, axis)}, computed stably; the adjoint is {@code out ⊙ (adjoint - Σ adjoint ⊙ out)}
     * along the axis.
     */
    SOFTMAX(1, call("softmax", "\\operatorname{softmax}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            Shapes.sum(a, attrs[0]);
            return a;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.softmax(attrs[0]);
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            T dot = f.apply(SUM, attrs, f.mul(adjoint, out), null);
            return f.mul(out, f.sub(adjoint, spread(f, dot, f.shape(a), attrs[0])));
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return softmaxFamily(this, s, a, sa, out, attrs[0], needed);
        }
    },
    /** {@code log_softmax(a, axis) = a - logsumexp(a, axis)}; the adjoint is {@code adjoint - softmax ⊙ Σ adjoint}. */
    LOG_SOFTMAX(1, call("log_softmax", "\\operatorname{log\\_softmax}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            Shapes.sum(a, attrs[0]);
            return a;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.logSoftmax(attrs[0]);
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            T total = f.apply(SUM, attrs, adjoint, null);
            return f.sub(adjoint, f.mul(f.apply(EXP, out), spread(f, total, f.shape(a), attrs[0])));
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return softmaxFamily(this, s, a, sa, out, attrs[0], needed);
        }
    },
    /** {@code logsumexp(a, axis) = log Σ exp(a)} along the axis, stably; the adjoint is spread as {@code adjoint ⊙ softmax(a)}. */
    LOGSUMEXP(1, call("logsumexp", "\\operatorname{logsumexp}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return Shapes.sum(a, attrs[0]);
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.logSumExp(attrs[0], Shapes.sum(a.shape(), attrs[0]));
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            Shape shape = f.shape(a);
            T softmax = f.apply(EXP, f.sub(a, spread(f, out, shape, attrs[0])));
            return f.mul(spread(f, adjoint, shape, attrs[0]), softmax);
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return softmaxFamily(this, s, a, sa, out, attrs[0], needed);
        }
    },
    /** {@code max(a)}, the largest element; the adjoint goes to the first largest element. */
    MAX_ALL(1, call("max", "\\max"), Domain.ANY, false, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return Shape.SCALAR;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.max();
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.mul(f.broadcastTo(adjoint, f.shape(a)), f.apply(ARGMAX_MASK, a));
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            E[] result = newArray(a, 1);
            if (needed.get(0)) {
                result[0] = largest(s, a);
            }
            return result;
        }
    },
    /** 1 at the first largest element of {@code a}, 0 elsewhere; piecewise constant, so its adjoint is 0. */
    ARGMAX_MASK(1, call("argmax_mask", "\\operatorname{argmax\\_mask}"), Domain.ANY, false, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return a;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.argmaxMask();
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.mul(f.constant(0), a);
        }

        /**
         * Element i is {@code e_i·p_i}: {@code e_i = 1 - |sign(max - a_i)|} says a_i is a largest
         * element, {@code p_i = Π_{j<i} (1 - e_j)} that none before it is. Piecewise constant, as the mask.
         */
        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            E[] result = newArray(a, a.length);
            E max = largest(s, a);
            E one = s.constant(1);
            E noneBefore = one;
            for (int i = 0; i < a.length; i++) {
                E isLargest = s.apply(SUB, one, s.apply(ABS, s.apply(SIGN, s.apply(SUB, max, a[i]))));
                if (needed.get(i)) {
                    result[i] = i == 0 ? isLargest : s.apply(MUL, isLargest, noneBefore);
                }
                noneBefore = i == 0 ? s.apply(SUB, one, isLargest) : s.apply(MUL, noneBefore, s.apply(SUB, one, isLargest));
            }
            return result;
        }
    },
    /**
     * {@code a[i, j]}: attributes hold one position per axis, {@link #ALL} for {@code :}; the
     * adjoint is scattered back into zeros of {@code a}'s shape.
     */
    INDEX(1, call("index", "#1"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return Indexing.resultShape(a, attrs);
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Indexing.gather(a, attrs);
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.apply(SCATTER, Indexing.scatterAttrs(f.shape(a), attrs), adjoint, null);
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return gather(a, ElementMaps.positions(evaluate(Tensor.positions(sa), null, attrs)), needed);
        }
    },
    /** Places a tensor at an index of zeros (the adjoint of {@link #INDEX}); attributes: the full dims, then the positions. */
    SCATTER(1, call("scatter", "\\operatorname{scatter}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            return Indexing.fullShape(attrs);
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return Indexing.scatter(a, attrs);
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.apply(INDEX, Indexing.positions(attrs), adjoint, null);
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            int[] placed = ElementMaps.positions(INDEX.evaluate(Tensor.positions(out), null, Indexing.positions(attrs)));
            E[] result = newArray(a, out.size());
            E zero = s.constant(0);
            for (int i = 0; i < result.length; i++) {
                if (needed.get(i)) {
                    result[i] = zero;
                }
            }
            for (int i = 0; i < placed.length; i++) {
                if (needed.get(placed[i])) {
                    result[placed[i]] = a[i];
                }
            }
            return result;
        }
    },
    /** Sums a tensor onto a shape that broadcasts to it (the adjoint of broadcasting). */
    SUM_TO(1, call("sum_to", "\\operatorname{sum\\_to}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            Shape target = Shape.of(attrs);
            if (!a.equals(Shape.broadcast(a, target))) {
                throw new ShapeException("cannot sum a " + a + " value onto " + target);
            }
            return target;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.sumTo(Shape.of(attrs));
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.broadcastTo(adjoint, f.shape(a));
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return sums(s, a, ElementMaps.groups(sa, out), needed);
        }
    },
    /** Repeats a tensor along stretched dimensions to a larger shape (the adjoint of summing). */
    BROADCAST_TO(1, call("broadcast_to", "\\operatorname{broadcast\\_to}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            Shape target = Shape.of(attrs);
            if (!target.equals(Shape.broadcast(a, target))) {
                throw new ShapeException("cannot broadcast a " + a + " value to " + target);
            }
            return target;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.broadcastTo(Shape.of(attrs));
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.sumTo(adjoint, f.shape(a));
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return gather(a, ElementMaps.positions(evaluate(Tensor.positions(sa), null, attrs)), needed);
        }
    },
    /** The same elements in another shape of the same size; the adjoint is reshaped back. */
    RESHAPE(1, call("reshape", "\\operatorname{reshape}"), Domain.ANY, true, Kind.STRUCTURAL) {
        @Override
        public Shape shape(Shape a, Shape b, int[] attrs) {
            Shape target = Shape.of(attrs);
            if (target.size() != a.size()) {
                throw new ShapeException("cannot reshape a " + a + " value to " + target);
            }
            return target;
        }

        @Override
        public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
            return a.reshape(Shape.of(attrs));
        }

        @Override
        public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
            return f.reshape(adjoint, f.shape(a));
        }

        @Override
        public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
            return gather(a, ElementMaps.positions(evaluate(Tensor.positions(sa), null, attrs)), needed);
        }
    };

    /** {@code v}, which lost {@code axis} (or every axis, for -1) of {@code full}, repeated back out to {@code full}. */
    private static <T> T spread(Algebra<T> f, T v, Shape full, int axis) {
        return f.broadcastTo(f.reshape(v, Shapes.keepAxis(full, axis)), full);
    }

    /**
     * A point at the edge of an operation's domain where its value is finite, and the inputs whose
     * local derivative is defined there and must agree with differences ({@code check --rules}).
     */
    public record Edge(double a, double b, int... inputs) {
    }

    /** The points at the edges of this operation's domain that the rule check visits. */
    public java.util.List<Edge> edges() {
        return java.util.List.of();
    }

    /** A new array of {@code like}'s element type. */
    @SuppressWarnings("unchecked")
    private static <E> E[] newArray(E[] like, int length) {
        return (E[]) java.lang.reflect.Array.newInstance(like.getClass().getComponentType(), length);
    }

    /** The needed elements of a result that takes element {@code map[i]} of {@code a}. */
    private static <E> E[] gather(E[] a, int[] map, BitSet needed) {
        E[] result = newArray(a, map.length);
        for (int i = 0; i < map.length; i++) {
            if (needed.get(i)) {
                result[i] = a[map[i]];
            }
        }
        return result;
    }

    /** The needed elements of a reduction: each the sum of its group of {@code a}'s elements. */
    private static <E> E[] sums(Scalars<E> s, E[] a, java.util.List<java.util.List<Integer>> groups, BitSet needed) {
        E[] result = newArray(a, groups.size());
        for (int i = 0; i < result.length; i++) {
            if (needed.get(i)) {
                java.util.List<E> terms = new java.util.ArrayList<>();
                groups.get(i).forEach(k -> terms.add(a[k]));
                result[i] = s.sum(terms);
            }
        }
        return result;
    }

    /** The largest of the elements, as a chain of {@code max}: a tie keeps the earlier one, as the kernel does. */
    private static <E> E largest(Scalars<E> s, E[] a) {
        E best = a[0];
        for (int i = 1; i < a.length; i++) {
            best = s.apply(MAX, best, a[i]);
        }
        return best;
    }

    /** softmax, log_softmax and logsumexp written out from exp, log and sums, line by line. */
    private static <E> E[] softmaxFamily(Op op, Scalars<E> s, E[] a, Shape sa, Shape out, int axis, BitSet needed) {
        java.util.List<java.util.List<Integer>> lines = ElementMaps.alongAxis(sa, axis);
        E[] result = newArray(a, out.size());
        for (int g = 0; g < lines.size(); g++) {
            java.util.List<Integer> line = lines.get(g);
            if (op == LOGSUMEXP ? !needed.get(g) : !ElementMaps.any(needed, line)) {
                continue;
            }
            java.util.List<E> exps = new java.util.ArrayList<>();
            line.forEach(k -> exps.add(s.apply(EXP, a[k])));
            E total = s.sum(exps);
            if (op == LOGSUMEXP) {
                result[g] = s.apply(LOG, total);
                continue;
            }
            E logTotal = s.apply(LOG, total);
            for (int j = 0; j < line.size(); j++) {
                int k = line.get(j);
                if (needed.get(k)) {
                    result[k] = op == SOFTMAX ? s.apply(DIV, exps.get(j), total) : s.apply(SUB, a[k], logTotal);
                }
            }
        }
        return result;
    }

    /** The position of an index that takes a whole axis ({@code :}). */
    public static final int ALL = Indexing.ALL;

    /** How an operation treats shapes. */
    public enum Kind {
        /** Constants and leaves: no inputs. */
        LEAF,
        /** Applied to each element, with broadcasting; defined by {@link #value} and {@link #partial}. */
        ELEMENTWISE,
        /** Reads its inputs as whole tensors; defined by {@link #shape}, {@link #evaluate} and {@link #vjp}. */
        STRUCTURAL
    }

    /** Where an operation is defined; used to pick test points and to explain domain errors. */
    public enum Domain {
        /** Every real argument. */
        ANY,
        /** The (first) argument must be positive. */
        POSITIVE,
        /** The second argument must not be zero. */
        NONZERO_DIVISOR,
        /** For real exponents the base must be positive. */
        POSITIVE_BASE
    }

    private final int arity;
    private final Notation notation;
    private final Domain domain;
    private final boolean smooth;
    private final Kind kind;

    Op(int arity, Notation notation, Domain domain, boolean smooth, Kind kind) {
        this.arity = arity;
        this.notation = notation;
        this.domain = domain;
        this.smooth = smooth;
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** Number of inputs: 0 for constants and leaves, 1 or 2 otherwise. */
    public int arity() {
        return arity;
    }

    public Notation notation() {
        return notation;
    }

    public Domain domain() {
        return domain;
    }

    /** False when the operation has kinks or jumps (relu, abs, max, min, step, sign). */
    public boolean smooth() {
        return smooth;
    }

    /** The function name used in the language, or null for operators, constants and leaves. */
    public String functionName() {
        return notation.fixity() == Notation.Fixity.CALL ? notation.ascii() : null;
    }

    /**
     * True for operations the engine makes while differentiating tensors ({@code sum_to},
     * {@code broadcast_to}, {@code reshape}, {@code argmax_mask}) that the language does not offer.
     */
    public boolean internal() {
        return this == SUM_TO || this == BROADCAST_TO || this == RESHAPE || this == ARGMAX_MASK || this == INDEX
                || this == SCATTER;
    }

    /** The value of an element-wise operation on one element; {@code b} is ignored by unary operations. */
    public double value(double a, double b) {
        throw new UnsupportedOperationException(this + " is not element-wise");
    }

    /**
     * The shape of the result; element-wise operations broadcast.
     *
     * @throws ShapeException when the operation cannot take these shapes
     */
    public Shape shape(Shape a, Shape b, int[] attrs) {
        if (arity == 1) {
            return a;
        }
        Shape shape = Shape.broadcast(a, b);
        if (shape == null) {
            String symbol = notation.fixity() == Notation.Fixity.CALL ? functionName() + "(" + a + ", " + b + ")"
                    : a + " " + notation.ascii() + " " + b;
            throw new ShapeException(symbol + " — shapes do not broadcast");
        }
        return shape;
    }

    /** The value of the operation on whole tensors; element-wise operations map {@link #value}. */
    public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
        return arity == 1 ? a.map(this) : Tensor.zip(a, b, this);
    }

    /**
     * The vector-Jacobian product: what input {@code k} receives from this node's adjoint. For an
     * element-wise operation it is {@code adjoint ⊙ partial}, summed back over any broadcast
     * dimensions of the input; other operations define it themselves.
     */
    public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
        return f.sumTo(f.mul(adjoint, partial(f, k, a, b, out)), f.shape(k == 0 ? a : b));
    }

    /**
     * The scalar view of this operation: the elements of its result (row-major) made by {@code s}
     * from the elements of its inputs {@code a} and {@code b} (null for one input), of shapes
     * {@code sa}, {@code sb}. Only the elements in {@code needed} are made; the others stay null.
     * An element-wise operation applies itself element by element, with broadcasting resolved;
     * every structural operation writes its own expansion (matrix products as sums of products,
     * softmax from exp, log and sums), so each op of the table has one.
     */
    public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
        if (kind != Kind.ELEMENTWISE) {
            throw new UnsupportedOperationException(this + " has no scalar view");
        }
        int[] ia = ElementMaps.broadcast(sa, out);
        int[] ib = arity > 1 ? ElementMaps.broadcast(sb, out) : null;
        E[] result = newArray(a, out.size());
        for (int i = 0; i < result.length; i++) {
            if (needed.get(i)) {
                result[i] = arity == 1 ? s.apply(this, a[ia[i]]) : s.apply(this, a[ia[i]], b[ib[i]]);
            }
        }
        return result;
    }

    /**
     * Which elements of the result depend on the elements {@code depA} of input a and
     * {@code depB} of input b (null for one input): the scalar view run over booleans, whose every
     * operation is "either". Operations whose view is large for what it says (the matrix product)
     * answer directly.
     */
    public BitSet dependents(Shape sa, Shape sb, Shape out, int[] attrs, BitSet depA, BitSet depB) {
        Boolean[] a = flags(depA, sa.size());
        Boolean[] b = arity > 1 ? flags(depB, sb.size()) : null;
        BitSet all = new BitSet();
        all.set(0, out.size());
        Boolean[] result = unroll(EITHER, a, b, sa, sb, out, attrs, all);
        BitSet depends = new BitSet();
        for (int i = 0; i < result.length; i++) {
            if (result[i]) {
                depends.set(i);
            }
        }
        return depends;
    }

    private static Boolean[] flags(BitSet set, int size) {
        Boolean[] flags = new Boolean[size];
        for (int i = 0; i < size; i++) {
            flags[i] = set.get(i);
        }
        return flags;
    }

    /** Scalars that say whether they depend on something: every operation depends on what its operands do. */
    private static final Scalars<Boolean> EITHER = new Scalars<>() {
        @Override
        public Boolean constant(double value) {
            return false;
        }

        @Override
        public Boolean apply(Op op, Boolean a) {
            return a;
        }

        @Override
        public Boolean apply(Op op, Boolean a, Boolean b) {
            return a || b;
        }
    };

    /**
     * The local partial derivative of this operation's output with respect to input {@code k},
     * given the inputs {@code a}, {@code b} and the output {@code out}.
     */
    public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
        throw new UnsupportedOperationException(this + " has no inputs");
    }

    /**
     * Why {@code value(a, b)} left the real numbers for finite inputs, in words (for example
     * "log of a negative number"), or null when there is no specific reason.
     */
    public String domainProblem(double a, double b) {
        return null;
    }

    /** The operation a language function name denotes ({@code pow} is {@link #POW}), or null. */
    public static Op byFunctionName(String name) {
        if (name.equals("pow")) {
            return POW;
        }
        for (Op op : values()) {
            if (!op.internal() && name.equals(op.functionName())) {
                return op;
            }
        }
        return null;
    }
}
