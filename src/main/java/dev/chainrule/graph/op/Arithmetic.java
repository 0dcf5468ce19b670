package dev.chainrule.graph.op;

import static dev.chainrule.graph.op.Notation.call;
import static dev.chainrule.graph.op.Notation.infix;

import java.util.List;

/** The arithmetic of the op table: + - · / unary minus, powers, and the product whose zero wins. */
final class Arithmetic {
    private Arithmetic() {
    }

    /** {@code a + b}; d/da = 1, d/db = 1. */
    static final ElementwiseRule ADD = new ElementwiseRule(2, infix(1, "+", "+", "+"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return a + b;
        }

        @Override
        boolean commutative() {
            return true;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(1);
        }
    };

    /** {@code a - b}; d/da = 1, d/db = -1. */
    static final ElementwiseRule SUB = new ElementwiseRule(2, infix(1, "-", "-", "-"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return a - b;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(k == 0 ? 1 : -1);
        }
    };

    /** {@code a · b}; d/da = b, d/db = a. */
    static final ElementwiseRule MUL = new ElementwiseRule(2, infix(2, "·", "*", "\\cdot"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return a * b;
        }

        @Override
        boolean commutative() {
            return true;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0 ? b : a;
        }
    };

    /** {@code a / b}; d/da = 1/b, d/db = -a/b^2. */
    static final ElementwiseRule DIV = new ElementwiseRule(2, infix(2, "/", "/", "\\frac{#1}{#2}"), Op.Domain.NONZERO_DIVISOR, true) {
        @Override
        double value(double a, double b) {
            return a / b;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0
                    ? f.div(f.constant(1), b)
                    : f.neg(f.div(a, f.pow(b, f.constant(2))));
        }

        @Override
        String domainProblem(double a, double b) {
            return b == 0 ? "division by zero" : null;
        }

        @Override
        String operand(int k) {
            return k == 0 ? "numerator" : "denominator";
        }
    };

    /** {@code -a}; d/da = -1. */
    static final ElementwiseRule NEG = new ElementwiseRule(1, new Notation(Notation.Fixity.PREFIX, 3, "-", "-", "-"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return -a;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(-1);
        }
    };

    /**
     * {@code a ^ b}; d/da = b·a^(b-1), d/db = a^b·log(a). Also written {@code pow(a, b)}.
     *
     * <p>Each rule has a factor that is exactly zero where the other one is infinite: b = 0 makes
     * a^b the constant 1 however a^(b-1) blows up at a = 0, and a^b = 0 at a = 0 (b &gt; 0) makes
     * the function flat in b however log(0) = -inf. Both products are {@link Op#MUL_NO_NAN}, whose
     * exact zero wins, so d/dw w^0 at w = 0 is 0 and so is d/dy x^y at x = 0, y = 2, as torch
     * and JAX give them; where the derivative really is infinite (d/da a^0.5 at 0) it stays so.
     */
    static final ElementwiseRule POW = new ElementwiseRule(2, new Notation(Notation.Fixity.INFIX_RIGHT, 4, "^", "^", "#1^{#2}"),
            Op.Domain.POSITIVE_BASE, true) {
        @Override
        double value(double a, double b) {
            return Math.pow(a, b);
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0
                    ? f.apply(Op.MUL_NO_NAN, f.pow(a, f.sub(b, f.constant(1))), b)
                    : f.apply(Op.MUL_NO_NAN, f.apply(Op.LOG, a), out);
        }

        @Override
        String domainProblem(double a, double b) {
            if (a < 0 && b != Math.rint(b)) {
                return "fractional power of a negative number";
            }
            return a == 0 && b < 0 ? "zero to a negative power" : null;
        }

        @Override
        String operand(int k) {
            return k == 0 ? "base" : "exponent";
        }

        @Override
        List<Op.Edge> edges() {
            // zero bases with zero, integer and fractional exponents; negative bases with integer ones (d/db is undefined there)
            return List.of(new Op.Edge(0, 0, 0), new Op.Edge(0, 1, 0, 1), new Op.Edge(0, 2, 0, 1), new Op.Edge(0, 3, 0, 1),
                    new Op.Edge(0, 2.5, 1), new Op.Edge(2, 0, 0, 1), new Op.Edge(-2, 2, 0), new Op.Edge(-1.5, 3, 0),
                    new Op.Edge(-3, 0, 0));
        }
    };

    /**
     * {@code mul_no_nan(a, b)}: {@code a·b}, but 0 wherever {@code b = 0}, even where {@code a} is
     * infinite or NaN (TensorFlow's multiply_no_nan); d/da = b, d/db = a. Rules use it for a
     * product whose zero factor is exact on the set where the other factor blows up.
     */
    static final ElementwiseRule MUL_NO_NAN = new ElementwiseRule(2, call("mul_no_nan", "\\operatorname{mul\\_no\\_nan}"),
            Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return b == 0 ? 0.0 : a * b;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0 ? b : a;
        }

        @Override
        List<Op.Edge> edges() {
            return List.of(new Op.Edge(1.5, 0, 0, 1), new Op.Edge(0, 0, 0, 1), new Op.Edge(-2, 0, 0, 1));
        }
    };

    /**
     * {@code copy(a)}: a itself, as a node of its own. A definition whose expression is already a
     * node of the graph (an alias {@code h[0] = x0}, an expression written twice, a call made
     * twice) names a copy, so that every name is a node of its own and a derivative with respect
     * to it goes through its own uses only; d/da = 1.
     */
    static final ElementwiseRule COPY = new ElementwiseRule(1, call("copy", "#1"), Op.Domain.ANY, true) {
        @Override
        double value(double a, double b) {
            return a;
        }

        @Override
        <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(1);
        }
    };
}
