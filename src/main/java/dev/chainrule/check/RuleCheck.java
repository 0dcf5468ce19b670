package dev.chainrule.check;

import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.NumericAlgebra;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.lang.ModelBuilder;
import dev.chainrule.model.Scope;
import dev.chainrule.print.Numbers;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The op table checked against itself: every rule against finite differences of the value it
 * differentiates, so that a wrong rule is named by its op, not found later as a wrong gradient.
 *
 * <p>Element-wise ops: each local partial {@link Op#partial} at seeded points drawn from the op's
 * {@link Op.Domain} (away from the kinks of the ops that have them), against Ridders' extrapolated
 * differences of {@link Op#value}, and at the points on the edges of its domain that the table
 * names ({@link Op#edges}: zero bases of powers, saturated sigmoids, tiny logarithms), where a
 * rule's factors meet zeros and infinities. Structural ops: each vector-Jacobian product {@link Op#vjp}
 * with a random adjoint u, against the derivative of {@code <u, op(a + t·v)>} at t = 0 along a
 * random direction v. The structural ops are met as they occur in a probe model written in the
 * language (and in its symbolic gradient, where pad, sum_to and broadcast_to appear), so their
 * attributes are the ones the language and the sweeps really make.
 */
public final class RuleCheck {
    /** Relative and absolute tolerance of a rule against differences. */
    public static final double RTOL = 1e-6;
    public static final double ATOL = 1e-8;
    private static final int POINTS = 24;
    static final double KINK_MARGIN = Op.KINK_MARGIN;

    /** Probe models whose graphs and gradients use every structural op. */
    private static final String PROBES = """
            param A = [[0.3, -1.2, 0.8], [1.5, 0.2, -0.7]]
            param B = [[0.5, -0.3], [0.9, 0.4], [-1.1, 0.6]]
            param v = [0.4, -0.9, 1.3]
            param w = [0.2, 0.7]
            input labels = [0, 2, 1]
            E = sum(A @ B) + sum(v @ B) + sum(A @ v) + v @ v + sum(A' * A') + sum(A, 0) @ v + sum(A, 1) @ w \
            + sum(softmax(A) * A) + sum(log_softmax(A, 0) * A) + sum(logsumexp(A) * w) + max(A) + mean(A * A) \
            + sum(A[1, :] * v) + A[0, 2] * v[1] + sum(A + v) + sum(w' @ A) \
            + sum(sum_to(A, 3) * v) + sum(pad(A, 1, 0, 1, 0, 2, 2) * pad(A, 1, 0, 1, 0, 2, 2)) + sum(concat(A, A) * concat(A, A)) \
            + sum(onehot(labels, 3) @ B) + sum(max(A, axis=1) * w) + sum(argmax_mask(A, axis=0) * A) \
            + sum(A[1:2, 0:3:2] * A[0:1, 1:]) + sum(reshape(A, 3, 2) * B) + sum(broadcast_to(v, 2, 3) * A) \
            + sum(stack(v, v, axis=1) * B) + sum(where(A > 0, A, A * A)) + sum(clip(A, -0.5, 0.5)) + sum(log1p(A * A) + expm1(A))
            """;

    /** What a rule gave and what differences gave, at one point. */
    public record Finding(Op op, int input, String point, double rule, double differences, boolean agrees) {
        @Override
        public String toString() {
            return op.name().toLowerCase(java.util.Locale.ROOT) + ", ∂/∂input " + input + " at " + point + ": rule "
                    + rule + ", differences " + differences + (agrees ? "" : "  DISAGREE");
        }
    }

    /** The local partial an element-wise op's rule gives; the op table's unless a test swaps one in. */
    @FunctionalInterface
    public interface Partials {
        double partial(Op op, int k, double a, double b, double out);

        /** The op table's own rules. */
        Partials TABLE = (op, k, a, b, out) -> op.partial(NumericAlgebra.INSTANCE, k, Tensor.scalar(a),
                op.arity() > 1 ? Tensor.scalar(b) : null, Tensor.scalar(out)).item();
    }

    private RuleCheck() {
    }

    /** Every op of the table, checked with its own rules; the first finding per op that disagrees, or its worst. */
    public static Map<Op, Finding> run(long seed) {
        return run(seed, Partials.TABLE);
    }

    /** As {@link #run(long)}, with element-wise partials from {@code partials}. */
    public static Map<Op, Finding> run(long seed, Partials partials) {
        Map<Op, Finding> worst = new EnumMap<>(Op.class);
        SplittableRandom rng = new SplittableRandom(seed);
        for (Op op : Op.values()) {
            if (op.kind() == Op.Kind.ELEMENTWISE) {
                for (int i = 0; i < POINTS; i++) {
                    double[] p = point(op, rng);
                    for (int k = 0; k < op.arity(); k++) {
                        keep(worst, elementwise(op, k, p[0], p[1], partials));
                    }
                }
                // the edges of the domain, where a rule's factors meet zeros and infinities
                for (Op.Edge edge : op.edges()) {
                    for (int k : edge.inputs()) {
                        keep(worst, elementwise(op, k, edge.a(), edge.b(), partials));
                    }
                }
            }
        }
        Graph graph = probes();
        for (int id = 0; id < graph.size(); id++) {
            Node node = graph.get(id);
            if (node.op().kind() == Op.Kind.STRUCTURAL) {
                for (int k = 0; k < node.arity(); k++) {
                    keep(worst, structural(node, k, rng));
                }
            }
        }
        return worst;
    }

    /**
     * The probe models with their symbolic gradients: a graph holding every structural operation
     * of the table, each with the attributes the language and the sweeps really give it.
     */
    public static Graph probes() {
        Scope probes = new Scope();
        new ModelBuilder(probes).build(new Source("rules.chain", PROBES));
        Graph graph = probes.graph();
        Gradients.symbolic(graph, probes.lookup("E"), probes.params());
        return graph;
    }

    /** Elements of a tensor node checked at most, each at its own values. */
    private static final int ELEMENTS_AT_NODE = 64;

    /**
     * The first disagreement of {@code node}'s rules with differences at the values the node has
     * ({@code values} by node id), or null when they agree. Element-wise nodes are checked element
     * by element, others by their vector-Jacobian products along a seeded random direction.
     */
    public static Finding atNode(Node node, Tensor[] values) {
        Op op = node.op();
        Tensor a = values[node.input(0).id()];
        Tensor b = node.arity() > 1 ? values[node.input(1).id()] : null;
        if (op.kind() == Op.Kind.ELEMENTWISE) {
            Shape shape = values[node.id()].shape();
            Tensor wideA = a.broadcastTo(shape);
            Tensor wideB = b == null ? null : b.broadcastTo(shape);
            for (int i = 0; i < Math.min(shape.size(), ELEMENTS_AT_NODE); i++) {
                for (int k = 0; k < op.arity(); k++) {
                    Finding f = elementwise(op, k, wideA.get(i), wideB == null ? 0 : wideB.get(i), Partials.TABLE);
                    if (!f.agrees()) {
                        return f;
                    }
                }
            }
            return null;
        }
        for (int k = 0; k < node.arity(); k++) {
            Finding f = structural(node, k, a, b, new SplittableRandom(node.id()));
            if (!f.agrees()) {
                return f;
            }
        }
        return null;
    }

    /** The ops no check reached (none, while the probes cover the table). */
    public static List<Op> uncovered(Map<Op, Finding> findings) {
        List<Op> missing = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op.kind() != Op.Kind.LEAF && !findings.containsKey(op)) {
                missing.add(op);
            }
        }
        return missing;
    }

    static void keep(Map<Op, Finding> worst, Finding f) {
        Finding old = worst.get(f.op());
        if (old == null || old.agrees() && (!f.agrees() || error(f) > error(old))) {
            worst.put(f.op(), f);
        }
    }

    private static double error(Finding f) {
        return Math.abs(f.rule() - f.differences()) / (ATOL + RTOL * Math.abs(f.differences()));
    }

    /** A point inside the op's domain, away from its kinks. */
    static double[] point(Op op, SplittableRandom rng) {
        return op.point(rng, KINK_MARGIN);
    }

    private static Finding elementwise(Op op, int k, double a, double b, Partials partials) {
        double out = op.value(a, b);
        double rule = partials.partial(op, k, a, b, out);
        double x = k == 0 ? a : b;
        // at most half the way to the edge of the domain (0 for log, sqrt and pow, -1 for log1p), so a step never crosses it
        double h = x == 0 ? 1e-3 : Math.min(0.1, 0.5 * Math.abs(x));
        if (op.domain() == Op.Domain.ABOVE_MINUS_ONE && k == 0) {
            h = Math.min(h, 0.5 * (x + 1));
        }
        if (!op.smooth()) {
            h = Math.min(h, 0.5 * KINK_MARGIN);
        }
        java.util.function.DoubleUnaryOperator f = k == 0 ? t -> op.value(t, b) : t -> op.value(a, t);
        double differences = Ridders.derivative(f, x, h).derivative();
        String point = op.arity() > 1 ? "a = " + Numbers.format(a) + ", b = " + Numbers.format(b) : "a = " + Numbers.format(a);
        return new Finding(op, k, point, rule, differences, Math.abs(rule - differences) <= ATOL + RTOL * Math.abs(differences));
    }

    private static Finding structural(Node node, int k, SplittableRandom rng) {
        Op op = node.op();
        Tensor a = op.sample(0, node.input(0).shape(), node.attrs(), rng);
        Tensor b = node.arity() > 1 ? op.sample(1, node.input(1).shape(), node.attrs(), rng) : null;
        return structural(node, k, a, b, rng);
    }

    private static Finding structural(Node node, int k, Tensor a, Tensor b, SplittableRandom rng) {
        Op op = node.op();
        int[] attrs = node.attrs();
        Tensor out = op.evaluate(a, b, attrs);
        Tensor u = random(out.shape(), rng, false);
        Tensor vjp = op.vjp(NumericAlgebra.INSTANCE, k, u, a, b, out, attrs);
        Tensor v = random(k == 0 ? a.shape() : b.shape(), rng, false);
        double rule = dot(vjp, v);
        String point = "inputs of shape " + node.input(0).shape() + (b == null ? "" : " and " + b.shape())
                + (attrs.length > 0 ? ", attributes " + java.util.Arrays.toString(attrs) : "");
        if (op.discrete(k)) {
            // labels move in whole steps: the rule must give nothing, and no difference is taken
            return new Finding(op, k, point, rule, 0, rule == 0);
        }
        double h = 0.1;
        java.util.function.DoubleUnaryOperator along = t -> {
            Tensor moved = Tensor.zip(k == 0 ? a : b, v, (x, d) -> x + t * d);
            return dot(op.evaluate(k == 0 ? moved : a, k == 0 ? b : moved, attrs), u);
        };
        double differences = Ridders.derivative(along, 0, h).derivative();
        return new Finding(op, k, point, rule, differences, Math.abs(rule - differences) <= ATOL + RTOL * Math.abs(differences));
    }

    /**
     * Random elements in [-1, 1], or well-separated ones, so a step of differences never changes
     * which element is largest.
     */
    public static Tensor random(Shape shape, SplittableRandom rng, boolean separated) {
        return separated ? dev.chainrule.graph.op.Samples.separated(shape, rng) : dev.chainrule.graph.op.Samples.uniform(shape, rng);
    }

    static double dot(Tensor x, Tensor y) {
        Tensor wide = y.broadcastTo(x.shape());
        double s = 0;
        for (int i = 0; i < x.size(); i++) {
            s += x.get(i) * wide.get(i);
        }
        return s;
    }
}
