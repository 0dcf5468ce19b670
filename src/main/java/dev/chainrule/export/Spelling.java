package dev.chainrule.export;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * How each code target writes each operation of the table: the one place that knows that
 * sigmoid is {@code torch.sigmoid} in PyTorch and a helper in C. An operation a target does not
 * have is refused by name ({@link Unsupported}); the switch over the op table is exhaustive, so
 * a new operation cannot be forgotten here. Expressions are written from their operands up, with
 * brackets only where the target's precedence needs them.
 */
final class Spelling {
    /** An expression and how tightly it binds. */
    record Code(String text, int precedence) {
    }

    static final int ATOM = 100;
    private static final int POWER = 90;
    private static final int UNARY = 80;
    private static final int PRODUCT = 70;
    private static final int SUM = 60;
    private static final int COMPARE = 50;
    private static final int CONDITIONAL = 10;

    private final Target target;
    /** The helpers the written code calls, by name: the module or class defines them once. */
    final TreeSet<String> helpers = new TreeSet<>();

    Spelling(Target target) {
        this.target = target;
    }

    private boolean python() {
        return target == Target.NUMPY || target == Target.PYTORCH;
    }

    private boolean torch() {
        return target == Target.PYTORCH;
    }

    /** The expression of {@code node}, its operands written with the variables of {@code program}. */
    String expression(Program program, Node node) {
        return expression(program, node, false);
    }

    /** The same, read by the reverse sweep when {@code backward}: adjoints the forward pass computed by their d_ names. */
    String expression(Program program, Node node, boolean backward) {
        Graph graph = program.graph();
        java.util.function.Function<Node, String> variableOf = backward ? program::backwardVariableOf : program::variableOf;
        int[] below = Graph.below(node, n -> n == node || variableOf.apply(n) == null && !n.isLeaf() && !n.isConstant(), n -> true);
        Map<Integer, Code> code = new HashMap<>();
        for (int i = below.length - 1; i >= 0; i--) {
            Node n = graph.get(below[i]);
            String variable = variableOf.apply(n);
            if (n != node && variable != null) {
                code.put(n.id(), new Code(variable, ATOM));
            } else if (n.isConstant()) {
                code.put(n.id(), constant(n.constantTensor()));
            } else if (n.isLeaf()) {
                code.put(n.id(), new Code(program.variableOf(n), ATOM));
            } else if (python() && isMean(n, variableOf)) {
                // the language's mean is a sum times 1/count: written as a mean, the code serves any number of rows
                Node sum = n.input(0);
                Code x = code.get(sum.input(0).id());
                int axis = sum.attrs()[0];
                String operand = torch() ? t(x) : x.text();
                code.put(n.id(), axis < 0 ? call(torch() ? "torch.mean" : "np.mean", operand)
                        : call(torch() ? "torch.mean" : "np.mean", operand, (torch() ? "dim=" : "axis=") + axis));
            } else {
                Code a = n.arity() > 0 ? code.get(n.input(0).id()) : null;
                Code b = n.arity() > 1 ? code.get(n.input(1).id()) : null;
                code.put(n.id(), op(n, a, b));
            }
        }
        return code.get(node.id()).text();
    }

    /** {@code sum(x, axis) * (1/count)}, the sum not bound to a variable of its own: a mean. */
    private static boolean isMean(Node n, java.util.function.Function<Node, String> variableOf) {
        if (n.op() != Op.MUL || n.input(0).op() != Op.SUM || !n.input(1).isScalarConstant() || variableOf.apply(n.input(0)) != null) {
            return false;
        }
        Node sum = n.input(0);
        long count = sum.input(0).shape().elements() / Math.max(1, sum.shape().elements());
        return count > 1 && n.input(1).constantValue() == 1.0 / count;
    }

