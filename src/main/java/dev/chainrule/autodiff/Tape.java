package dev.chainrule.autodiff;

import dev.chainrule.graph.Algebra;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Op;
import dev.chainrule.graph.Shape;
import dev.chainrule.graph.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A graph of scalars lowered to flat arrays: one slot per node (operation, input slots, value,
 * adjoint), swept forward and backward by plain loops with no objects on the way. The graph stays
 * the truth; the tape is a cache, built once and swept as often as training needs.
 *
 * <p>The local derivatives still come from the op table: each rule is run once through a
 * recording {@link Algebra}, which turns it into a few register instructions
 * ({@link Rule}); the backward sweep interprets those with {@link Op#value}.
 */
public final class Tape {
    private final int size;
    private final Op[] ops;
    private final int[] in0;
    private final int[] in1;
    private final int[] leaf;
    private final double[] values;
    private final double[] adjoints;
    private final int root;
    private final int[] wrt;
    private final Rule[][] rules;
    private final double[] registers = new double[Rule.MAX_REGISTERS];

    private Tape(int size, Op[] ops, int[] in0, int[] in1, int[] leaf, double[] values, int root, int[] wrt) {
        this.size = size;
        this.ops = ops;
        this.in0 = in0;
        this.in1 = in1;
        this.leaf = leaf;
        this.values = values;
        this.adjoints = new double[size];
        this.root = root;
        this.wrt = wrt;
        this.rules = new Rule[size][];
        for (int i = 0; i < size; i++) {
            if (ops[i].kind() == Op.Kind.ELEMENTWISE) {
                rules[i] = Rule.of(ops[i]);
            }
        }
    }

    /**
     * Lowers what {@code root} depends on, or returns null when some of it is not a scalar
     * element-wise computation (tensors take the general sweep).
     */
    public static Tape compile(Graph graph, Node root, List<Node> wrt) {
        BitSet reach = graph.reachableFrom(root);
        int size = reach.cardinality();
        int[] slot = new int[root.id() + 1];
        Op[] ops = new Op[size];
        int[] in0 = new int[size];
        int[] in1 = new int[size];
        int[] leaf = new int[size];
        double[] values = new double[size];
        int i = 0;
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1), i++) {
            Node node = graph.get(id);
            if (!node.shape().isScalar() || node.op().kind() == Op.Kind.STRUCTURAL) {
                return null;
            }
            slot[id] = i;
            ops[i] = node.op();
            leaf[i] = node.isLeaf() ? node.leafIndex() : -1;
            in0[i] = node.arity() > 0 ? slot[node.input(0).id()] : -1;
            in1[i] = node.arity() > 1 ? slot[node.input(1).id()] : -1;
            if (node.isConstant()) {
                values[i] = node.constantValue();
            }
        }
        int[] wrtSlots = new int[wrt.size()];
        for (int k = 0; k < wrtSlots.length; k++) {
            Node w = wrt.get(k);
            wrtSlots[k] = w.id() <= root.id() && reach.get(w.id()) ? slot[w.id()] : -1;
        }
        return new Tape(size, ops, in0, in1, leaf, values, slot[root.id()], wrtSlots);
    }

    /**
     * The forward sweep with the given leaf values; returns the root's value.
     *
     * @throws dev.chainrule.diag.ChainException never: domain problems show as NaN or inf here;
     *         the graph's own forward sweep names them
     */
    public double forward(Tensor[] leafValues) {
        for (int i = 0; i < size; i++) {
            Op op = ops[i];
            if (op == Op.CONSTANT) {
                continue;
            }
            if (op == Op.LEAF) {
                values[i] = leafValues[leaf[i]].item();
                continue;
            }
            values[i] = op.value(values[in0[i]], in1[i] >= 0 ? values[in1[i]] : 0);
        }
        return values[root];
    }

    /** The backward sweep after {@link #forward}: the gradient with respect to each wrt leaf. */
    public double[] backward() {
        java.util.Arrays.fill(adjoints, 0);
        adjoints[root] = 1;
        for (int i = root; i >= 0; i--) {
            double g = adjoints[i];
            if (g == 0 || rules[i] == null) {
                continue;
            }
            double a = values[in0[i]];
            double b = in1[i] >= 0 ? values[in1[i]] : 0;
            double out = values[i];
            Rule[] rule = rules[i];
            adjoints[in0[i]] += g * rule[0].apply(a, b, out, registers);
            if (in1[i] >= 0) {
                adjoints[in1[i]] += g * rule[1].apply(a, b, out, registers);
            }
        }
        double[] gradient = new double[wrt.length];
        for (int k = 0; k < wrt.length; k++) {
            gradient[k] = wrt[k] >= 0 ? adjoints[wrt[k]] : 0;
        }
        return gradient;
    }

    /** Nodes on the tape. */
    public int size() {
        return size;
    }

    /**
     * A local derivative rule recorded as register instructions: registers 0, 1, 2 hold a, b and
     * out; each instruction applies an operation to two registers (or loads a constant) into the
     * next one; the last register is the result.
     */
    static final class Rule {
        static final int MAX_REGISTERS = 32;
        private static final java.util.Map<Op, Rule[]> CACHE = new java.util.EnumMap<>(Op.class);

        private final Op[] ops;
        private final int[] x;
        private final int[] y;
        private final double[] constants;
        private final int result;

        private Rule(Op[] ops, int[] x, int[] y, double[] constants, int result) {
            this.ops = ops;
            this.x = x;
            this.y = y;
            this.constants = constants;
            this.result = result;
        }

        static synchronized Rule[] of(Op op) {
            return CACHE.computeIfAbsent(op, o -> {
                Rule[] rules = new Rule[o.arity()];
                for (int k = 0; k < o.arity(); k++) {
                    Recorder r = new Recorder();
                    int out = o.partial(r, k, 0, o.arity() > 1 ? 1 : null, 2);
                    rules[k] = r.rule(out);
                }
                return rules;
            });
        }

        double apply(double a, double b, double out, double[] registers) {
            registers[0] = a;
            registers[1] = b;
            registers[2] = out;
            for (int i = 0; i < ops.length; i++) {
                Op op = ops[i];
                registers[3 + i] = op == null ? constants[i] : op.value(registers[x[i]], y[i] >= 0 ? registers[y[i]] : 0);
            }
            return registers[result];
        }
    }

    /** Records the operations a rule applies, as register instructions. */
    private static final class Recorder implements Algebra<Integer> {
        private final List<Op> ops = new ArrayList<>();
        private final List<int[]> operands = new ArrayList<>();
        private final List<Double> constants = new ArrayList<>();

        @Override
        public Integer constant(double value) {
            return emit(null, -1, -1, value);
        }

        @Override
        public Integer apply(Op op, int[] attrs, Integer a, Integer b) {
            return emit(op, a, b == null ? -1 : b, 0);
        }

        @Override
        public Shape shape(Integer value) {
            return Shape.SCALAR;
        }

        private int emit(Op op, int a, int b, double constant) {
            ops.add(op);
            operands.add(new int[] {a, b});
            constants.add(constant);
            if (3 + ops.size() > Rule.MAX_REGISTERS) {
                throw new IllegalStateException("a rule of more than " + Rule.MAX_REGISTERS + " registers");
            }
            return 2 + ops.size();
        }

        Rule rule(int result) {
            int n = ops.size();
            int[] x = new int[n];
            int[] y = new int[n];
            double[] c = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = operands.get(i)[0];
                y[i] = operands.get(i)[1];
                c[i] = constants.get(i);
            }
            return new Rule(ops.toArray(Op[]::new), x, y, c, result);
        }
    }
}
