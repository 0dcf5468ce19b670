package dev.chainrule.tensor;

import java.util.Arrays;

/**
 * The shape of a node's value: no dimensions for a scalar, one for a vector, two for a matrix.
 * Shapes combine by numpy's broadcasting rules.
 *
 * <p>The number of elements is computed once, in 64-bit arithmetic that saturates instead of
 * overflowing, so a shape far too large for memory still says how large it is: whether it may be
 * made is the model's limits' decision (a graph's {@code Limits}), taken before anything of its size is allocated. Only
 * {@link #size()}, which tensors use to allocate, insists that the count fits an array.
 */
public final class Shape {
    /** The shape of a single number. */
    public static final Shape SCALAR = new Shape(new int[0], 1);
    /** The most elements a value may have: Java arrays hold fewer than 2^31. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final int[] dims;
    private final long elements;

    private Shape(int[] dims, long elements) {
        this.dims = dims;
        this.elements = elements;
    }

    /**
     * The shape of these dimensions.
     *
     * @throws ShapeException for a negative dimension (a size a user wrote, or one worked out from
     *         sizes a user wrote, such as a padding): it is reported where it was written
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        return new Shape(dims.clone(), elements(dims));
    }

    /** The product of the dimensions in 64 bits, {@link Long#MAX_VALUE} where it would overflow. */
    static long elements(int[] dims) {
        long product = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new ShapeException("a size is a whole number from 0 up, not " + d);
            }
            if (d == 0) {
                return 0;
            }
            product = product > Long.MAX_VALUE / d ? Long.MAX_VALUE : product * d;
        }
        return product;
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

    /** The number of elements, exact in 64 bits (saturated at {@link Long#MAX_VALUE}): 1 for a scalar. */
    public long elements() {
        return elements;
    }

    /**
     * The number of elements, for allocating them. Every node's shape was checked against its
     * graph's {@link Limits} when the node was made, so it fits.
     *
     * @throws ShapeException when the count does not fit a Java array (a shape no limit allowed)
     */
    public int size() {
        if (elements > MAX_ELEMENTS) {
            throw new ShapeException("a value of " + product() + " elements is more than a Java array holds ("
                    + MAX_ELEMENTS + ")");
        }
        return (int) elements;
    }

    /** {@code 65536 × 65536}: the dimensions as a product, for messages about size. */
    public String product() {
        if (dims.length == 0) {
            return "1";
        }
        StringBuilder s = new StringBuilder();
        for (int d : dims) {
            s.append(s.length() > 0 ? " × " : "").append(d);
        }
        return s.toString();
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
        return new Shape(out, elements(out));
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
