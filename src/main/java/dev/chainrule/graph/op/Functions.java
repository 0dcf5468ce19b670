package dev.chainrule.graph.op;

import static dev.chainrule.graph.op.Notation.call;

import dev.chainrule.tensor.Elementary;
import java.util.List;

/**
 * The functions of one or two numbers applied element by element: activations, exp and log and
 * their accurate neighbours near zero, roots, trigonometry, max and min, and the step and sign
 * that their derivatives need.
 *
 * <p>Conventions at points where a derivative does not exist, chosen as the common frameworks do:
 * {@code relu'(0) = 0}, {@code abs'(0) = 0}, {@code step' = sign' = 0}; for {@code max(a, b)} and
 * {@code min(a, b)} a tie sends the whole gradient to {@code a}.
 */
final class Functions {
    private Functions() {
    }

    /** {@code sigmoid(a) = 1/(1 + e^-a)}; d/da = out·(1 - out). */
    static final ElementwiseRule SIGMOID = new ElementwiseRule(1, call("sigmoid", "\\sigma"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            if (a >= 0) {
                return 1 / (1 + Math.exp(-a));
            }
            double e = Math.exp(a);
            return e / (1 + e);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.mul(out, f.sub(f.constant(1), out));
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(-800, 0, 0), new Op.Edge(800, 0, 0), new Op.Edge(-40, 0, 0), new Op.Edge(40, 0, 0));
        }
    };

    /** {@code tanh(a)}; d/da = 1 - out^2. */
    static final ElementwiseRule TANH = new ElementwiseRule(1, call("tanh", "\\tanh"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return Elementary.tanh(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.sub(f.constant(1), f.pow(out, f.constant(2)));
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(-50, 0, 0), new Op.Edge(50, 0, 0), new Op.Edge(1e-300, 0, 0));
        }
    };

    /** {@code relu(a) = max(0, a)}; d/da = step(a), so relu'(0) = 0. */
    static final ElementwiseRule RELU = new ElementwiseRule(1, call("relu", "\\operatorname{relu}"), Op.Domain.ANY, false) {
        @Override
        double value(double a, double b) {
            return a > 0 ? a : 0.0;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(Op.STEP, a);
        }
    };

    /** {@code exp(a)}; d/da = out. */
    static final ElementwiseRule EXP = new ElementwiseRule(1, call("exp", "\\exp"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return Math.exp(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return out;
        }

        @Override
        String domainProblem(double a, double b) {
            return a > 0 ? "exp overflows" : null;
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(-800, 0, 0), new Op.Edge(700, 0, 0));
        }
    };

    /** {@code expm1(a) = e^a - 1}, accurate for small a; d/da = out + 1. */
    static final ElementwiseRule EXPM1 = new ElementwiseRule(1, call("expm1", "\\operatorname{expm1}"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return Math.expm1(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.add(out, f.constant(1));
        }

        @Override
        String domainProblem(double a, double b) {
            return a > 0 ? "expm1 overflows" : null;
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(-800, 0, 0), new Op.Edge(1e-300, 0, 0), new Op.Edge(700, 0, 0));
        }
    };

    /** {@code log(a)}, the natural logarithm; d/da = 1/a. */
    static final ElementwiseRule LOG = new ElementwiseRule(1, call("log", "\\log"), Op.Domain.POSITIVE, true) {
        @Override
        double value(double a, double b) {
            return Math.log(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.div(f.constant(1), a);
        }

        @Override
        String domainProblem(double a, double b) {
            return a < 0 ? "log of a negative number" : a == 0 ? "log of zero" : null;
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(1e-300, 0, 0), new Op.Edge(1e300, 0, 0));
        }
    };

    /** {@code log1p(a) = log(1 + a)}, accurate for small a; d/da = 1/(1 + a). */
    static final ElementwiseRule LOG1P = new ElementwiseRule(1, call("log1p", "\\operatorname{log1p}"), Op.Domain.ABOVE_MINUS_ONE, true) {
        @Override
        double value(double a, double b) {
            return Math.log1p(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.div(f.constant(1), f.add(f.constant(1), a));
        }

        @Override
        String domainProblem(double a, double b) {
            return a < -1 ? "log1p of a number below -1" : a == -1 ? "log1p of -1" : null;
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(1e-300, 0, 0), new Op.Edge(-0.999999, 0, 0), new Op.Edge(1e300, 0, 0));
        }
    };

    /** {@code sqrt(a)}; d/da = 1/(2·out). */
    static final ElementwiseRule SQRT = new ElementwiseRule(1, call("sqrt", "\\sqrt{#1}"), Op.Domain.POSITIVE, true) {
        @Override
        double value(double a, double b) {
            return Math.sqrt(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.div(f.constant(1), f.mul(f.constant(2), out));
        }

        @Override
        String domainProblem(double a, double b) {
            return a < 0 ? "square root of a negative number" : null;
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(1e-300, 0, 0), new Op.Edge(1e300, 0, 0));
        }
    };

    /** {@code abs(a)}; d/da = sign(a), so abs'(0) = 0. */
    static final ElementwiseRule ABS = new ElementwiseRule(1, call("abs", "\\left|#1\\right|"), Op.Domain.ANY, false) {
        @Override
        double value(double a, double b) {
            return Math.abs(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(Op.SIGN, a);
        }
    };

    /** {@code sin(a)}; d/da = cos(a). */
    static final ElementwiseRule SIN = new ElementwiseRule(1, call("sin", "\\sin"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return Math.sin(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(Op.COS, a);
        }
    };

    /** {@code cos(a)}; d/da = -sin(a). */
    static final ElementwiseRule COS = new ElementwiseRule(1, call("cos", "\\cos"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return Math.cos(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.neg(f.apply(Op.SIN, a));
        }
    };

    /** {@code softplus(a) = log(1 + e^a)}, computed without overflow; d/da = sigmoid(a). */
    static final ElementwiseRule SOFTPLUS = new ElementwiseRule(1, call("softplus", "\\operatorname{softplus}"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.apply(Op.SIGMOID, a);
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(-800, 0, 0), new Op.Edge(800, 0, 0));
        }
    };

    /** {@code max(a, b)}; d/da = 1 - step(b - a), d/db = step(b - a): a tie goes to a. */
    static final ElementwiseRule MAX = new ElementwiseRule(2, call("max", "\\max"), Op.Domain.ANY, false) {
        @Override
        double value(double a, double b) {
            return a >= b ? a : b;
        }

        @Override
        boolean commutative() {
            return true;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            T bWins = f.apply(Op.STEP, f.sub(b, a));
            return k == 0 ? f.sub(f.constant(1), bWins) : bWins;
        }
    };

    /** {@code min(a, b)}; d/da = 1 - step(a - b), d/db = step(a - b): a tie goes to a. */
    static final ElementwiseRule MIN = new ElementwiseRule(2, call("min", "\\min"), Op.Domain.ANY, false) {
        @Override
        double value(double a, double b) {
            return a <= b ? a : b;
        }

        @Override
        boolean commutative() {
            return true;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            T bWins = f.apply(Op.STEP, f.sub(a, b));
            return k == 0 ? f.sub(f.constant(1), bWins) : bWins;
        }
    };

    /** {@code step(a)}: 1 where a &gt; 0, else 0 (the derivative of relu); d/da = 0. */
    static final ElementwiseRule STEP = new ElementwiseRule(1, call("step", "\\operatorname{step}"), Op.Domain.ANY, false) {
        @Override
        double value(double a, double b) {
            return a > 0 ? 1.0 : 0.0;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(0);
        }
    };

    /** {@code sign(a)}: -1, 0 or 1 (the derivative of abs); d/da = 0. */
    static final ElementwiseRule SIGN = new ElementwiseRule(1, call("sign", "\\operatorname{sign}"), Op.Domain.ANY, false) {
        @Override
        double value(double a, double b) {
            return Math.signum(a);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(0);
        }
    };
}
