package dev.chainrule.lang;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Indexing;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in functions of the language: each op of the table by its name (with its attributes
 * written after the operands, as the printers write them: {@code sum(x, 0)},
 * {@code max(x, axis=1)}, {@code reshape(x, 2, 3)}, {@code pad(x, 1, 0, 1)}), and the functions
 * made of ops: {@code mean}, {@code where}, {@code clip}, {@code stack}, the losses
 * {@code cross_entropy} and {@code softmax_cross_entropy}, the shape sizes {@code len} and
 * {@code size}, and the seeded initialisers ({@code normal}, {@code uniform}, {@code zeros},
 * {@code ones}). Counts and axes are whole numbers known when the model is built ({@link Statics}).
 */
final class Library {
    /** Functions that are not ops of the table by the same name. */
    static final List<String> NAMES = List.of("mean", "softmax", "log_softmax", "logsumexp", "where", "clip", "stack",
            "cross_entropy", "softmax_cross_entropy", "len", "size", "normal", "uniform", "zeros", "ones", "pow", "grad");

    private final Graph graph;
    private final Statics statics;

    Library(Graph graph, Statics statics) {
        this.graph = graph;
        this.statics = statics;
    }

    /** True when {@code name} is a built-in function. */
    static boolean has(String name) {
        return NAMES.contains(name) || Op.byFunctionName(name) != null;
    }

    /**
     * How many of a call's leading arguments are operands, built as nodes; the others are
     * counts, axes, sizes and seeds, read as whole numbers ({@link Statics}) and never built.
     */
    static int operands(Ast.Call call) {
        int positional = 0;
        for (String name : call.names()) {
            positional += name == null ? 1 : 0;
        }
        return switch (call.function()) {
            case "len", "size", "normal", "uniform", "zeros", "ones" -> 0;
            case "sum", "mean", "softmax", "log_softmax", "logsumexp", "argmax_mask", "reshape", "sum_to", "broadcast_to",
                 "pad", "onehot" -> Math.min(1, positional);
            case "max" -> Math.min(2, positional);
            case "concat", "stack" -> positional;
            case "where", "clip" -> Math.min(3, positional);
            case "cross_entropy", "softmax_cross_entropy" -> Math.min(2, positional);
            default -> {
                Op op = Op.byFunctionName(call.function());
                yield op == null ? positional : Math.min(op.arity(), positional);
            }
        };
    }

    /**
     * The node of a call of a built-in function. {@code args} holds the built operands, one per
     * written argument; arguments that are counts or axes are read from the call itself, and their
     * nodes (numbers) are not used.
     */
    Node call(Ast.Call call, Node[] args, Env env) {
        String name = call.function();
        switch (name) {
            case "len", "size" -> {
                return graph.constant(statics.value(call, env, call.function()));
            }
            case "normal", "uniform", "zeros", "ones" -> {
                return initialiser(call, env);
            }
            default -> { }
        }
        Arguments a = new Arguments(call, args, env);
        return switch (name) {
            case "sum" -> a.arity(1, 2, "sum(x) or sum(x, axis)").done(graph.node(Op.SUM, new int[] {a.axis(1, -1)}, a.operand(0)));
            case "mean" -> mean(a);
            case "softmax" -> softmax(a, Op.SOFTMAX);
            case "log_softmax" -> softmax(a, Op.LOG_SOFTMAX);
            case "logsumexp" -> softmax(a, Op.LOGSUMEXP);
            case "max" -> max(a);
            case "argmax_mask" -> a.arity(1, 1, "argmax_mask(x) or argmax_mask(x, axis=k)")
                    .done(graph.node(Op.ARGMAX_MASK, new int[] {a.axis(-1, -1)}, a.operand(0)));
            case "concat" -> concat(a, false);
            case "stack" -> concat(a, true);
            case "reshape" -> reshape(a);
            case "sum_to" -> a.done(graph.node(Op.SUM_TO, a.dims(1), a.operand(0)));
            case "broadcast_to" -> a.done(graph.node(Op.BROADCAST_TO, a.dims(1), a.operand(0)));
            case "pad" -> pad(a);
            case "onehot" -> onehot(a);
            case "where" -> where(a);
            case "clip" -> clip(a);
            case "cross_entropy" -> crossEntropy(a, false);
            case "softmax_cross_entropy" -> crossEntropy(a, true);
            default -> op(a, function(call));
        };
    }

