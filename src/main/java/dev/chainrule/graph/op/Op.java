package dev.chainrule.graph.op;

import dev.chainrule.tensor.Elementwise;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.ShapeException;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table of operations: each operation defined once, in one place.
 *
 * <p>This enum lists the operations; each one's definition (its arity, how it is written, its
 * value, its local derivatives, where it is defined, its scalar view) lives in the family file
 * that defines it: {@link Arithmetic}, {@link Functions}, {@link Comparisons} (applied element by
 * element), {@link Products}, {@link Reductions}, {@link Reshaping} (on whole tensors). Numeric
 * reverse mode, symbolic gradients, tapes and their compiled code, explanations, scalar views and
 * every printer read this table and nothing else. A partial derivative is written against an
 * {@link Algebra}, with the operation's inputs {@code a}, {@code b} and its own output {@code out}
 * as operands, so the same rule gives a number or a graph that can be differentiated again.
 */
public enum Op implements Elementwise {
    /** A number written in the model, or made by folding constants. */
    CONSTANT(null),
    /** A declared {@code input} or {@code param}: its value is bound, not computed. */
    LEAF(null),
    ADD(Arithmetic.ADD),
    SUB(Arithmetic.SUB),
    MUL(Arithmetic.MUL),
    DIV(Arithmetic.DIV),
    NEG(Arithmetic.NEG),
    POW(Arithmetic.POW),
    MUL_NO_NAN(Arithmetic.MUL_NO_NAN),
    COPY(Arithmetic.COPY),
    SIGMOID(Functions.SIGMOID),
    TANH(Functions.TANH),
    RELU(Functions.RELU),
    EXP(Functions.EXP),
    EXPM1(Functions.EXPM1),
    LOG(Functions.LOG),
    LOG1P(Functions.LOG1P),
    SQRT(Functions.SQRT),
    ABS(Functions.ABS),
    SIN(Functions.SIN),
    COS(Functions.COS),
    SOFTPLUS(Functions.SOFTPLUS),
    MAX(Functions.MAX),
    MIN(Functions.MIN),
    STEP(Functions.STEP),
    SIGN(Functions.SIGN),
    GT(Comparisons.GT),
    GE(Comparisons.GE),
    LT(Comparisons.LT),
    LE(Comparisons.LE),
    EQ(Comparisons.EQ),
    NE(Comparisons.NE),
    MATMUL(Products.MATMUL),
    TRANSPOSE(Products.TRANSPOSE),
    SUM(Reductions.SUM),
    SOFTMAX(Reductions.SOFTMAX),
    LOG_SOFTMAX(Reductions.LOG_SOFTMAX),
    LOGSUMEXP(Reductions.LOGSUMEXP),
    MAX_OVER(Reductions.MAX_OVER),
    ARGMAX_MASK(Reductions.ARGMAX_MASK),
    INDEX(Reshaping.INDEX),
    PAD(Reshaping.PAD),
    CONCAT(Reshaping.CONCAT),
    SUM_TO(Reshaping.SUM_TO),
    BROADCAST_TO(Reshaping.BROADCAST_TO),
    RESHAPE(Reshaping.RESHAPE),
    ONEHOT(Reshaping.ONEHOT);

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
        /** The (first) argument must be above -1. */
        ABOVE_MINUS_ONE,
        /** The second argument must not be zero. */
        NONZERO_DIVISOR,
        /** For real exponents the base must be positive. */
        POSITIVE_BASE
    }

    /**
     * A point at the edge of an operation's domain where its value is finite, and the inputs whose
     * local derivative is defined there and must agree with differences ({@code check --rules}).
     */
    public record Edge(double a, double b, int... inputs) {
    }

    private static final Notation LEAF_NOTATION = Notation.leaf();

    private final Definition definition;
    private final ElementwiseRule elementwise;
    private final StructuralRule structural;
    private final Kind kind;

    Op(Definition definition) {
        this.definition = definition;
        this.elementwise = definition instanceof ElementwiseRule e ? e : null;
        this.structural = definition instanceof StructuralRule s ? s : null;
        this.kind = definition == null ? Kind.LEAF : elementwise != null ? Kind.ELEMENTWISE : Kind.STRUCTURAL;
    }

    public Kind kind() {
        return kind;
    }

    /** Number of inputs: 0 for constants and leaves, 1 or 2 otherwise. */
    public int arity() {
        return definition == null ? 0 : definition.arity;
    }

    public Notation notation() {
        return definition == null ? LEAF_NOTATION : definition.notation;
    }

    public Domain domain() {
        return definition == null ? Domain.ANY : definition.domain;
    }

    /** False when the operation has kinks or jumps (relu, abs, max, min, step, sign, comparisons). */
    public boolean smooth() {
        return definition == null || definition.smooth;
    }

    /**
     * True when the two inputs can be swapped without changing the value: {@code +}, {@code ·},
     * {@code max} and {@code min} of two, {@code ==} and {@code !=}. False for every operation of
     * one input, and for {@code a - b}, {@code a / b}, {@code a ^ b}, {@code A @ B} and the rest.
     */
    public boolean commutative() {
        return definition != null && definition.commutative();
    }

    /**
     * The name of input {@code k} where a reader must tell the inputs apart ({@code numerator} and
     * {@code denominator} of {@code a / b}, {@code base} and {@code exponent} of {@code a ^ b},
     * {@code left} and {@code right} of {@code A @ B}, {@code 1st} and {@code 2nd} argument of a
     * function), or null where there is nothing to tell: one input, or inputs that commute.
     */
    public String operandName(int k) {
        if (arity() < 2 || commutative()) {
            return null;
        }
        return definition.operand(k);
    }

    /** The points at the edges of this operation's domain that the rule check visits. */
    public List<Edge> edges() {
        return definition == null ? List.of() : definition.edges();
    }

    /** The function name used in the language, or null for operators, constants and leaves. */
    public String functionName() {
        return notation().fixity() == Notation.Fixity.CALL ? notation().ascii() : null;
    }

    /**
     * True for indexing, which the language writes with brackets ({@code x[0, 1:3]}), not with a
     * function name; every other operation is a function or an operator of the language.
     */
    public boolean internal() {
        return this == INDEX;
    }

    /** The value of an element-wise operation on one element; {@code b} is ignored by unary operations. */
    @Override
    public double value(double a, double b) {
        if (elementwise == null) {
            throw new UnsupportedOperationException(this + " is not element-wise");
        }
        return elementwise.value(a, b);
    }

    /**
     * {@link #value(double, double)} of this op as a method handle bound to its rule: code made at
     * run time (the compiled tape) calls it from a call site of its own for each slot, so the JIT
     * sees one op there and inlines its value, where a call through {@code value} shares one call
     * site among all ops.
     */
    public java.lang.invoke.MethodHandle valueHandle() {
        if (elementwise == null) {
            throw new UnsupportedOperationException(this + " is not element-wise");
        }
        try {
            return java.lang.invoke.MethodHandles.lookup().findVirtual(ElementwiseRule.class, "value",
                    java.lang.invoke.MethodType.methodType(double.class, double.class, double.class)).bindTo(elementwise);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ElementwiseRule.value is not where Op looks for it", e);
        }
    }

    /**
     * The shape of the result; element-wise operations broadcast.
     *
     * @throws ShapeException when the operation cannot take these shapes
     */
    public Shape shape(Shape a, Shape b, int[] attrs) {
        if (structural != null) {
            return structural.shape(a, b, attrs);
        }
        if (arity() == 1) {
            return a;
        }
        Shape shape = Shape.broadcast(a, b);
        if (shape == null) {
            String symbol = notation().fixity() == Notation.Fixity.CALL ? functionName() + "(" + a + ", " + b + ")"
                    : a + " " + notation().ascii() + " " + b;
            throw new ShapeException(symbol + " — shapes do not broadcast");
        }
        return shape;
    }

    /** The value of the operation on whole tensors; element-wise operations map {@link #value}. */
    public Tensor evaluate(Tensor a, Tensor b, int[] attrs) {
        if (structural != null) {
            return structural.evaluate(a, b, attrs);
        }
        return arity() == 1 ? a.map(this) : Tensor.zip(a, b, this);
    }

    /**
     * The vector-Jacobian product: what input {@code k} receives from this node's adjoint. For an
     * element-wise operation it is {@code adjoint ⊙ partial}, summed back over any broadcast
     * dimensions of the input; other operations define it themselves.
     */
    public <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs) {
        if (structural != null) {
            return structural.vjp(f, k, adjoint, a, b, out, attrs);
        }
        return f.sumTo(f.mul(adjoint, partial(f, k, a, b, out)), f.shape(k == 0 ? a : b));
    }

    /**
     * The local partial derivative of this element-wise operation's output with respect to input
     * {@code k}, given the inputs {@code a}, {@code b} and the output {@code out}.
     */
    public <T> T partial(Algebra<T> f, int k, T a, T b, T out) {
        if (elementwise == null) {
            throw new UnsupportedOperationException(this + " has no element-wise rule");
        }
        return elementwise.partial(f, k, a, b, out);
    }

    /**
     * Why {@code value(a, b)} left the real numbers for finite inputs, in words (for example
     * "log of a negative number"), or null when there is no specific reason.
     */
    public String domainProblem(double a, double b) {
        return elementwise == null ? null : elementwise.domainProblem(a, b);
    }

    /**
     * The scalar view of this operation: the elements of its result (row-major) made by {@code s}
     * from the elements of its inputs {@code a} and {@code b} (null for one input), of shapes
     * {@code sa}, {@code sb}. Only the elements in {@code needed} are made; the others stay null.
     * An element-wise operation applies itself element by element, with broadcasting resolved;
     * every structural operation writes its own expansion.
     */
    public <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed) {
        if (structural != null) {
            return structural.unroll(s, a, b, sa, sb, out, attrs, needed);
        }
        if (elementwise == null) {
            throw new UnsupportedOperationException(this + " has no scalar view");
        }
        int[] ia = ElementMaps.broadcast(sa, out);
        int[] ib = arity() > 1 ? ElementMaps.broadcast(sb, out) : null;
        E[] result = Views.newArray(a, out.size());
        for (int i = 0; i < result.length; i++) {
            if (needed.get(i)) {
                result[i] = arity() == 1 ? s.apply(this, a[ia[i]]) : s.apply(this, a[ia[i]], b[ib[i]]);
            }
        }
        return result;
    }

    /**
     * Which elements of the result depend on the elements {@code depA} of input a and
     * {@code depB} of input b (null for one input): the operation's own answer where it has one,
     * else the scalar view run over booleans, whose every operation is "either".
     */
    public BitSet dependents(Shape sa, Shape sb, Shape out, int[] attrs, BitSet depA, BitSet depB) {
        BitSet own = structural == null ? null : structural.dependents(sa, sb, out, attrs, depA, depB);
        if (own != null) {
            return own;
        }
        Boolean[] a = flags(depA, sa.size());
        Boolean[] b = arity() > 1 ? flags(depB, sb.size()) : null;
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
     * A random value for input {@code k}, of {@code shape}, at which this operation's rule can be
     * checked by differences: inside its domain (positive where it must be, a divisor away from
     * 0) and away from its kinks for an element-wise operation; for a structural one, what it
     * needs (elements far apart for maxima, whole numbers for labels).
     */
    public Tensor sample(int k, Shape shape, int[] attrs, java.util.SplittableRandom rng) {
        if (structural != null) {
            return structural.sample(k, shape, attrs, rng);
        }
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = point(rng, KINK_MARGIN)[k];
        }
        return Tensor.of(shape, data);
    }

    /** How far from a kink (relu at 0, a tie of max) a point of a rule check is. */
    public static final double KINK_MARGIN = 0.05;

    /** A point (a, b) inside this element-wise operation's domain, at least {@code margin} from its kinks. */
    public double[] point(java.util.SplittableRandom rng, double margin) {
        while (true) {
            double a = rng.nextDouble(-2, 2);
            double b = rng.nextDouble(-2, 2);
            switch (domain()) {
                case POSITIVE, POSITIVE_BASE -> a = rng.nextDouble(0.1, 3);
                case ABOVE_MINUS_ONE -> a = rng.nextDouble(-0.9, 3);
                case NONZERO_DIVISOR -> b = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(0.2, 3);
                default -> {
                }
            }
            boolean nearKink = !smooth() && (Math.abs(a) < margin || arity() > 1 && Math.abs(a - b) < margin);
            if (!nearKink) {
                return new double[] {a, b};
            }
        }
    }

    /** Whether input {@code k} takes only whole values (labels): its adjoint is 0, and no difference can be taken. */
    public boolean discrete(int k) {
        return structural != null && structural.discrete(k);
    }

    /**
     * The attributes written after the operands in the language: {@code , 0} for an axis,
     * {@code , axis=1}, the dimensions of a reshape; "" for none, or when they are what the
     * language takes when none are written ({@code softmax(z)} over its last axis).
     */
    public String attributes(int[] attrs, Shape operand) {
        return structural == null ? "" : structural.attributes(attrs, operand);
    }

    /** The operation a language function name denotes ({@code pow} is {@link #POW}), or null. */
    public static Op byFunctionName(String name) {
        return ByFunctionName.OPS.get(name);
    }

    /** The table behind {@link #byFunctionName}: looked up once per call written in a model. */
    private static final class ByFunctionName {
        static final Map<String, Op> OPS = table();

        private static Map<String, Op> table() {
            Map<String, Op> ops = new HashMap<>();
            ops.put("pow", POW);
            for (Op op : values()) {
                if (!op.internal() && op.functionName() != null) {
                    ops.putIfAbsent(op.functionName(), op);
                }
            }
            return Map.copyOf(ops);
        }
    }
}
