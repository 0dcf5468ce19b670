package dev.chainrule.lang;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import dev.chainrule.model.Scope;

/**
 * The functions of the language: each op of the table by its name, the reductions and softmax
 * family with an optional axis, losses built from them ({@code cross_entropy},
 * {@code softmax_cross_entropy}), {@code onehot}, and the seeded initialisers
 * ({@code normal}, {@code uniform}, {@code zeros}, {@code ones}).
 */
final class Library {
    /** Functions that are not ops of the table by the same name. */
    static final List<String> NAMES = List.of("sum", "mean", "max", "softmax", "log_softmax", "logsumexp",
            "cross_entropy", "softmax_cross_entropy", "onehot", "normal", "uniform", "zeros", "ones", "pow", "grad");

    private final Graph graph;
    private final Scope scope;

    Library(Graph graph, Scope scope) {
        this.graph = graph;
        this.scope = scope;
    }

    Node call(Ast.Call call, Node[] args) {
        String name = call.function();
        if (!name.equals("normal") && !name.equals("uniform")) {
            noNamedArguments(call);
        }
        return switch (name) {
            case "sum", "mean" -> reduction(call, args);
            case "softmax" -> softmax(call, args, Op.SOFTMAX);
            case "log_softmax" -> softmax(call, args, Op.LOG_SOFTMAX);
            case "logsumexp" -> softmax(call, args, Op.LOGSUMEXP);
            case "max" -> args.length == 1 ? graph.node(Op.MAX_OVER, new int[] {-1}, args) : op(call, args, Op.MAX);
            case "cross_entropy" -> crossEntropy(call, args, false);
            case "softmax_cross_entropy" -> crossEntropy(call, args, true);
            case "onehot" -> onehot(call, args);
            case "normal", "uniform", "zeros", "ones" -> initialiser(call);
            default -> op(call, args, function(call));
        };
    }

    private Node op(Ast.Call call, Node[] args, Op op) {
        arity(call, op.arity(), op.arity());
        return graph.node(op, args);
    }

    private Op function(Ast.Call call) {
        Op op = Op.byFunctionName(call.function());
        if (op == null) {
            throw unknown(call, scope);
        }
        return op;
    }

    /** The error for a name that is no function, with the closest function or a hint. */
    private static ChainException unknown(Ast.Call call, Scope scope) {
        String hint = Suggestions.didYouMean(call.function(), Language.functions());
        if (hint.isEmpty() && scope != null && scope.lookup(call.function()) != null) {
            hint = "; '" + call.function() + "' is a name, not a function";
        }
        return ChainException.semantic(call.functionSpan(), "unknown function '" + call.function() + "'" + hint);
    }

    private static void arity(Ast.Call call, int least, int most) {
        int n = call.args().size();
        if (n < least || n > most) {
            String count = least == most ? String.valueOf(least) : least + " or " + most;
            throw ChainException.semantic(call.span(), call.function() + " takes " + count
                    + (most == 1 ? " argument" : " arguments") + ", not " + n);
        }
    }

    private static void noNamedArguments(Ast.Call call) {
        for (int i = 0; i < call.names().size(); i++) {
            if (call.names().get(i) != null) {
                throw ChainException.semantic(call.args().get(i).span(), call.function() + " takes no named arguments");
            }
        }
    }

    /** A whole number written in place, such as an axis or a count. */
    private static int wholeNumber(Ast.Call call, int index, String what, int least) {
        Ast.Expr written = call.args().get(index);
        double v = number(written);
        if (!(v >= least && v == Math.rint(v) && v <= Integer.MAX_VALUE)) {
            throw ChainException.semantic(written.span(), "the " + what + " of " + call.function()
                    + " must be a whole number" + (least > 0 ? " of at least " + least : "") + " written in place"
                    + (what.equals("axis") ? ", such as 0 or 1" : ""));
        }
        return (int) v;
    }

    /** A number written in place: {@code 3}, {@code -0.5}; NaN for anything else. */
    private static double number(Ast.Expr e) {
        if (e instanceof Ast.Number n) {
            return n.value();
        }
        if (e instanceof Ast.Unary u && u.op() == Op.NEG && u.operand() instanceof Ast.Number n) {
            return -n.value();
        }
        return Double.NaN;
    }

    /** {@code sum(x[, axis])}, {@code mean(x[, axis])}: over every element unless an axis is given. */
    private Node reduction(Ast.Call call, Node[] args) {
        arity(call, 1, 2);
        int axis = args.length == 2 ? wholeNumber(call, 1, "axis", 0) : -1;
        Node sum = graph.node(Op.SUM, new int[] {axis}, args[0]);
        if (call.function().equals("sum")) {
            return sum;
        }
        int count = args[0].shape().size() / sum.shape().size();
        return graph.node(Op.MUL, sum, graph.constant(1.0 / count));
    }

    /** {@code softmax}, {@code log_softmax}, {@code logsumexp}: along the last axis unless one is given. */
    private Node softmax(Ast.Call call, Node[] args, Op op) {
        arity(call, 1, 2);
        int axis = args.length == 2 ? wholeNumber(call, 1, "axis", 0) : args[0].shape().rank() - 1;
        return graph.node(op, new int[] {axis}, args[0]);
    }

