package dev.chainrule.graph;

import java.util.Arrays;

/**
 * The shape of a node's value: no dimensions for a scalar, one for a vector, two for a matrix.
 * Shapes combine by numpy's broadcasting rules.
 */
public final class Shape {
    /** The shape of a single number. */
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        this.dims = dims;
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.size = n;
    }

    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        long size = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d);
            }
            size = d == 0 ? 0 : size > Long.MAX_VALUE / d ? Long.MAX_VALUE : size * d;
        }
        if (size > Limits.maxElements()) {
            StringBuilder product = new StringBuilder();
            for (int d : dims) {
                product.append(product.length() > 0 ? " × " : "").append(d);
            }
            throw new ShapeException("a value of " + product + " elements is more than the limit of "
                    + Limits.maxElements() + " (--max-elements)");
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    /** The dimensions (a copy). */
    public int[] dims() {
        return dims.clone();
    }

    /** The number of elements: 1 for a scalar. */
    public int size() {
        return size;
    }

    public boolean isScalar() {
        return dims.length == 0;
    }

    /**
     * The shape of an element-wise operation on {@code a} and {@code b} (numpy broadcasting:
     * dimensions are matched from the right, and a dimension of 1 stretches), or null when the
     * shapes do not broadcast.
     */
    public static Shape broadcast(Shape a, Shape b) {
        if (a.equals(b) || b.isScalar()) {
            return a;
        }
        if (a.isScalar()) {
            return b;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** The strides of this shape's row-major layout, 0 where this shape is stretched to {@code to}. */
    public int[] stridesIn(Shape to) {
        int[] strides = new int[to.rank()];
        int stride = 1;
        for (int i = rank() - 1; i >= 0; i--) {
            int axis = i + to.rank() - rank();
            strides[axis] = dims[i] == 1 && to.dims[axis] != 1 ? 0 : stride;
            stride *= dims[i];
        }
        return strides;
    }

    /** Whether this shape is the last dimensions of {@code shape} (so it repeats along them, row after row). */
    boolean isTrailingOf(Shape shape) {
        int offset = shape.rank() - rank();
        if (offset < 0) {
            return false;
        }
        for (int d = 0; d < rank(); d++) {
            if (dims[d] != shape.dims[offset + d]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code scalar}, {@code (3)}, {@code (3×2)}: the form diagnostics use. */
    @Override
    public String toString() {
        if (isScalar()) {
            return "scalar";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            s.append(i > 0 ? "×" : "").append(dims[i]);
        }
        return s.append(')').toString();
    }
}
