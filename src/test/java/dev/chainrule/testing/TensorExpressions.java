package dev.chainrule.testing;

import java.util.List;

/**
 * Random well-typed tensor expressions over the params of
 * {@link dev.chainrule.api.MatrixBackpropTestModels#PARAMS}: W (2×3), M (3×2), v (3) and u (2),
 * read off a list of choices (fewer and smaller choices give a smaller expression): matrix
 * products, transposes, reductions with and without an axis, the softmax family, indexing and
 * slicing, joining, reshaping, padding, broadcasting, where, clip and the derivative of max.
 * A smooth generator leaves out what has kinks or jumps (max, where, clip), so that finite
 * differences agree everywhere.
 */
public final class TensorExpressions {
    private static final String[] UNARY = {"sigmoid", "tanh", "sin", "cos", "softplus"};

    private final List<Integer> choices;
    private final boolean smooth;
    private int at;

    public TensorExpressions(List<Integer> choices) {
        this(choices, false);
    }

    /** Expressions without kinks or jumps when {@code smooth}. */
    public TensorExpressions(List<Integer> choices, boolean smooth) {
        this.choices = choices;
        this.smooth = smooth;
    }

    private int pick(int bound) {
        return at < choices.size() ? Math.floorMod(choices.get(at++), bound) : 0;
    }

    /** A scalar. */
    public String scalar(int depth) {
        if (depth > 3) {
            return pick(2) == 0 ? "v[1]" : "W[1, 2]";
        }
        return switch (pick(10)) {
            case 0 -> "sum(" + matrix23(depth + 1) + ")";
            case 9 -> "sum(concat(" + vector3(depth + 1) + ", " + vector2(depth + 1) + ") * [1, -2, 0.5, 3, -1])";
            case 1 -> "mean(" + vector3(depth + 1) + ")";
            case 2 -> "(" + vector3(depth + 1) + " @ " + vector3(depth + 1) + ")";
            case 3 -> "(" + vector2(depth + 1) + " @ " + matrix23(depth + 1) + " @ " + vector3(depth + 1) + ")";
            case 4 -> smooth ? "sum(log1p((" + matrix23(depth + 1) + ")^2))"
                    : pick(2) == 0 ? "max(" + matrix23(depth + 1) + ")" : "sum(grad(max(" + matrix23(depth + 1) + "), W) * W)";
            case 5 -> "logsumexp(" + vector2(depth + 1) + ")";
            case 6 -> "(" + scalar(depth + 1) + " * " + scalar(depth + 1) + ")";
            case 7 -> UNARY[pick(UNARY.length)] + "(" + scalar(depth + 1) + ")";
            default -> "(" + matrix23(depth + 1) + ")[" + pick(2) + ", " + (pick(4) - 1) + "]";
        };
    }

    public String matrix23(int depth) {
        if (depth > 3) {
            return "W";
        }
        return switch (pick(17)) {
            case 0 -> "W";
            case 9 -> "concat((" + matrix23(depth + 1) + ")[0:1, :], (" + matrix23(depth + 1) + ")[1:, :], axis=0)";
            case 10 -> "reshape(" + matrix32(depth + 1) + ", 2, -1)";
            case 11 -> "pad((" + matrix23(depth + 1) + ")[:, 1:], 0, 0, 1, 1, 0, 1)";
            case 12 -> "broadcast_to(" + vector3(depth + 1) + ", 2, 3)";
            case 13 -> "stack(" + vector3(depth + 1) + ", " + vector3(depth + 1) + ")";
            case 14 -> "expm1(" + matrix23(depth + 1) + ")";
            case 15 -> smooth ? "log1p((" + matrix23(depth + 1) + ")^2)"
                    : "where(" + matrix23(depth + 1) + " > 0, " + matrix23(depth + 1) + ", " + matrix23(depth + 1) + ")";
            case 16 -> smooth ? "(" + matrix23(depth + 1) + " / 2)" : "clip(" + matrix23(depth + 1) + ", -0.5, 0.5)";
            case 1 -> UNARY[pick(UNARY.length)] + "(" + matrix23(depth + 1) + ")";
            case 2 -> "(" + matrix23(depth + 1) + (pick(2) == 0 ? " + " : " * ") + matrix23(depth + 1) + ")";
            case 3 -> "(" + matrix23(depth + 1) + " * " + vector3(depth + 1) + ")";
            case 4 -> "softmax(" + matrix23(depth + 1) + (pick(2) == 0 ? "" : ", 0") + ")";
            case 5 -> "log_softmax(" + matrix23(depth + 1) + ")";
            case 6 -> "(" + matrix32(depth + 1) + ")'";
            case 7 -> "(" + matrix23(depth + 1) + " - " + scalar(depth + 1) + ")";
            default -> "((" + matrix23(depth + 1) + ")')'";
        };
    }

    public String matrix32(int depth) {
        if (depth > 3) {
            return "M";
        }
        return switch (pick(4)) {
            case 0 -> "M";
            case 1 -> "(" + matrix23(depth + 1) + ")'";
            case 2 -> "tanh(" + matrix32(depth + 1) + " * " + vector2(depth + 1) + ")";
            default -> "(" + matrix32(depth + 1) + " @ " + "(" + matrix23(depth + 1) + " @ " + matrix32(depth + 1) + "))";
        };
    }

    public String vector3(int depth) {
        if (depth > 3) {
            return "v";
        }
        return switch (pick(10)) {
            case 0 -> "v";
            case 8 -> "sum_to(" + matrix23(depth + 1) + ", 3)";
            case 9 -> smooth ? "mean(" + matrix23(depth + 1) + ", axis=0)" : "max(" + matrix23(depth + 1) + ", axis=0)";
            case 1 -> "(" + vector2(depth + 1) + " @ " + matrix23(depth + 1) + ")";
            case 2 -> "sum(" + matrix23(depth + 1) + ", 0)";
            case 3 -> "softmax(" + vector3(depth + 1) + ")";
            case 4 -> "(" + matrix23(depth + 1) + ")[" + pick(2) + ", :]";
            case 5 -> "(" + matrix32(depth + 1) + " @ " + vector2(depth + 1) + ")";
            case 6 -> UNARY[pick(UNARY.length)] + "(" + vector3(depth + 1) + " * " + scalar(depth + 1) + ")";
            default -> "(" + vector3(depth + 1) + " - " + vector3(depth + 1) + ")";
        };
    }

    public String vector2(int depth) {
        if (depth > 3) {
            return "u";
        }
        return switch (pick(8)) {
            case 0 -> "u";
            case 6 -> "(" + vector3(depth + 1) + ")[0:2]";
            case 7 -> "(" + matrix23(depth + 1) + ")[1, ::2]";
            case 1 -> "(" + matrix23(depth + 1) + " @ " + vector3(depth + 1) + ")";
            case 2 -> "mean(" + matrix23(depth + 1) + ", 1)";
            case 3 -> "logsumexp(" + matrix23(depth + 1) + ")";
            case 4 -> "(" + matrix23(depth + 1) + ")[:, " + (pick(4) - 1) + "]";
            default -> "log_softmax(" + vector2(depth + 1) + ")";
        };
    }
}