    /** The arguments of one call: operands as nodes, and whole numbers known while building. */
    private final class Arguments {
        final Ast.Call call;
        final Node[] nodes;
        final Env env;
        /** Positional arguments, in order, and the named one {@code axis=k} (-1 where absent). */
        final List<Integer> positional = new ArrayList<>();
        int named = -1;
        boolean usedNamed;

        Arguments(Ast.Call call, Node[] nodes, Env env) {
            this.call = call;
            this.nodes = nodes;
            this.env = env;
            for (int i = 0; i < call.args().size(); i++) {
                String argName = call.names().get(i);
                if (argName == null) {
                    if (named >= 0) {
                        throw ChainException.semantic(call.args().get(i).span(), "a positional argument cannot follow a named one");
                    }
                    positional.add(i);
                } else if (argName.equals("axis") && named < 0 && takesAxis(call.function())) {
                    named = i;
                } else {
                    throw ChainException.semantic(call.args().get(i).span(), call.function()
                            + (takesAxis(call.function()) ? " takes one named argument, axis=" : " takes no named arguments"));
                }
            }
        }

        String function() {
            return call.function();
        }

        int count() {
            return positional.size();
        }

        /** Requires between {@code least} and {@code most} positional arguments. */
        Arguments arity(int least, int most, String form) {
            int n = positional.size();
            if (n < least || n > most) {
                String count = least == most ? String.valueOf(least) : most == Integer.MAX_VALUE ? least + " or more"
                        : least + " or " + most;
                throw ChainException.semantic(call.span(), function() + " takes " + count
                        + (most == 1 ? " argument" : " arguments") + (form.isEmpty() ? "" : ": " + form) + ", not " + n);
            }
            return this;
        }

        /** Positional argument {@code k}; a call without it (only {@code axis=} given, say) is the caller's mistake, reported here. */
        Node operand(int k) {
            if (k >= positional.size()) {
                throw ChainException.semantic(call.span(), function() + " takes at least " + (k + 1) + (k == 0 ? " argument" : " arguments")
                        + " before any named one, not " + positional.size());
            }
            return nodes[positional.get(k)];
        }

        Ast.Expr written(int k) {
            return call.args().get(positional.get(k));
        }

        /**
         * The axis: {@code axis=k} when written, else the positional argument at {@code position}
         * (-1 for none), else {@code absent}. A negative axis counts from the last.
         */
        int axis(int position, int absent) {
            Ast.Expr written = named >= 0 ? call.args().get(named) : position >= 0 && position < count() ? written(position) : null;
            usedNamed = true;
            if (written == null) {
                return absent;
            }
            Shape shape = operand(0).shape();
            long axis = statics.whole(written, env, "the axis of " + function());
            long resolved = axis < 0 ? axis + shape.rank() : axis;
            if (resolved < 0 || resolved >= Math.max(shape.rank(), function().equals("softmax") || function().equals("log_softmax")
                    || function().equals("logsumexp") ? 1 : shape.rank())) {
                throw ChainException.semantic(call.span(), function() + " over axis " + axis + " of a " + shape + " value, which has "
                        + (shape.rank() == 0 ? "no axes" : "axes 0 to " + (shape.rank() - 1)));
            }
            return (int) resolved;
        }

        /** The positional arguments from {@code first} on, as whole numbers (dimensions, paddings; none for a scalar). */
        int[] dims(int first) {
            if (count() < first) {
                throw ChainException.semantic(call.span(), function() + " takes the value and then whole numbers, such as "
                        + function() + "(x, 2, 3)");
            }
            int[] dims = new int[count() - first];
            for (int k = first; k < count(); k++) {
                long v = statics.whole(written(k), env, "a size");
                if (v < -1 || v > Integer.MAX_VALUE) {
                    throw ChainException.semantic(written(k).span(), "a size is a whole number from 0 up, not " + v);
                }
                dims[k - first] = (int) v;
            }
            return dims;
        }

        /** The node, once no named argument went unread. */
        Node done(Node node) {
            if (named >= 0 && !usedNamed) {
                throw ChainException.semantic(call.args().get(named).span(), function() + " takes no axis");
            }
            return node;
        }
    }

