package dev.chainrule.autodiff;

import dev.chainrule.graph.op.Algebra;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A graph of scalars lowered to flat arrays: one slot per node holding its operation's code, its
 * input slots, its value, its adjoint and its rules (32 bytes with compressed references), swept forward and backward by plain loops
 * that allocate nothing. The graph stays the truth; the tape is a cache, built once and swept as
 * often as training needs, with new leaf values set between sweeps.
 *
 * <p>The local derivatives still come from the op table: each rule is run once through a
 * recording {@link Algebra}, which folds what is constant and turns the rest into a few register
 * instructions ({@link Rule}); a rule that is a constant or one of its operands (as for +, ·, exp)
 * needs no instruction at all. A tape is not safe for use by two threads at once.
 */
public final class Tape {
    private static final Op[] OPS = Op.values();
    /** The low bits of a slot's code: its op's ordinal. */
    static final int OP = 0xFF;
    /** Flags in a slot's code: input a, input b lead to a wrt leaf and so take an adjoint. */
    static final int NEEDS_A = 0x100;
    static final int NEEDS_B = 0x200;

    final int size;
    final int[] code;
    final int[] in0;
    final int[] in1;
    final double[] values;
    final double[] adjoints;
    final int root;
    /** The slot of each leaf of the graph (by leaf index), or -1 when the root does not use it. */
    private final int[] leafSlot;
    private final int[] wrt;
    /** The rules of each slot's op (specialised to its constant inputs), null for leaves and constants. */
    final Rule[][] rules;
    private final double[] registers = new double[Rule.MAX_REGISTERS];
    /** Interpreted sweeps before the tape is compiled into code of its own ({@link TapeCompiler}). */
    static final int COMPILE_AFTER = 64;
    /** Forward sweeps so far, counted until the tape is compiled; -1 when it is never to be. */
    private int sweeps;
    private TapeCompiler.Compiled compiled;
    /** Whether this tape compiles itself after some sweeps (tests compare both ways). */
    private boolean compiling = true;

    private Tape(int size, int[] code, int[] in0, int[] in1, double[] values, int root, int[] leafSlot, int[] wrt,
                 Rule[][] rules) {
        this.size = size;
        this.code = code;
        this.in0 = in0;
        this.in1 = in1;
        this.values = values;
        this.adjoints = new double[size];
        this.root = root;
        this.leafSlot = leafSlot;
        this.wrt = wrt;
        this.rules = rules;
    }