    /**
     * {@code cross_entropy(p, y) = -Σ y ⊙ log p}, and {@code softmax_cross_entropy(z, y)} with
     * {@code log_softmax(z)} for {@code log p}, computed stably. For a matrix (one example a row)
     * the loss is the mean over rows.
     */
    private Node crossEntropy(Ast.Call call, Node[] args, boolean fromLogits) {
        arity(call, 2, 2);
        Node p = args[0];
        Node y = args[1];
        if (!p.shape().equals(y.shape()) || p.shape().isScalar() || p.shape().rank() > 2) {
            throw ChainException.semantic(call.span(), call.function() + " takes a vector or matrix and targets of its shape; "
                    + "here " + p.shape() + " and " + y.shape());
        }
        int last = p.shape().rank() - 1;
        Node logP = fromLogits ? graph.node(Op.LOG_SOFTMAX, new int[] {last}, p) : graph.node(Op.LOG, p);
        Node total = graph.node(Op.SUM, new int[] {-1}, graph.node(Op.MUL, y, logP));
        int rows = p.shape().rank() == 2 ? p.shape().dim(0) : 1;
        Node loss = graph.node(Op.NEG, total);
        return rows == 1 ? loss : graph.node(Op.MUL, loss, graph.constant(1.0 / rows));
    }

    /** {@code onehot(y, k)}: labels 0..k-1 as rows of a matrix (a vector for one label). */
    private Node onehot(Ast.Call call, Node[] args) {
        arity(call, 2, 2);
        int k = wholeNumber(call, 1, "number of classes", 1);
        Node y = args[0];
        if (!y.isConstant() || y.shape().rank() > 1) {
            throw ChainException.semantic(call.args().get(0).span(), "onehot takes labels that are known numbers (a number or a vector)");
        }
        Tensor labels = y.constantTensor();
        Shape shape = y.shape().isScalar() ? Shape.of(k) : Shape.of(labels.size(), k);
        graph.limits().requireElements(shape);
        double[] out = new double[shape.size()];
        for (int i = 0; i < labels.size(); i++) {
            double label = labels.get(i);
            if (!(label >= 0 && label < k && label == Math.rint(label))) {
                throw ChainException.semantic(call.args().get(0).span(), "label " + dev.chainrule.print.Numbers.format(label)
                        + " at " + i + " is not one of 0 to " + (k - 1));
            }
            out[i * k + (int) label] = 1;
        }
        return graph.constant(Tensor.of(shape, out));
    }

    /** {@code zeros(n[, m])}, {@code ones(n[, m])}, {@code normal(n[, m], seed=S)}, {@code uniform(n[, m], lo, hi, seed=S)}. */
    private Node initialiser(Ast.Call call) {
        String name = call.function();
        Long seed = null;
        java.util.List<Integer> positional = new java.util.ArrayList<>();
        for (int i = 0; i < call.args().size(); i++) {
            String argName = call.names().get(i);
            if (argName == null) {
                positional.add(i);
            } else if (argName.equals("seed")) {
                seed = (long) wholeNumber(call, i, "seed", 0);
            } else {
                throw ChainException.semantic(call.args().get(i).span(), "unknown argument '" + argName + "' of " + name
                        + Suggestions.didYouMean(argName, List.of("seed")));
            }
        }
        boolean random = name.equals("normal") || name.equals("uniform");
        int bounds = name.equals("uniform") ? 2 : 0;
        int dims = positional.size() - bounds;
        if (dims < 1 || dims > 2) {
            throw ChainException.semantic(call.span(), name + " takes " + (bounds > 0 ? "rows[, cols], lo, hi" : "rows[, cols]")
                    + (random ? " and seed=N" : "") + ", not " + positional.size() + " numbers");
        }
        if (random && seed == null) {
            throw ChainException.semantic(call.span(), name + " needs a seed, such as seed=1, so that every run gives the same numbers");
        }
        int[] shape = new int[dims];
        for (int d = 0; d < dims; d++) {
            shape[d] = wholeNumber(call, positional.get(d), d == 0 ? "number of rows" : "number of columns", 1);
        }
        Shape s = Shape.of(shape);
        graph.limits().requireElements(s);
        double[] data = new double[s.size()];
        switch (name) {
            case "ones" -> java.util.Arrays.fill(data, 1);
            case "normal" -> {
                SplittableRandom rng = new SplittableRandom(seed);
                for (int i = 0; i < data.length; i += 2) {
                    double u = 1 - rng.nextDouble();
                    double v = rng.nextDouble();
                    double r = Math.sqrt(-2 * Math.log(u));
                    data[i] = r * Math.cos(2 * Math.PI * v);
                    if (i + 1 < data.length) {
                        data[i + 1] = r * Math.sin(2 * Math.PI * v);
                    }
                }
            }
            case "uniform" -> {
                double lo = bound(call, positional.get(dims));
                double hi = bound(call, positional.get(dims + 1));
                if (!(hi > lo)) {
                    throw ChainException.semantic(call.args().get(positional.get(dims + 1)).span(), "uniform needs hi above lo");
                }
                SplittableRandom rng = new SplittableRandom(seed);
                for (int i = 0; i < data.length; i++) {
                    data[i] = lo + (hi - lo) * rng.nextDouble();
                }
            }
            default -> { }
        }
        return graph.constant(Tensor.of(s, data));
    }

    private static double bound(Ast.Call call, int index) {
        double v = number(call.args().get(index));
        if (!Double.isFinite(v)) {
            throw ChainException.semantic(call.args().get(index).span(), "the bounds of uniform must be numbers written in place");
        }
        return v;
    }
}