    /** A constant: a number, or (in the array targets) an array of its shape. */
    Code constant(Tensor t) {
        if (t.shape().isScalar()) {
            return number(t.item());
        }
        if (!python()) {
            throw new Unsupported(target, "tensor constants", t.shape());
        }
        String nested = dev.chainrule.print.Tensors.nested(t, v -> number(v).text(), "[", "]");
        return new Code(torch() ? "torch.tensor(" + nested + ", dtype=DT)" : "np.array(" + nested + ", dtype=float)", ATOM);
    }

    Code number(double v) {
        String text;
        if (Double.isNaN(v)) {
            text = python() ? "float(\"nan\")" : target == Target.JAVA ? "Double.NaN" : "NAN";
        } else if (Double.isInfinite(v)) {
            text = python() ? (v > 0 ? "float(\"inf\")" : "-float(\"inf\")")
                    : target == Target.JAVA ? (v > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY") : (v > 0 ? "INFINITY" : "-INFINITY");
        } else {
            text = Double.toString(v);
        }
        return new Code(text, text.startsWith("-") ? UNARY : ATOM);
    }

    private static String bracket(Code c, boolean when) {
        return when ? "(" + c.text() + ")" : c.text();
    }

    private Code infix(Code a, String symbol, Code b, int p) {
        return new Code(bracket(a, a.precedence() < p) + " " + symbol + " " + bracket(b, b.precedence() <= p), p);
    }

    private Code call(String function, String... arguments) {
        return new Code(function + "(" + String.join(", ", arguments) + ")", ATOM);
    }

    /** {@code x} as a torch tensor when it may be a Python number. */
    private String t(Code x) {
        helpers.add("_t");
        return "_t(" + x.text() + ")";
    }

    private String shape(int[] dims) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            s.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return s.append(dims.length == 1 ? ",)" : ")").toString();
    }

