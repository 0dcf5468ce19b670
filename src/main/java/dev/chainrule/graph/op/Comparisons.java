package dev.chainrule.graph.op;

import dev.chainrule.graph.op.Notation.Fixity;

/**
 * Comparisons, element by element: 1 where they hold and 0 where they do not. They are piecewise
 * constant, so their derivatives are 0; {@code where(c, a, b)} and the masks of {@code onehot}
 * are made from them. They bind more loosely than {@code + -}: {@code x + 1 > y} is
 * {@code (x + 1) > y}.
 */
final class Comparisons {
    private Comparisons() {
    }

    /** The precedence of comparisons, below + and -. */
    static final int PRECEDENCE = 0;

    private static Notation written(String symbol, String latex) {
        return new Notation(Fixity.INFIX_LEFT, PRECEDENCE, symbol.replace(">=", "≥").replace("<=", "≤").replace("!=", "≠"),
                symbol, latex);
    }

    /** A comparison: 1.0 where {@code test} holds, else 0.0. */
    private abstract static class Comparison extends ElementwiseRule {
        Comparison(String symbol, String latex) {
            super(2, written(symbol, latex), Op.Domain.ANY, false);
        }

        abstract boolean holds(double a, double b);

        @Override
        final double value(double a, double b) {
            return holds(a, b) ? 1.0 : 0.0;
        }

        @Override
        final <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return f.constant(0);
        }
    }

    static final ElementwiseRule GT = new Comparison(">", ">") {
        @Override
        boolean holds(double a, double b) {
            return a > b;
        }
    };

    static final ElementwiseRule GE = new Comparison(">=", "\\geq") {
        @Override
        boolean holds(double a, double b) {
            return a >= b;
        }
    };

    static final ElementwiseRule LT = new Comparison("<", "<") {
        @Override
        boolean holds(double a, double b) {
            return a < b;
        }
    };

    static final ElementwiseRule LE = new Comparison("<=", "\\leq") {
        @Override
        boolean holds(double a, double b) {
            return a <= b;
        }
    };

    static final ElementwiseRule EQ = new Comparison("==", "=") {
        @Override
        boolean holds(double a, double b) {
            return a == b;
        }

        @Override
        boolean commutative() {
            return true;
        }
    };

    static final ElementwiseRule NE = new Comparison("!=", "\\neq") {
        @Override
        boolean holds(double a, double b) {
            return a != b;
        }

        @Override
        boolean commutative() {
            return true;
        }
    };
}
