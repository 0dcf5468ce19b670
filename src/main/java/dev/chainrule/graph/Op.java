package dev.chainrule.graph;

import static dev.chainrule.graph.Notation.call;
import static dev.chainrule.graph.Notation.infix;

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
public enum Op {
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
    /** {@code a ^ b}; d/da = b·a^(b-1), d/db = a^b·log(a). Also written {@code pow(a, b)}. */
    POW(2, new Notation(Notation.Fixity.INFIX_RIGHT, 4, "^", "^", "#1^{#2}"), Domain.POSITIVE_BASE, true, Kind.ELEMENTWISE) {
        @Override
        public double value(double a, double b) {
            return Math.pow(a, b);
        }

        @Override
        public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
            return k == 0
                    ? f.mul(b, f.pow(a, f.sub(b, f.constant(1))))
                    : f.mul(out, f.apply(LOG, a));
        }

        @Override
        public String domainProblem(double a, double b) {
            if (a < 0 && b != Math.rint(b)) {
                return "fractional power of a negative number";
            }
            return a == 0 && b < 0 ? "zero to a negative power" : null;
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
    };

    /** {@code v}, which lost {@code axis} (or every axis, for -1) of {@code full}, repeated back out to {@code full}. */
    private static <T> T spread(Algebra<T> f, T v, Shape full, int axis) {
        return f.broadcastTo(f.reshape(v, Shapes.keepAxis(full, axis)), full);
    }

    /** The position of an index that takes a whole axis ({@code :}). */
    public static final int ALL = Integer.MIN_VALUE;

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