    private Code op(Node n, Code a, Code b) {
        Op op = n.op();
        int[] attrs = n.attrs();
        String np = torch() ? "torch" : "np";
        return switch (op) {
            case CONSTANT, LEAF -> throw new IllegalStateException("a leaf has no operation");
            case ADD -> infix(a, "+", b, SUM);
            case SUB -> infix(a, "-", b, SUM);
            case MUL -> infix(a, "*", b, PRODUCT);
            case DIV -> infix(a, "/", b, PRODUCT);
            case NEG -> new Code("-" + bracket(a, a.precedence() <= UNARY || a.text().startsWith("-")), UNARY);
            case POW -> python()
                    ? new Code(bracket(a, a.precedence() <= POWER) + " ** " + bracket(b, b.precedence() < POWER), POWER)
                    : call(target == Target.JAVA ? "Math.pow" : "pow", a.text(), b.text());
            case COPY -> a;
            case MUL_NO_NAN -> helper("mul_no_nan", a, b);
            case SIGMOID -> torch() ? call("torch.sigmoid", t(a)) : helper("sigmoid", a);
            case TANH -> function(np + ".tanh", "Math.tanh", "tanh", a);
            case RELU -> torch() ? call("torch.clamp", t(a), "min=0.0") : python() ? call("np.maximum", a.text(), "0.0")
                    : call(target == Target.JAVA ? "Math.max" : "fmax", a.text(), "0.0");
            case EXP -> function(np + ".exp", "Math.exp", "exp", a);
            case EXPM1 -> function(np + ".expm1", "Math.expm1", "expm1", a);
            case LOG -> function(np + ".log", "Math.log", "log", a);
            case LOG1P -> function(np + ".log1p", "Math.log1p", "log1p", a);
            case SQRT -> function(np + ".sqrt", "Math.sqrt", "sqrt", a);
            case ABS -> function(np + ".abs", "Math.abs", "fabs", a);
            case SIN -> function(np + ".sin", "Math.sin", "sin", a);
            case COS -> function(np + ".cos", "Math.cos", "cos", a);
            case SOFTPLUS -> python() ? (torch() ? call("torch.logaddexp", t(a), "torch.zeros_like(" + t(a) + ")")
                    : call("np.logaddexp", "0.0", a.text())) : helper("softplus", a);
            case MAX -> python() ? (torch() ? call("torch.maximum", t(a), t(b)) : call("np.maximum", a.text(), b.text()))
                    : helper("max", a, b);
            case MIN -> python() ? (torch() ? call("torch.minimum", t(a), t(b)) : call("np.minimum", a.text(), b.text()))
                    : helper("min", a, b);
            case STEP -> python() ? comparison(a, ">", number(0)) : helper("step", a);
            case SIGN -> function(np + ".sign", "Math.signum", null, a, true);
            case GT -> comparison(a, ">", b);
            case GE -> comparison(a, ">=", b);
            case LT -> comparison(a, "<", b);
            case LE -> comparison(a, "<=", b);
            case EQ -> comparison(a, "==", b);
            case NE -> comparison(a, "!=", b);
            case MATMUL -> arrays(op, n) ? infix(a, "@", b, PRODUCT) : null;
            case TRANSPOSE -> n.input(0).shape().rank() < 2 ? a : arrays(op, n) ? (torch() ? new Code(t(a) + ".transpose(-1, -2)", ATOM) : call("np.swapaxes", a.text(), "-1", "-2")) : null;
            case SUM -> arrays(op, n) ? (attrs[0] < 0 ? call(np + ".sum", torch() ? t(a) : a.text())
                    : call(np + ".sum", torch() ? t(a) : a.text(), (torch() ? "dim=" : "axis=") + attrs[0])) : null;
            case SOFTMAX -> arrays(op, n) ? (torch() ? call("torch.softmax", t(a), "dim=" + attrs[0]) : helperWith("softmax", a, attrs[0])) : null;
            case LOG_SOFTMAX -> arrays(op, n) ? (torch() ? call("torch.log_softmax", t(a), "dim=" + attrs[0])
                    : helperWith("log_softmax", a, attrs[0])) : null;
            case LOGSUMEXP -> arrays(op, n) ? (torch() ? call("torch.logsumexp", t(a), "dim=" + attrs[0]) : helperWith("logsumexp", a, attrs[0])) : null;
            case MAX_OVER -> arrays(op, n) ? (attrs[0] < 0 ? call(torch() ? "torch.max" : "np.max", torch() ? t(a) : a.text())
                    : call(torch() ? "torch.amax" : "np.max", torch() ? t(a) : a.text(), (torch() ? "dim=" : "axis=") + attrs[0])) : null;
            case CONCAT -> arrays(op, n) ? (torch() ? call("torch.cat", "[" + t(a) + ", " + t(b) + "]", "dim=" + attrs[0])
                    : call("np.concatenate", "[" + a.text() + ", " + b.text() + "]", "axis=" + attrs[0])) : null;
            case SUM_TO -> arrays(op, n) ? helperWith("sum_to", a, shape(attrs)) : null;
            case BROADCAST_TO -> arrays(op, n) ? (torch() ? new Code(t(a) + ".expand(" + shape(attrs) + ")", ATOM)
                    : call("np.broadcast_to", a.text(), shape(attrs))) : null;
            case RESHAPE -> arrays(op, n) ? (torch() ? new Code(t(a) + ".reshape(" + shape(attrs) + ")", ATOM)
                    : call("np.reshape", a.text(), shape(attrs))) : null;
            case ONEHOT -> arrays(op, n) ? (torch() ? new Code("torch.nn.functional.one_hot(" + t(a) + ".long(), " + attrs[0] + ").to(DT)", ATOM)
                    : new Code("np.eye(" + attrs[0] + ")[np.asarray(" + a.text() + ", dtype=int)]", ATOM)) : null;
            case ARGMAX_MASK -> arrays(op, n) ? helperWith("argmax_mask", a, attrs[0]) : null;
            case INDEX -> arrays(op, n) ? new Code(bracket(a, a.precedence() < ATOM || a.text().startsWith("-")) + "[" + index(attrs) + "]", ATOM)
                    : null;
            case PAD -> arrays(op, n) ? helperWith("pad", a, padding(attrs)) : null;
        };
    }

