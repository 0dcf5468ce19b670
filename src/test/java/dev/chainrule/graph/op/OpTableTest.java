package dev.chainrule.graph.op;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.autodiff.NumericAlgebra;
import dev.chainrule.autodiff.SymbolicAlgebra;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import java.util.List;
import org.apache.commons.math3.analysis.differentiation.FiniteDifferencesDifferentiator;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;

/**
 * Every operation of the table has all that the engine needs: a value, a local derivative for
 * each input that agrees with finite differences at points of its domain (the rule self-check),
 * the same derivative when built as a graph, and a notation in every format.
 */
class OpTableTest {
    /** Points away from every kink (0, and a = b) and inside every domain. */
    private static final double[][] POINTS = {{0.7, 1.9}, {1.3, 0.4}, {2.2, -0.6}, {0.35, 3.1}};

    private static boolean computed(Op op) {
        return op.kind() == Op.Kind.ELEMENTWISE;
    }

    /** A rule evaluated with numbers, on scalars. */
    private static double partial(Op op, int k, double a, double b, double out) {
        return op.partial(NumericAlgebra.INSTANCE, k, Tensor.scalar(a), op.arity() > 1 ? Tensor.scalar(b) : null,
                Tensor.scalar(out)).item();
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void localDerivativesAgreeWithFiniteDifferences(Op op) {
        if (!computed(op)) {
            return;
        }
        for (double[] p : POINTS) {
            for (int k = 0; k < op.arity(); k++) {
                double a = p[0];
                double b = p[1];
                double out = op.value(a, b);
                double rule = partial(op, k, a, b, out);
                int input = k;
                FiniteDifferencesDifferentiator fd = new FiniteDifferencesDifferentiator(5, 1e-3);
                double numeric = fd.differentiate((double t) -> input == 0 ? op.value(t, b) : op.value(a, t))
                        .value(new DerivativeStructure(1, 1, 0, input == 0 ? a : b)).getPartialDerivative(1);
                assertEquals(numeric, rule, 1e-9 * Math.max(1, Math.abs(numeric)), op + " d/d#" + k + " at " + a + ", " + b);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void symbolicRuleEvaluatesToTheNumericRule(Op op) {
        if (!computed(op)) {
            return;
        }
        Graph graph = new Graph();
        Node a = graph.leaf("a", LeafKind.PARAM);
        Node b = graph.leaf("b", LeafKind.PARAM);
        Node out = op.arity() == 1 ? graph.node(op, a) : graph.node(op, a, b);
        SymbolicAlgebra symbolic = new SymbolicAlgebra(graph);
        Tensor[] leaves = {Tensor.scalar(POINTS[0][0]), Tensor.scalar(POINTS[0][1])};
        double outValue = op.value(POINTS[0][0], POINTS[0][1]);
        for (int k = 0; k < op.arity(); k++) {
            Node d = op.partial(symbolic, k, a, op.arity() > 1 ? b : null, out);
            double value = dev.chainrule.autodiff.Forward.values(graph, leaves, d)[d.id()].item();
            double numeric = partial(op, k, POINTS[0][0], POINTS[0][1], outValue);
            assertEquals(numeric, value, 1e-15 * Math.max(1, Math.abs(numeric)), op.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void everyOperationIsWrittenInEveryFormat(Op op) {
        if (op.kind() == Op.Kind.LEAF) {
            return;
        }
        Notation n = op.notation();
        assertFalse(n.text().isEmpty(), op + " text");
        assertFalse(n.ascii().isEmpty(), op + " ascii");
        assertFalse(n.latex().isEmpty(), op + " latex");
        Graph graph = new Graph();
        Node a = graph.leaf("a", LeafKind.PARAM);
        Node b = graph.leaf("b", LeafKind.PARAM);
        Node node = op.kind() == Op.Kind.STRUCTURAL ? use(op)
                : op.arity() == 1 ? graph.node(op, a) : graph.node(op, a, b);
        if (op.kind() == Op.Kind.STRUCTURAL) {
            graph = probes;
        }
        for (Format format : Format.values()) {
            String written = new ExprPrinter(graph, format, x -> null).inline(node);
            assertFalse(written.isEmpty(), op + " in " + format);
        }
        // ASCII writes every operation as the language does, by its name, its operator or brackets
        String ascii = new ExprPrinter(graph, Format.ASCII, x -> null).inline(node);
        String mark = op == Op.INDEX ? "[" : op.notation().ascii();
        assertTrue(ascii.contains(mark), op + " in ASCII: " + ascii);
    }

    private static final Graph probes = dev.chainrule.check.RuleCheck.probes();

    /** A node of a structural operation, from the probe models, with the attributes the language gives it. */
    private static Node use(Op op) {
        for (int id = 0; id < probes.size(); id++) {
            if (probes.get(id).op() == op) {
                return probes.get(id);
            }
        }
        throw new AssertionError(op + " is not met in the probe models");
    }

    @ParameterizedTest
    @EnumSource(Op.class)
    void functionsAreNamedInTheLanguage(Op op) {
        if (op.notation().fixity() == Notation.Fixity.CALL) {
            assertEquals(op.internal() ? null : op == Op.MAX_OVER ? Op.MAX : op, Op.byFunctionName(op.functionName()));
        }
        assertNotNull(op.domain());
    }

    /** Scalars that are numbers: the scalar view evaluated. */
    private static final Scalars<Double> NUMBERS = new Scalars<>() {
        @Override
        public Double constant(double value) {
            return value;
        }

        @Override
        public Double apply(Op op, Double a) {
            return op.value(a, 0);
        }

        @Override
        public Double apply(Op op, Double a, Double b) {
            return op.value(a, b);
        }
    };

    private static Double[] boxed(Tensor t) {
        Double[] out = new Double[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i);
        }
        return out;
    }

    /**
     * Every operation the sweeps can produce has a scalar view, and it computes the operation's
     * value: element-wise ones with broadcasting, structural ones at each place the probe models
     * (and their gradients) use them, with random inputs.
     */
    @ParameterizedTest
    @EnumSource(Op.class)
    void everyOperationHasAScalarViewThatComputesItsValue(Op op) {
        if (op.kind() == Op.Kind.LEAF) {
            return;
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(op.ordinal());
        List<Node> uses = new java.util.ArrayList<>();
        Graph graph = op.kind() == Op.Kind.ELEMENTWISE ? new Graph() : dev.chainrule.check.RuleCheck.probes();
        if (op.kind() == Op.Kind.ELEMENTWISE) {
            Node a = graph.leaf("a", LeafKind.PARAM, Shape.of(2, 3));
            uses.add(op.arity() == 1 ? graph.node(op, a) : graph.node(op, a, graph.leaf("b", LeafKind.PARAM, Shape.of(3))));
        }
        for (int id = 0; id < graph.size(); id++) {
            if (graph.get(id).op() == op && op.kind() == Op.Kind.STRUCTURAL) {
                uses.add(graph.get(id));
            }
        }
        assertFalse(uses.isEmpty(), op + " is not met in the probe models");
        for (Node node : uses) {
            Shape sa = node.input(0).shape();
            Shape sb = node.arity() > 1 ? node.input(1).shape() : null;
            Tensor a = op.sample(0, sa, node.attrs(), rng);
            Tensor b = sb == null ? null : op.sample(1, sb, node.attrs(), rng);
            java.util.BitSet all = new java.util.BitSet();
            all.set(0, node.shape().size());
            Double[] view = op.unroll(NUMBERS, boxed(a), b == null ? null : boxed(b), sa, sb, node.shape(), node.attrs(), all);
            Tensor value = op.evaluate(a, b, node.attrs());
            assertEquals(value.size(), view.length, op.toString());
            for (int i = 0; i < view.length; i++) {
                assertEquals(value.get(i), view[i], 1e-12 * Math.max(1, Math.abs(value.get(i))), op + " element " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Op.class, names = {"RELU", "ABS", "STEP", "SIGN"})
    void derivativesAtTheKinkFollowTheConventions(Op op) {
        assertEquals(0.0, partial(op, 0, 0.0, 0.0, op.value(0, 0)), 0.0, op.toString());
    }

    @ParameterizedTest
    @EnumSource(value = Op.class, names = {"MAX", "MIN"})
    void aTieSendsTheGradientToTheFirstArgument(Op op) {
        assertEquals(1.0, partial(op, 0, 2.0, 2.0, 2.0), 0.0);
        assertEquals(0.0, partial(op, 1, 2.0, 2.0, 2.0), 0.0);
    }

    /**
     * Points where an operation that is not commutative changes when its inputs swap: POINTS, and
     * an infinite factor, which mul_no_nan's zero second factor wins over and its zero first factor does not.
     */
    private static final double[][] SWAP_WITNESSES = {{0.7, 1.9}, {1.3, 0.4}, {2.2, -0.6}, {0.35, 3.1}, {Double.POSITIVE_INFINITY, 0}};

    @ParameterizedTest
    @EnumSource(Op.class)
    void anOperationIsCommutativeExactlyWhenItsInputsSwap(Op op) {
        if (op.arity() < 2) {
            assertFalse(op.commutative(), op.toString());
            assertEquals(null, op.operandName(0), op.toString());
            return;
        }
        boolean swaps;
        if (op.kind() == Op.Kind.ELEMENTWISE) {
            swaps = true;
            for (double[] p : op.commutative() ? POINTS : SWAP_WITNESSES) {
                swaps &= Double.compare(op.value(p[0], p[1]), op.value(p[1], p[0])) == 0;
            }
        } else {
            // two different 2×2 matrices: a product of them, or a column of them one after the other, tells the order
            Tensor a = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);
            Tensor b = Tensor.of(Shape.of(2, 2), 0, 1, 1, 0);
            int[] attrs = op == Op.CONCAT ? new int[] {0} : Algebra.NO_ATTRS;
            swaps = op.evaluate(a, b, attrs).equals(op.evaluate(b, a, attrs));
        }
        assertEquals(op.commutative(), swaps, op.toString());
        if (op.commutative()) {
            assertEquals(null, op.operandName(0), op.toString());
        } else {
            assertNotNull(op.operandName(0), op.toString());
            assertNotNull(op.operandName(1), op.toString());
            assertFalse(op.operandName(0).equals(op.operandName(1)), op.toString());
        }
    }

    @org.junit.jupiter.api.Test
    void theInputsOfTheFamiliarOperatorsAreNamedByTheirRoles() {
        assertEquals(List.of("numerator", "denominator"), List.of(Op.DIV.operandName(0), Op.DIV.operandName(1)));
        assertEquals(List.of("base", "exponent"), List.of(Op.POW.operandName(0), Op.POW.operandName(1)));
        assertEquals(List.of("left", "right"), List.of(Op.SUB.operandName(0), Op.SUB.operandName(1)));
        assertEquals(List.of("left", "right"), List.of(Op.MATMUL.operandName(0), Op.MATMUL.operandName(1)));
        assertEquals(List.of("1st", "2nd"), List.of(Op.CONCAT.operandName(0), Op.CONCAT.operandName(1)));
    }

    /**
     * A rule's shape and its kernel agree: for operands of rank 0 to 3 (stack can make three
     * axes) and every axis, an operation either refuses the shapes (ShapeException) or its value
     * has exactly the shape its rule promised. Found when T of a (1×2×2) value claimed the shape
     * it was given and its kernel made a (2×1) one.
     */
    @org.junit.jupiter.api.Test
    void everyKernelMakesTheShapeItsRulePromises() {
        java.util.List<dev.chainrule.tensor.Shape> shapes = java.util.List.of(dev.chainrule.tensor.Shape.SCALAR,
                dev.chainrule.tensor.Shape.of(3), dev.chainrule.tensor.Shape.of(2, 3), dev.chainrule.tensor.Shape.of(1, 2, 2),
                dev.chainrule.tensor.Shape.of(2, 3, 4), dev.chainrule.tensor.Shape.of(3, 2));
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        int checked = 0;
        for (Op op : Op.values()) {
            if (op.kind() != Op.Kind.STRUCTURAL || op == Op.INDEX || op == Op.PAD || op == Op.SUM_TO || op == Op.BROADCAST_TO
                    || op == Op.RESHAPE || op == Op.ONEHOT) {
                continue; // their attributes are shapes and indices, checked against the shape in their own tests
            }
            for (dev.chainrule.tensor.Shape a : shapes) {
                for (dev.chainrule.tensor.Shape b : op.arity() > 1 ? shapes : java.util.List.of(dev.chainrule.tensor.Shape.SCALAR)) {
                    for (int axis = -1; axis < 3; axis++) {
                        int[] attrs = op == Op.MATMUL || op == Op.TRANSPOSE ? new int[0] : new int[] {axis};
                        dev.chainrule.tensor.Shape promised;
                        try {
                            promised = op.shape(a, op.arity() > 1 ? b : null, attrs);
                        } catch (dev.chainrule.tensor.ShapeException refused) {
                            continue;
                        }
                        Tensor x = Samples.uniform(a, rng);
                        Tensor y = op.arity() > 1 ? Samples.uniform(b, rng) : null;
                        assertEquals(promised, op.evaluate(x, y, attrs).shape(), op + " of " + a + (y == null ? "" : " and " + b)
                                + " with " + java.util.Arrays.toString(attrs));
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 100, checked + " cases");
    }
}
