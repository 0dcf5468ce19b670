package dev.chainrule.tensor;

import java.util.Arrays;

/**
 * Indexing kernels: {@code x[i, j]} with a position or {@code :} per axis ({@link Op#ALL}),
 * and its adjoint, placing values back at those positions among zeros.
 */
public final class Indexing {
    /** The position of an index that takes a whole axis ({@code :}). */
    public static final int ALL = Integer.MIN_VALUE;

    private Indexing() {
    }

    public static Shape resultShape(Shape of, int[] positions) {
        int kept = 0;
        for (int p : positions) {
            if (p == ALL) {
                kept++;
            }
        }
        int[] dims = new int[kept];
        for (int axis = 0, j = 0; axis < positions.length; axis++) {
            if (positions[axis] == ALL) {
                dims[j++] = of.dim(axis);
            }
        }
        return Shape.of(dims);
    }

    /** The elements at the positions, in row-major order of the kept axes. */
    public static Tensor gather(Tensor a, int[] positions) {
        Shape result = resultShape(a.shape(), positions);
        double[] out = new double[result.size()];
        int[] flat = flatIndices(a.shape(), positions, result);
        for (int i = 0; i < flat.length; i++) {
            out[i] = a.get(flat[i]);
        }
        return Tensor.of(result, out);
    }

    /** {@code a} placed at the positions (the tail of {@code attrs}) of zeros of the full shape (its head). */
    public static Tensor scatter(Tensor a, int[] attrs) {
        Shape full = fullShape(attrs);
        int[] positions = positions(attrs);
        double[] out = new double[full.size()];
        int[] flat = flatIndices(full, positions, a.shape());
        for (int i = 0; i < flat.length; i++) {
            out[flat[i]] += a.get(i);
        }
        return Tensor.of(full, out);
    }

    public static int[] scatterAttrs(Shape full, int[] positions) {
        int[] attrs = new int[full.rank() * 2];
        System.arraycopy(full.dims(), 0, attrs, 0, full.rank());
        System.arraycopy(positions, 0, attrs, full.rank(), full.rank());
        return attrs;
    }

    public static Shape fullShape(int[] scatterAttrs) {
        return Shape.of(Arrays.copyOf(scatterAttrs, scatterAttrs.length / 2));
    }

    public static int[] positions(int[] scatterAttrs) {
        return Arrays.copyOfRange(scatterAttrs, scatterAttrs.length / 2, scatterAttrs.length);
    }

    /** For each element of the result, its flat position in the indexed tensor. */
    private static int[] flatIndices(Shape full, int[] positions, Shape result) {
        int rank = full.rank();
        int[] strides = new int[rank];
        for (int axis = rank - 1, stride = 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= full.dim(axis);
        }
        int base = 0;
        int kept = 0;
        for (int axis = 0; axis < rank; axis++) {
            if (positions[axis] == ALL) {
                kept++;
            } else {
                base += positions[axis] * strides[axis];
            }
        }
        int[] keptStrides = new int[kept];
        for (int axis = 0, j = 0; axis < rank; axis++) {
            if (positions[axis] == ALL) {
                keptStrides[j++] = strides[axis];
            }
        }
        int[] flat = new int[result.size()];
        int[] index = new int[kept];
        int offset = base;
        for (int i = 0; i < flat.length; i++) {
            flat[i] = offset;
            for (int d = kept - 1; d >= 0; d--) {
                index[d]++;
                offset += keptStrides[d];
                if (index[d] < result.dim(d)) {
                    break;
                }
                offset -= keptStrides[d] * result.dim(d);
                index[d] = 0;
            }
        }
        return flat;
    }
}