    /** An index's attributes as Python's subscript: {@code 1:3:2, 0}. */
    private static String index(int[] attrs) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (int axis = 0; axis < attrs.length / dev.chainrule.tensor.Indexing.FIELDS; axis++) {
            int at = dev.chainrule.tensor.Indexing.FIELDS * axis;
            parts.add(attrs[at + 3] == 0 ? String.valueOf(attrs[at])
                    : attrs[at] + ":" + attrs[at + 1] + (attrs[at + 2] == 1 ? "" : ":" + attrs[at + 2]));
        }
        return parts.isEmpty() ? "()" : String.join(", ", parts);
    }

    /** A padding's attributes as a tuple of (before, after, spacing) per axis. */
    private static String padding(int[] attrs) {
        java.util.List<String> axes = new java.util.ArrayList<>();
        for (int axis = 0; axis < attrs.length / dev.chainrule.tensor.Indexing.PAD_FIELDS; axis++) {
            int at = dev.chainrule.tensor.Indexing.PAD_FIELDS * axis;
            axes.add("(" + attrs[at] + ", " + attrs[at + 1] + ", " + attrs[at + 2] + ")");
        }
        return "(" + String.join(", ", axes) + (axes.size() == 1 ? ",)" : ")");
    }

    /** Whether this target writes whole arrays: else the structural operation is refused. */
    private boolean arrays(Op op, Node n) {
        if (!python()) {
            throw new Unsupported(target, op.functionName() == null ? op.name().toLowerCase(java.util.Locale.ROOT) : op.functionName(), n.shape());
        }
        return true;
    }

    private Code function(String python, String java, String c, Code a) {
        return function(python, java, c, a, false);
    }

    private Code function(String python, String java, String c, Code a, boolean cHelper) {
        if (torch()) {
            return call(python, t(a));
        }
        if (python()) {
            return call(python, a.text());
        }
        if (target == Target.JAVA) {
            return call(java, a.text());
        }
        return cHelper ? helper("sign", a) : call(c, a.text());
    }

    private Code comparison(Code a, String symbol, Code b) {
        if (torch()) {
            return new Code("(" + t(a) + " " + symbol + " " + bracket(b, b.precedence() <= COMPARE) + ").to(DT)", ATOM);
        }
        if (python()) {
            return new Code("1.0 * (" + bracket(a, a.precedence() <= COMPARE) + " " + symbol + " " + bracket(b, b.precedence() <= COMPARE) + ")",
                    PRODUCT);
        }
        return new Code("(" + bracket(a, a.precedence() <= COMPARE) + " " + symbol + " " + bracket(b, b.precedence() <= COMPARE)
                + " ? 1.0 : 0.0)", ATOM);
    }

    private Code helper(String name, Code... operands) {
        helpers.add(name);
        String[] texts = new String[operands.length];
        for (int i = 0; i < operands.length; i++) {
            texts[i] = operands[i].text();
        }
        return call(prefix() + name, texts);
    }

    private Code helperWith(String name, Code a, Object attribute) {
        helpers.add(name);
        return call(prefix() + name, a.text(), String.valueOf(attribute));
    }

    private String prefix() {
        return target == Target.C ? "chainrule_" : "_";
    }

    /** Thrown for an operation or a value a target cannot write. */
    static final class Unsupported extends RuntimeException {
        Unsupported(String message) {
            super(message);
        }

        /** A leaf that is a tensor, for a target that writes scalars. */
        static Unsupported tensorLeaf(Target target, String name, Shape shape) {
            return new Unsupported("--to " + target.word() + " writes models of scalars, and " + name + " is a " + shape
                    + " value: use --to numpy or --to pytorch for tensors");
        }

        Unsupported(Target target, String what, Shape shape) {
            super("--to " + target.word() + " does not write " + what
                    + (shape.isScalar() ? "" : " (a " + shape + " value)")
                    + (target == Target.JAVA || target == Target.C ? "; it writes models of scalars: use --to numpy or --to pytorch for tensors" : ""));
        }
    }
}
