package dev.chainrule.print;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors as people read them: a scalar as its number, a small vector or matrix whole in brackets,
 * a large one by its shape and the entries at the edges of each axis, as numpy does.
 */
public final class Tensors {
    /** Tensors with more elements than this are summarised. */
    public static final int WHOLE = 64;

    private Tensors() {
    }

    /** A tensor for people: whole when small, else as numpy summarises it (its shape, and the edges of every axis). */
    public static String format(Tensor t, int digits) {
        return format(t, digits, false);
    }

    /**
     * A tensor for people: a scalar as its number; whole when it has at most {@link #WHOLE}
     * elements or {@code full} is asked; else its shape and, along every axis longer than twice
     * {@link #EDGE}, the first and last {@link #EDGE} entries around {@code ...}, as numpy prints
     * ({@code (100×3) [[0.1, 0.2, 0.3], [...], ..., [...]]}).
     */
    public static String format(Tensor t, int digits, boolean full) {
        Shape shape = t.shape();
        if (shape.isScalar()) {
            return Numbers.format(t.item(), digits);
        }
        java.util.function.DoubleFunction<String> number = v -> Numbers.format(v, digits);
        if (full || t.size() <= WHOLE) {
            return nested(t, number, "[", "]");
        }
        return shape + " " + edges(t, number, 0, 0);
    }

    /**
     * A tensor written by {@link #format} as LaTeX: exponents as powers of ten, the shape's
     * {@code ×} and the summary's {@code ...} as their commands.
     */
    public static String latex(String formatted) {
        return formatted.replaceAll("(\\d)e([+-]?)0*(\\d+)", "$1 \\\\times 10^{$2$3}").replace("+", "")
                .replace("×", " \\times ").replace("...", "\\ldots").replace("Infinity", "\\infty").replace("NaN", "\\mathrm{NaN}");
    }

    /** Tensors with at most this many elements are written whole by {@link #brief}; a 2×2 matrix is, a 2×3 one is not. */
    public static final int BRIEF_WHOLE = 4;

    /**
     * A tensor in a few short lines, for a label that must stay narrow (a node of a drawn graph):
     * a scalar as its number; any other tensor as its shape, then, when it has at most
     * {@link #BRIEF_WHOLE} elements, its elements (a vector's one a line, as a column; a matrix's
     * a row a line), else its minimum, mean and maximum, one a line. Numbers have {@code digits}
     * significant digits.
     */
    public static List<String> brief(Tensor t, int digits) {
        if (t.shape().isScalar()) {
            return List.of(Numbers.format(t.item(), digits));
        }
        List<String> lines = new ArrayList<>();
        lines.add(t.shape().toString());
        if (t.size() <= BRIEF_WHOLE) {
            int rank = t.shape().rank();
            int row = rank == 1 ? 1 : t.shape().dim(rank - 1);
            for (int start = 0; start < t.size(); start += row) {
                List<String> items = new ArrayList<>();
                for (int i = start; i < start + row; i++) {
                    items.add(Numbers.format(t.get(i), digits));
                }
                lines.add(rank == 1 ? items.get(0) : "[" + String.join(", ", items) + "]");
            }
            return lines;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < t.size(); i++) {
            double v = t.get(i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        lines.add("min " + Numbers.format(min, digits));
        lines.add("mean " + Numbers.format(sum / t.size(), digits));
        lines.add("max " + Numbers.format(max, digits));
        return lines;
    }

    /** The entries kept at each end of a long axis. */
    public static final int EDGE = 3;

    private static String edges(Tensor t, java.util.function.DoubleFunction<String> number, int axis, int offset) {
        Shape shape = t.shape();
        int stride = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            stride *= shape.dim(d);
        }
        int n = shape.dim(axis);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                items.add("...");
                i = n - EDGE - 1;
                continue;
            }
            items.add(axis == shape.rank() - 1 ? number.apply(t.get(offset + i)) : edges(t, number, axis + 1, offset + i * stride));
        }
        return "[" + String.join(", ", items) + "]";
    }

    /** A tensor in nested brackets, each element written by {@code number}: {@code [[1, 2], [3, 4]]}. */
    public static String nested(Tensor t, java.util.function.DoubleFunction<String> number, String open, String close) {
        return nested(t, number, open, close, 0, 0);
    }

    private static String nested(Tensor t, java.util.function.DoubleFunction<String> number, String open, String close,
                                 int axis, int offset) {
        Shape shape = t.shape();
        int stride = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            stride *= shape.dim(d);
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < shape.dim(axis); i++) {
            items.add(axis == shape.rank() - 1
                    ? number.apply(t.get(offset + i))
                    : nested(t, number, open, close, axis + 1, offset + i * stride));
        }
        return open + String.join(", ", items) + close;
    }

    /** A JSON-ready value: a number for a scalar, nested lists otherwise. */
    public static Object json(Tensor t) {
        return t.shape().isScalar() ? (Object) t.item() : nested(t, 0, 0);
    }

    private static List<Object> nested(Tensor t, int axis, int offset) {
        Shape shape = t.shape();
        int stride = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            stride *= shape.dim(d);
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < shape.dim(axis); i++) {
            items.add(axis == shape.rank() - 1 ? (Object) t.get(offset + i) : nested(t, axis + 1, offset + i * stride));
        }
        return items;
    }

    /** The label of element {@code flat} of a leaf: {@code W[0, 1]}, or the name for a scalar. */
    public static String element(String name, Shape shape, int flat) {
        if (shape.isScalar()) {
            return name;
        }
        int[] index = new int[shape.rank()];
        for (int d = shape.rank() - 1; d >= 0; d--) {
            index[d] = flat % shape.dim(d);
            flat /= shape.dim(d);
        }
        StringBuilder s = new StringBuilder(name).append('[');
        for (int d = 0; d < index.length; d++) {
            s.append(d > 0 ? ", " : "").append(index[d]);
        }
        return s.append(']').toString();
    }
}
