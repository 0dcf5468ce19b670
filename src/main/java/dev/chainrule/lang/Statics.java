package dev.chainrule.lang;

import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Node;
import dev.chainrule.print.Numbers;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiFunction;

/**
 * Whole numbers known while the model is built, before anything runs: loop bounds, indices,
 * slices, family members ({@code h[t-1]}) and the counts functions take. They are written with
 * numbers, loop variables, names defined as numbers ({@code T = 10}), {@code len(x)} (the first
 * dimension of x) and {@code size(x, axis)}, joined by {@code + - * / ^}. Evaluated with an explicit
 * stack, so no written depth makes it recurse.
 */
final class Statics {
    /** What the language calls these numbers in messages. */
    static final String WHAT = "numbers, loop variables, names defined as numbers, len(x) and size(x, axis), "
            + "with + - * / ^";

    /** The functions that give a shape's sizes. */
    static boolean isShapeFunction(String name) {
        return name.equals("len") || name.equals("size");
    }

    /** Looks a name up: the node it denotes in the environment, or null. */
    private final BiFunction<Ast.Name, Env, Node> names;

    Statics(BiFunction<Ast.Name, Env, Node> names) {
        this.names = names;
    }

    /**
     * The whole number {@code e} stands for.
     *
     * @param what how the number is called in a message: "an index", "a loop bound"
     */
    long whole(Ast.Expr e, Env env, String what) {
        double v = value(e, env, what);
        if (v != Math.rint(v) || Math.abs(v) > (1L << 53)) {
            boolean written = e instanceof Ast.Number || e instanceof Ast.Unary u && u.operand() instanceof Ast.Number;
            throw ChainException.semantic(e.span(), what + " is a whole number, not " + (written ? e.span().text()
                    : e.span().text() + " = " + Numbers.format(v)));
        }
        return (long) v;
    }

    /** The number {@code e} stands for. */
    double value(Ast.Expr root, Env env, String what) {
        Deque<Ast.Expr> work = new ArrayDeque<>();
        Deque<Boolean> expanded = new ArrayDeque<>();
        Deque<Double> values = new ArrayDeque<>();
        work.push(root);
        expanded.push(false);
        while (!work.isEmpty()) {
            Ast.Expr e = work.pop();
            boolean ready = expanded.pop();
            if (!ready && (e instanceof Ast.Unary || e instanceof Ast.Binary)) {
                work.push(e);
                expanded.push(true);
                for (int i = e.children().size() - 1; i >= 0; i--) {
                    work.push(e.children().get(i));
                    expanded.push(false);
                }
                continue;
            }
            values.push(e.accept(new Ast.ExprVisitor<Double>() {
                @Override
                public Double number(Ast.Number n) {
                    return n.value();
                }

                @Override
                public Double literal(Ast.Literal l) {
                    throw notKnown(l, what);
                }

                @Override
                public Double name(Ast.Name n) {
                    Long loop = env.loopValue(n.name());
                    if (loop != null) {
                        return (double) loop;
                    }
                    Node node = names.apply(n, env);
                    if (node != null && node.isScalarConstant()) {
                        return node.constantValue();
                    }
                    if (node != null && node.isLeaf()) {
                        throw ChainException.semantic(n.span(), what + " is known when the model is built, and '" + n.name()
                                + "' is " + (node.leafKind() == dev.chainrule.graph.LeafKind.INPUT ? "an input" : "a param")
                                + ", whose value can change; use " + WHAT);
                    }
                    if (node != null) {
                        throw ChainException.semantic(n.span(), what + " is known when the model is built, and '" + n.name()
                                + "' is computed from inputs or params, whose values can change; use " + WHAT);
                    }
                    throw notKnown(n, what);
                }

                @Override
                public Double unary(Ast.Unary u) {
                    return -values.pop();
                }

                @Override
                public Double binary(Ast.Binary b) {
                    double right = values.pop();
                    double left = values.pop();
                    return switch (b.op()) {
                        case ADD -> left + right;
                        case SUB -> left - right;
                        case MUL -> left * right;
                        case DIV -> left / right;
                        case POW -> Math.pow(left, right);
                        default -> throw notKnown(b, what);
                    };
                }

                @Override
                public Double call(Ast.Call c) {
                    if (!isShapeFunction(c.function())) {
                        throw notKnown(c, what);
                    }
                    return (double) shapeSize(c, env);
                }

                @Override
                public Double index(Ast.Index i) {
                    throw notKnown(i, what);
                }

                @Override
                public Double field(Ast.Field f) {
                    throw notKnown(f, what);
                }

                @Override
                public Double grad(Ast.Grad g) {
                    throw notKnown(g, what);
                }
            }));
        }
        double v = values.pop();
        if (!Double.isFinite(v)) {
            throw ChainException.semantic(root.span(), what + " must be a finite number, and " + root.span().text() + " is "
                    + Numbers.format(v));
        }
        return v;
    }

    /** {@code len(x)}: the first dimension; {@code size(x, axis)}: that dimension. */
    private long shapeSize(Ast.Call c, Env env) {
        boolean len = c.function().equals("len");
        int arity = len ? 1 : 2;
        if (c.args().size() != arity) {
            throw ChainException.semantic(c.span(), len ? "len takes 1 argument, a name: len(x)"
                    : "size takes 2 arguments, a name and an axis: size(x, 0)");
        }
        Node node = shapeOf(c, env);
        int rank = node.shape().rank();
        long written = len ? 0 : whole(c.args().get(1), env, "an axis");
        long axis = written < 0 ? written + rank : written;
        if (rank == 0 || axis < 0 || axis >= rank) {
            throw ChainException.semantic(c.span(), "'" + c.args().get(0).span().text() + "' is a " + node.shape() + " value"
                    + (rank == 0 ? ", which has no axes" : ", whose axes are 0 to " + (rank - 1)));
        }
        return node.shape().dim((int) axis);
    }

    private Node shapeOf(Ast.Call c, Env env) {
        Ast.Expr arg = c.args().get(0);
        Node node = arg instanceof Ast.Name n ? names.apply(n, env) : null;
        if (node == null) {
            throw ChainException.semantic(arg.span(), c.function() + " takes the name of a value, such as " + c.function()
                    + (c.function().equals("len") ? "(x)" : "(x, 0)"));
        }
        return node;
    }

    private static ChainException notKnown(Ast.Expr e, String what) {
        return ChainException.semantic(e.span(), what + " is known when the model is built: " + WHAT
                + "; '" + e.span().text() + "' is not");
    }
}