    private static boolean takesAxis(String function) {
        return List.of("sum", "mean", "softmax", "log_softmax", "logsumexp", "max", "argmax_mask", "concat", "stack").contains(function);
    }

    private Node op(Arguments a, Op op) {
        a.arity(op.arity(), op.arity(), "");
        return a.done(op.arity() == 1 ? graph.node(op, a.operand(0)) : graph.node(op, a.operand(0), a.operand(1)));
    }

    private Op function(Ast.Call call) {
        Op op = Op.byFunctionName(call.function());
        if (op == null) {
            throw new IllegalStateException("not a function of the library: " + call.function());
        }
        return op;
    }

    /** {@code mean(x[, axis])}: the sum over every element, or along an axis, divided by the count. */
    private Node mean(Arguments a) {
        a.arity(1, 2, "mean(x) or mean(x, axis)");
        Node sum = graph.node(Op.SUM, new int[] {a.axis(1, -1)}, a.operand(0));
        long count = a.operand(0).shape().elements() / Math.max(1, sum.shape().elements());
        return a.done(graph.node(Op.MUL, sum, graph.constant(1.0 / count)));
    }

    /** {@code softmax}, {@code log_softmax}, {@code logsumexp}: along the last axis unless one is given. */
    private Node softmax(Arguments a, Op op) {
        a.arity(1, 2, a.function() + "(x) or " + a.function() + "(x, axis)");
        return a.done(graph.node(op, new int[] {a.axis(1, dev.chainrule.tensor.Shapes.lastAxis(a.operand(0).shape()))}, a.operand(0)));
    }

    /** {@code max(a, b)} element by element; {@code max(x)} the largest element; {@code max(x, axis=k)} along an axis. */
    private Node max(Arguments a) {
        a.arity(1, 2, "max(a, b), max(x) or max(x, axis=k)");
        if (a.count() == 2) {
            return op(a, Op.MAX);
        }
        return a.done(graph.node(Op.MAX_OVER, new int[] {a.axis(-1, -1)}, a.operand(0)));
    }

    /**
     * {@code concat(a, b, ..., axis=k)}: joined along an existing axis (0 unless given);
     * {@code stack(a, b, ..., axis=k)}: joined along a new axis.
     */
    private Node concat(Arguments a, boolean stack) {
        a.arity(1, Integer.MAX_VALUE, a.function() + "(a, b, ..., axis=k)");
        Node first = a.operand(0);
        int rank = first.shape().rank() + (stack ? 1 : 0);
        int axis = 0;
        if (a.named >= 0) {
            Ast.Expr written = a.call.args().get(a.named);
            long k = statics.whole(written, a.env, "the axis of " + a.function());
            long resolved = k < 0 ? k + rank : k;
            if (resolved < 0 || resolved >= Math.max(rank, 1)) {
                throw ChainException.semantic(written.span(), "axis " + k + " is not an axis " + (stack ? "to stack " : "to join ")
                        + first.shape() + " values along (0 to " + Math.max(0, rank - 1) + ")");
            }
            axis = (int) resolved;
            a.usedNamed = true;
        }
        if (!stack && first.shape().rank() == 0) {
            throw ChainException.semantic(a.written(0).span(), "concat joins vectors or matrices along an axis, and this is a scalar;"
                    + " stack(a, b, ...) makes a vector of scalars");
        }
        if (stack) {
            for (int k = 1; k < a.count(); k++) {
                if (!a.operand(k).shape().equals(first.shape())) {
                    throw ChainException.semantic(a.written(k).span(), "stack takes values of one shape; here " + first.shape()
                            + " and " + a.operand(k).shape());
                }
            }
        }
        Node joined = null;
        for (int k = 0; k < a.count(); k++) {
            Node part = a.operand(k);
            if (stack) {
                part = graph.node(Op.RESHAPE, insertOne(part.shape(), axis), part);
            }
            joined = joined == null ? part : graph.node(Op.CONCAT, new int[] {axis}, joined, part);
        }
        return a.done(joined);
    }

    private static int[] insertOne(Shape shape, int axis) {
        int[] dims = new int[shape.rank() + 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            dims[i] = i == axis ? 1 : shape.dim(j++);
        }
        return dims;
    }

