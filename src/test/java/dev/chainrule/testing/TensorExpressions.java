package dev.chainrule.testing;

import java.util.List;

/**
 * Random well-typed tensor expressions over the params of
 * {@link dev.chainrule.api.MatrixBackpropTestModels#PARAMS}: W (2×3), M (3×2), v (3) and u (2),
 * read off a list of choices (fewer and smaller choices give a smaller expression): matrix
 * products, transposes, reductions with and without an axis, the softmax family, indexing,
 * broadcasting and the derivative of max.
 */
public final class TensorExpressions {
    private static final String[] UNARY = {"sigmoid", "tanh", "sin", "cos", "softplus"};

    private final List<Integer> choices;
    private int at;

    public TensorExpressions(List<Integer> choices) {
        this.choices = choices;
    }

    private int pick(int bound) {
        return at < choices.size() ? Math.floorMod(choices.get(at++), bound) : 0;
    }

    /** A scalar. */
    public String scalar(int depth) {
        if (depth > 3) {
            return pick(2) == 0 ? "v[1]" : "W[1, 2]";
        }
        return switch (pick(9)) {
            case 0 -> "sum(" + matrix23(depth + 1) + ")";
            case 1 -> "mean(" + vector3(depth + 1) + ")";
            case 2 -> "(" + vector3(depth + 1) + " @ " + vector3(depth + 1) + ")";
            case 3 -> "(" + vector2(depth + 1) + " @ " + matrix23(depth + 1) + " @ " + vector3(depth + 1) + ")";
            case 4 -> pick(2) == 0 ? "max(" + matrix23(depth + 1) + ")" : "sum(grad(max(" + matrix23(depth + 1) + "), W) * W)";
            case 5 -> "logsumexp(" + vector2(depth + 1) + ")";
            case 6 -> "(" + scalar(depth + 1) + " * " + scalar(depth + 1) + ")";
            case 7 -> UNARY[pick(UNARY.length)] + "(" + scalar(depth + 1) + ")";
            default -> "(" + matrix23(depth + 1) + ")[" + pick(2) + ", " + (pick(4) - 1) + "]";
        };
    }

    String matrix23(int depth) {
        if (depth > 3) {
            return "W";
        }
        return switch (pick(9)) {
            case 0 -> "W";
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

    String matrix32(int depth) {
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

    String vector3(int depth) {
        if (depth > 3) {
            return "v";
        }
        return switch (pick(8)) {
            case 0 -> "v";
            case 1 -> "(" + vector2(depth + 1) + " @ " + matrix23(depth + 1) + ")";
            case 2 -> "sum(" + matrix23(depth + 1) + ", 0)";
            case 3 -> "softmax(" + vector3(depth + 1) + ")";
            case 4 -> "(" + matrix23(depth + 1) + ")[" + pick(2) + ", :]";
            case 5 -> "(" + matrix32(depth + 1) + " @ " + vector2(depth + 1) + ")";
            case 6 -> UNARY[pick(UNARY.length)] + "(" + vector3(depth + 1) + " * " + scalar(depth + 1) + ")";
            default -> "(" + vector3(depth + 1) + " - " + vector3(depth + 1) + ")";
        };
    }

    String vector2(int depth) {
        if (depth > 3) {
            return "u";
        }
        return switch (pick(6)) {
            case 0 -> "u";
            case 1 -> "(" + matrix23(depth + 1) + " @ " + vector3(depth + 1) + ")";
            case 2 -> "mean(" + matrix23(depth + 1) + ", 1)";
            case 3 -> "logsumexp(" + matrix23(depth + 1) + ")";
            case 4 -> "(" + matrix23(depth + 1) + ")[:, " + (pick(4) - 1) + "]";
            default -> "log_softmax(" + vector2(depth + 1) + ")";
        };
    }
}
