package dev.chainrule.print;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors as people read them: a scalar as its number, a small vector or matrix whole in brackets,
 * a large one by its shape and its first entries.
 */
public final class Tensors {
    /** Tensors with more elements than this are summarised. */
    public static final int WHOLE = 64;
    private static final int SHOWN = 4;

    private Tensors() {
    }

    public static String format(Tensor t, int digits) {
        Shape shape = t.shape();
        if (shape.isScalar()) {
            return Numbers.format(t.item(), digits);
        }
        if (t.size() <= WHOLE) {
            return nested(t, v -> Numbers.format(v, digits), "[", "]");
        }
        StringBuilder s = new StringBuilder(shape.toString()).append(" [");
        for (int i = 0; i < Math.min(SHOWN, t.size()); i++) {
            s.append(i > 0 ? ", " : "").append(Numbers.format(t.get(i), digits));
        }
        return s.append(", ...]").toString();
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