    /** {@code reshape(x, d0, d1, ...)}: one size may be -1, worked out from the others. */
    private Node reshape(Arguments a) {
        int[] dims = a.dims(1);
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (unknown >= 0) {
                    throw ChainException.semantic(a.written(i + 1).span(), "reshape works out at most one size written -1");
                }
                unknown = i;
            } else {
                known *= dims[i];
            }
        }
        if (unknown >= 0) {
            long elements = a.operand(0).shape().elements();
            if (known == 0 || elements % known != 0) {
                throw ChainException.semantic(a.written(unknown + 1).span(), "a " + a.operand(0).shape() + " value has " + elements
                        + " elements, which the other sizes (" + known + " a step) do not divide");
            }
            dims[unknown] = (int) (elements / known);
        }
        return a.done(graph.node(Op.RESHAPE, dims, a.operand(0)));
    }

    /** {@code pad(x, before, after, spacing, ...)}: three numbers per axis of x. */
    private Node pad(Arguments a) {
        int[] pads = a.dims(1);
        int rank = a.operand(0).shape().rank();
        if (pads.length != Indexing.PAD_FIELDS * rank) {
            throw ChainException.semantic(a.call.span(), "pad takes 3 numbers for each axis of a " + a.operand(0).shape()
                    + " value (zeros before, zeros after, spacing): " + Indexing.PAD_FIELDS * rank + ", not " + pads.length);
        }
        return a.done(graph.node(Op.PAD, pads, a.operand(0)));
    }

    /**
     * {@code onehot(y, k)}: labels 0..k-1 as rows of k numbers with a 1 at the label (a vector for
     * one label). Labels known when the model is built are checked then; labels that are data
     * (an input) are checked each time they are read.
     */
    private Node onehot(Arguments a) {
        a.arity(2, 2, "onehot(labels, classes)");
        long k = statics.whole(a.written(1), a.env, "the number of classes");
        if (k < 1 || k > Integer.MAX_VALUE) {
            throw ChainException.semantic(a.written(1).span(), "the number of classes is a whole number of at least 1");
        }
        Node y = a.operand(0);
        if (y.shape().rank() > 1) {
            throw ChainException.semantic(a.written(0).span(), "onehot takes labels as a number or a vector, not a " + y.shape()
                    + " value");
        }
        if (y.isConstant()) {
            Tensor labels = y.constantTensor();
            for (int i = 0; i < labels.size(); i++) {
                double label = labels.get(i);
                if (!(label >= 0 && label < k && label == Math.rint(label))) {
                    throw ChainException.semantic(a.written(0).span(), "label " + dev.chainrule.print.Numbers.format(label)
                            + " at " + i + " is not one of 0 to " + (k - 1));
                }
            }
        }
        return a.done(graph.node(Op.ONEHOT, new int[] {(int) k}, y));
    }

    /**
     * {@code where(c, a, b)}: a where c is not 0, b where it is. Built as
     * {@code mul_no_nan(a, c != 0) + mul_no_nan(b, c == 0)}, so that the branch not taken adds an
     * exact 0 (even where it is infinite) and receives a 0 adjoint.
     */
    private Node where(Arguments a) {
        a.arity(3, 3, "where(condition, a, b)");
        broadcastTogether(a, "where takes a condition and two values whose shapes broadcast together");
        Node zero = graph.constant(0);
        Node taken = graph.node(Op.MUL_NO_NAN, a.operand(1), graph.node(Op.NE, a.operand(0), zero));
        Node other = graph.node(Op.MUL_NO_NAN, a.operand(2), graph.node(Op.EQ, a.operand(0), zero));
        return a.done(graph.node(Op.ADD, taken, other));
    }

    /** A message naming the function when its operands' shapes do not broadcast together (not the ops it is made of). */
    private static void broadcastTogether(Arguments a, String what) {
        Shape shape = a.operand(0).shape();
        for (int k = 1; k < a.count(); k++) {
            shape = Shape.broadcast(shape, a.operand(k).shape());
            if (shape == null) { // Shape.broadcast answers null, not an exception, for shapes that do not broadcast
                List<String> shapes = new ArrayList<>();
                for (int i = 0; i < a.count(); i++) {
                    shapes.add(a.operand(i).shape().toString());
                }
                throw ChainException.semantic(a.call.span(), what + "; here " + String.join(", ", shapes.subList(0, shapes.size() - 1))
                        + " and " + shapes.get(shapes.size() - 1));
            }
        }
    }

    /** {@code clip(x, lo, hi)} = {@code max(min(x, hi), lo)}. */
    private Node clip(Arguments a) {
        a.arity(3, 3, "clip(x, lo, hi)");
        broadcastTogether(a, "clip takes bounds that broadcast with the value");
        Node lo = a.operand(1);
        Node hi = a.operand(2);
        if (lo.isScalarConstant() && hi.isScalarConstant() && lo.constantValue() > hi.constantValue()) {
            throw ChainException.semantic(a.written(2).span(), "clip needs lo at most hi; here lo is "
                    + dev.chainrule.print.Numbers.format(lo.constantValue()) + " and hi " + dev.chainrule.print.Numbers.format(hi.constantValue()));
        }
        return a.done(graph.node(Op.MAX, graph.node(Op.MIN, a.operand(0), a.operand(2)), a.operand(1)));
    }

    /**
     * {@code cross_entropy(p, y) = -Σ y ⊙ log p}, and {@code softmax_cross_entropy(z, y)} with
     * {@code log_softmax(z)} for {@code log p}, computed stably. For a matrix (one example a row)
     * the loss is the mean over rows.
     */
    private Node crossEntropy(Arguments a, boolean fromLogits) {
        a.arity(2, 2, a.function() + "(" + (fromLogits ? "scores" : "probabilities") + ", targets)");
        Node p = a.operand(0);
        Node y = a.operand(1);
        if (!p.shape().equals(y.shape()) || p.shape().isScalar() || p.shape().rank() > 2) {
            throw ChainException.semantic(a.call.span(), a.function() + " takes a vector or matrix and targets of its shape; "
                    + "here " + p.shape() + " and " + y.shape());
        }
        int last = p.shape().rank() - 1;
        Node logP = fromLogits ? graph.node(Op.LOG_SOFTMAX, new int[] {last}, p) : graph.node(Op.LOG, p);
        Node total = graph.node(Op.SUM, new int[] {-1}, graph.node(Op.MUL, y, logP));
        int rows = p.shape().rank() == 2 ? p.shape().dim(0) : 1;
        Node loss = graph.node(Op.NEG, total);
        return a.done(rows == 1 ? loss : graph.node(Op.MUL, loss, graph.constant(1.0 / rows)));
    }

    /** {@code zeros(n[, m])}, {@code ones(n[, m])}, {@code normal(n[, m], seed=S)}, {@code uniform(n[, m], lo, hi, seed=S)}. */
    private Node initialiser(Ast.Call call, Env env) {
        String name = call.function();
        Long seed = null;
        List<Integer> positional = new ArrayList<>();
        for (int i = 0; i < call.args().size(); i++) {
            String argName = call.names().get(i);
            if (argName == null) {
                positional.add(i);
            } else if (argName.equals("seed") && (name.equals("normal") || name.equals("uniform"))) {
                long s = statics.whole(call.args().get(i), env, "a seed");
                if (s < 0) {
                    throw ChainException.semantic(call.args().get(i).span(), "a seed is a whole number of at least 0");
                }
                seed = s;
            } else {
                throw ChainException.semantic(call.args().get(i).span(), "unknown argument '" + argName + "' of " + name
                        + (name.equals("normal") || name.equals("uniform") ? Suggestions.didYouMean(argName, List.of("seed")) : ""));
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
            Ast.Expr written = call.args().get(positional.get(d));
            long n = statics.whole(written, env, d == 0 ? "the number of rows" : "the number of columns");
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw ChainException.semantic(written.span(), "the " + (d == 0 ? "number of rows" : "number of columns") + " of " + name
                        + " must be a whole number of at least 1");
            }
            shape[d] = (int) n;
        }
        Shape s = Shape.of(shape);
        graph.limits().requireElements(s);
        double[] data = new double[s.size()];
        switch (name) {
            case "ones" -> Arrays.fill(data, 1);
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
                double lo = statics.value(call.args().get(positional.get(dims)), env, "the low bound of uniform");
                double hi = statics.value(call.args().get(positional.get(dims + 1)), env, "the high bound of uniform");
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
}