    /**
     * Lowers what {@code root} depends on, or returns null when some of it is not a scalar
     * element-wise computation (tensors take the general sweep).
     */
    public static Tape compile(Graph graph, Node root, List<Node> wrt) {
        BitSet reach = graph.reachableFrom(root);
        int size = reach.cardinality();
        int[] slot = new int[root.id() + 1];
        int[] code = new int[size];
        int[] in0 = new int[size];
        int[] in1 = new int[size];
        double[] values = new double[size];
        int[] leafSlot = new int[graph.leaves().size()];
        Arrays.fill(leafSlot, -1);
        int i = 0;
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1), i++) {
            Node node = graph.get(id);
            if (!node.shape().isScalar() || node.op().kind() == Op.Kind.STRUCTURAL || node.leafIndex() < 0 && node.isLeaf()) {
                return null;
            }
            slot[id] = i;
            code[i] = node.op().ordinal();
            int a = graph.inputId(id, 0);
            int b = graph.inputId(id, 1);
            in0[i] = a >= 0 ? slot[a] : -1;
            in1[i] = b >= 0 ? slot[b] : -1;
            if (node.isConstant()) {
                values[i] = node.constantValue();
            } else if (node.isLeaf()) {
                leafSlot[node.leafIndex()] = i;
            }
        }
        int[] wrtSlots = new int[wrt.size()];
        boolean[] needs = new boolean[size];
        for (int k = 0; k < wrtSlots.length; k++) {
            Node w = wrt.get(k);
            wrtSlots[k] = w.id() <= root.id() && reach.get(w.id()) ? slot[w.id()] : -1;
            if (wrtSlots[k] >= 0) {
                needs[wrtSlots[k]] = true;
            }
        }
        // an input that depends on no wrt leaf gets no adjoint: flags in the code say which inputs do
        Rule[][] rules = new Rule[size][];
        Op lastOp = null;
        double lastA = 0;
        double lastB = 0;
        Rule[] lastRules = null;
        for (int j = 0; j < size; j++) {
            Op op = OPS[code[j]];
            if (op.kind() != Op.Kind.ELEMENTWISE) {
                continue;
            }
            boolean need0 = needs[in0[j]];
            boolean need1 = in1[j] >= 0 && needs[in1[j]];
            needs[j] = need0 || need1;
            code[j] |= (need0 ? NEEDS_A : 0) | (need1 ? NEEDS_B : 0);
            double a = constantOrNaN(code, values, in0[j]);
            double b = in1[j] >= 0 ? constantOrNaN(code, values, in1[j]) : Double.NaN;
            // the last specialised rules found are kept at hand: runs of the same op and constant are common
            if (Double.isNaN(a) && Double.isNaN(b)) {
                rules[j] = Rule.of(op, a, b);
            } else if (op == lastOp && Double.compare(a, lastA) == 0 && Double.compare(b, lastB) == 0) {
                rules[j] = lastRules;
            } else {
                rules[j] = Rule.of(op, a, b);
                lastOp = op;
                lastA = a;
                lastB = b;
                lastRules = rules[j];
            }
        }
        return new Tape(size, code, in0, in1, values, slot[root.id()], leafSlot, wrtSlots, rules);
    }

    private static double constantOrNaN(int[] code, double[] values, int slot) {
        return code[slot] == Op.CONSTANT.ordinal() ? values[slot] : Double.NaN;
    }

    /**
     * Sets every leaf from {@code leafValues} (indexed by leaf index) and sweeps forward; returns
     * the root's value. Domain problems show as NaN or inf here; the graph's own forward sweep
     * names them.
     */
    public double forward(Tensor[] leafValues) {
        for (int leaf = 0; leaf < leafSlot.length; leaf++) {
            if (uses(leaf)) {
                setLeaf(leaf, leafValues[leaf].item());
            }
        }
        return forward();
    }

    /** Sets one leaf, by its leaf index, for the next {@link #forward()}; unused leaves are ignored. */
    public void setLeaf(int leafIndex, double value) {
        if (leafSlot[leafIndex] >= 0) {
            values[leafSlot[leafIndex]] = value;
        }
    }

    /** Whether the root depends on the leaf of this leaf index. */
    public boolean uses(int leafIndex) {
        return leafSlot[leafIndex] >= 0;
    }

    /**
     * Sweeps forward with the leaf values set before; returns the root's value. The first sweep
     * takes code compiled for a tape of the same structure if there is some; after
     * {@link #COMPILE_AFTER} sweeps the tape is compiled (when it is small enough to be).
     */
    public double forward() {
        if (compiled == null && sweeps >= 0) {
            if (sweeps == 0 || sweeps == COMPILE_AFTER) {
                takeCode(sweeps == COMPILE_AFTER);
            }
            if (sweeps >= 0) {
                sweeps++;
            }
        }
        if (compiled != null) {
            compiled.forward(values);
            return values[root];
        }
        int first = Op.LEAF.ordinal();
        for (int i = 0; i < size; i++) {
            int c = code[i] & OP;
            if (c > first) {
                int b = in1[i];
                values[i] = OPS[c].value(values[in0[i]], b >= 0 ? values[b] : 0);
            }
        }
        return values[root];
    }

    /** The backward sweep after a forward one: the gradient with respect to each wrt leaf. */
    public double[] backward() {
        double[] gradient = new double[wrt.length];
        backward(gradient);
        return gradient;
    }

    /** The backward sweep after a forward one, writing the gradient into {@code gradient}. */
    public void backward(double[] gradient) {
        Arrays.fill(adjoints, 0, root + 1, 0);
        adjoints[root] = 1;
        if (compiled != null) {
            compiled.backward(values, adjoints);
        } else {
            interpretBackward();
        }
        for (int k = 0; k < wrt.length; k++) {
            gradient[k] = wrt[k] >= 0 ? adjoints[wrt[k]] : 0;
        }
    }

    /**
     * Takes compiled code for this tape: cached code only, or newly made code when {@code make};
     * a tape too large to compile is marked never to be.
     */
    private void takeCode(boolean make) {
        if (size > TapeCompiler.MAX_SLOTS || !compiling) {
            sweeps = -1;
            return;
        }
        TapeCompiler.Key key = new TapeCompiler.Key(this);
        compiled = make ? TapeCompiler.compile(this, key) : TapeCompiler.cached(key);
        if (make && compiled == null) {
            sweeps = -1;
        }
    }

    /** Keeps this tape interpreted from now on; returns it (tests compare both ways). */
    Tape interpreted() {
        compiling = false;
        compiled = null;
        sweeps = -1;
        return this;
    }

    /** Compiles this tape now if it can be; returns whether it is (tests and benchmarks). */
    boolean compileNow() {
        compiling = true;
        takeCode(true);
        return compiled != null;
    }

    private void interpretBackward() {
        for (int i = root; i >= 0; i--) {
            double g = adjoints[i];
            int c = code[i];
            if (g == 0 || (c & (NEEDS_A | NEEDS_B)) == 0) {
                continue;
            }
            int x = in0[i];
            int y = in1[i];
            double a = values[x];
            double b = y >= 0 ? values[y] : 0;
            double out = values[i];
            Rule[] rule = rules[i];
            if ((c & NEEDS_A) != 0) {
                adjoints[x] += g * rule[0].apply(a, b, out, registers);
            }
            if ((c & NEEDS_B) != 0) {
                adjoints[y] += g * rule[1].apply(a, b, out, registers);
            }
        }
    }

    /** Nodes on the tape. */
    public int size() {
        return size;
    }

    /**
     * A local derivative rule: a constant, one of the operands {@code a}, {@code b}, {@code out},
     * or register instructions. Registers 0, 1, 2 hold a, b and out, the next ones the rule's
     * constants, then one per instruction: each applies an operation to two registers (the second
     * unused by unary operations) into the next one; {@code result} names the register that holds
     * the answer.
     */
    static final class Rule {
        static final int MAX_REGISTERS = 32;
        /** Rules specialised to constant inputs are kept for at most this many (op, constants) keys. */
        private static final int MAX_SPECIALISED = 4096;
        /** The general rules of each element-wise op, by ordinal then by input. */
        private static final Rule[][] GENERAL = new Rule[OPS.length][];
        private static final java.util.concurrent.ConcurrentHashMap<Key, Rule[]> SPECIALISED =
                new java.util.concurrent.ConcurrentHashMap<>();

        static {
            for (Op op : OPS) {
                if (op.kind() == Op.Kind.ELEMENTWISE) {
                    GENERAL[op.ordinal()] = record(op, Double.NaN, Double.NaN);
                }
            }
        }

        /** An op with the values of its constant inputs (NaN where the input is not a constant). */
        private record Key(Op op, double a, double b) {
        }

        final Op[] ops;
        final int[] x;
        final int[] y;
        final double[] constants;
        final int result;
        /** The value when the rule is a constant (result < 0). */
        final double constant;

        private Rule(Op[] ops, int[] x, int[] y, double[] constants, int result, double constant) {
            this.ops = ops;
            this.x = x;
            this.y = y;
            this.constants = constants;
            this.result = result;
            this.constant = constant;
        }

        /**
         * The rules of {@code op} whose inputs are the constants {@code a}, {@code b} where those are
         * not NaN: constant inputs fold into the rule (the 2 of {@code x^2} makes its rule
         * {@code 2·x}, with no call to pow).
         */
        static Rule[] of(Op op, double a, double b) {
            if (Double.isNaN(a) && Double.isNaN(b)) {
                return GENERAL[op.ordinal()];
            }
            Key key = new Key(op, a, b);
            Rule[] rules = SPECIALISED.get(key);
            if (rules == null) {
                if (SPECIALISED.size() >= MAX_SPECIALISED) {
                    return GENERAL[op.ordinal()];
                }
                rules = SPECIALISED.computeIfAbsent(key, k -> record(op, a, b));
            }
            return rules;
        }

        static Rule[] record(Op op, double a, double b) {
            Rule[] rules = new Rule[op.arity()];
            for (int k = 0; k < op.arity(); k++) {
                Recorder r = new Recorder();
                Recorder.Reg ra = Double.isNaN(a) ? Recorder.A : r.constant(a);
                Recorder.Reg rb = op.arity() < 2 ? null : Double.isNaN(b) ? Recorder.B : r.constant(b);
                rules[k] = r.rule(op.partial(r, k, ra, rb, Recorder.OUT));
            }
            return rules;
        }

        double apply(double a, double b, double out, double[] registers) {
            switch (result) {
                case -1:
                    return constant;
                case 0:
                    return a;
                case 1:
                    return b;
                case 2:
                    return out;
                default:
                    break;
            }
            registers[0] = a;
            registers[1] = b;
            registers[2] = out;
            int temps = 3 + constants.length;
            System.arraycopy(constants, 0, registers, 3, constants.length);
            for (int i = 0; i < ops.length; i++) {
                registers[temps + i] = ops[i].value(registers[x[i]], registers[y[i]]);
            }
            return registers[result];
        }
    }

    /**
     * Records the operations a rule applies, as register instructions, folding operations whose
     * operands are all constants.
     */
    private static final class Recorder implements Algebra<Recorder.Reg> {
        /** A register, or a constant known while recording (register -1). */
        record Reg(int register, double constant) {
            boolean isConstant() {
                return register < 0;
            }
        }

        static final Reg A = new Reg(0, 0);
        static final Reg B = new Reg(1, 0);
        static final Reg OUT = new Reg(2, 0);

        /** Operands while recording: 0..2 for a, b, out; TEMP + i for instruction i; -(c + 1) for constant c. */
        private static final int TEMP = 1 << 20;
        private final List<Op> ops = new ArrayList<>();
        private final List<int[]> operands = new ArrayList<>();
        private final List<Double> constants = new ArrayList<>();

        @Override
        public Reg constant(double value) {
            return new Reg(-1, value);
        }

        @Override
        public Reg apply(Op op, int[] attrs, Reg a, Reg b) {
            if (a.isConstant() && (b == null || b.isConstant())) {
                return constant(op.value(a.constant(), b == null ? 0 : b.constant()));
            }
            // identities that hold exactly in floating point, so a rule costs what its math needs
            if (op == Op.MUL && a.isConstant() && a.constant() == 1) {
                return b;
            }
            if ((op == Op.MUL || op == Op.DIV || op == Op.POW) && b != null && b.isConstant() && b.constant() == 1) {
                return a;
            }
            if (op == Op.POW && b != null && b.isConstant() && b.constant() == 2) {
                return apply(Op.MUL, attrs, a, a);
            }
            int x = operand(a);
            ops.add(op);
            operands.add(new int[] {x, b == null ? x : operand(b)});
            if (3 + constants.size() + ops.size() > Rule.MAX_REGISTERS) {
                throw new IllegalStateException("a rule of more than " + Rule.MAX_REGISTERS + " registers");
            }
            return new Reg(TEMP + ops.size() - 1, 0);
        }

        @Override
        public Shape shape(Reg value) {
            return Shape.SCALAR;
        }

        private int operand(Reg r) {
            if (!r.isConstant()) {
                return r.register();
            }
            int at = constants.indexOf(r.constant());
            if (at < 0) {
                constants.add(r.constant());
                at = constants.size() - 1;
            }
            return -(at + 1);
        }

        private int register(int operand) {
            return operand >= TEMP ? 3 + constants.size() + operand - TEMP : operand < 0 ? 3 - operand - 1 : operand;
        }

        Rule rule(Reg result) {
            if (result.isConstant()) {
                return new Rule(new Op[0], new int[0], new int[0], new double[0], -1, result.constant());
            }
            int n = ops.size();
            int[] x = new int[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = register(operands.get(i)[0]);
                y[i] = register(operands.get(i)[1]);
            }
            double[] c = constants.stream().mapToDouble(Double::doubleValue).toArray();
            return new Rule(ops.toArray(Op[]::new), x, y, c, register(result.register()), 0);
        }
    }
}
