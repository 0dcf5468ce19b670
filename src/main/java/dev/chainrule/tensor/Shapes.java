package dev.chainrule.tensor;

/** Shape rules of the operations that are not element-wise, with their diagnostics. */
public final class Shapes {
    private Shapes() {
    }

    /** numpy's {@code @}: matrix·matrix, matrix·vector, vector·matrix, vector·vector. */
    public static Shape matmul(Shape a, Shape b) {
        if (a.isScalar() || b.isScalar() || a.rank() > 2 || b.rank() > 2) {
            throw new ShapeException(a + " @ " + b + " — @ takes vectors and matrices");
        }
        int inner = a.dim(a.rank() - 1);
        int other = b.dim(0);
        if (inner != other) {
            throw new ShapeException(a + " @ " + b + " — inner dimensions " + inner + " and " + other + " differ");
        }
        if (a.rank() == 2 && b.rank() == 2) {
            return Shape.of(a.dim(0), b.dim(1));
        }
        if (a.rank() == 2) {
            return Shape.of(a.dim(0));
        }
        return b.rank() == 2 ? Shape.of(b.dim(1)) : Shape.SCALAR;
    }

    /** The shape without {@code axis}. */
    public static Shape dropAxis(Shape shape, int axis) {
        int[] dims = new int[shape.rank() - 1];
        for (int i = 0, j = 0; i < shape.rank(); i++) {
            if (i != axis) {
                dims[j++] = shape.dim(i);
            }
        }
        return Shape.of(dims);
    }

    /** The shape with {@code axis} kept as a dimension of 1. */
    public static Shape keepAxis(Shape shape, int axis) {
        int[] dims = shape.dims();
        if (axis < 0) {
            java.util.Arrays.fill(dims, 1);
        } else {
            dims[axis] = 1;
        }
        return Shape.of(dims);
    }

    /** The shape a reduction over {@code axis} leaves (every element for -1). */
    public static Shape sum(Shape shape, int axis) {
        return reduce("sum", shape, axis);
    }

    /** The axis softmax, log_softmax and logsumexp take when none is written: the last (0 for a scalar). */
    public static int lastAxis(Shape shape) {
        return Math.max(0, shape.rank() - 1);
    }

    /** The shape {@code what} over {@code axis} leaves (every element for -1), or the diagnostic naming the axes there are. */
    public static Shape reduce(String what, Shape shape, int axis) {
        if (axis < 0) {
            return Shape.SCALAR;
        }
        if (axis >= shape.rank()) {
            throw new ShapeException(what + " over axis " + axis + " of a " + shape + " value, which has "
                    + (shape.rank() == 0 ? "no axes" : "axes 0 to " + (shape.rank() - 1)));
        }
        return dropAxis(shape, axis);
    }

    /** {@code concat(a, b, axis)}: the same rank, the same dimensions but along the axis, which adds up. */
    public static Shape concat(Shape a, Shape b, int axis) {
        if (a.rank() != b.rank() || a.isScalar()) {
            throw new ShapeException("concat joins values of one rank, vectors or matrices; here " + a + " and " + b);
        }
        if (axis < 0 || axis >= a.rank()) {
            throw new ShapeException("concat along axis " + axis + " of " + a + " values, which have axes 0 to " + (a.rank() - 1));
        }
        int[] dims = a.dims();
        for (int d = 0; d < dims.length; d++) {
            if (d != axis && a.dim(d) != b.dim(d)) {
                throw new ShapeException("concat along axis " + axis + " of " + a + " and " + b + " — dimension " + d + " differs");
            }
        }
        dims[axis] = a.dim(axis) + b.dim(axis);
        return Shape.of(dims);
    }

    /** {@code onehot(labels, k)}: a row of k for each label of a vector, a vector of k for one label. */
    public static Shape onehot(Shape labels, int k) {
        if (labels.rank() > 1) {
            throw new ShapeException("onehot takes a label or a vector of labels, not a " + labels + " value");
        }
        return labels.isScalar() ? Shape.of(k) : Shape.of(labels.dim(0), k);
    }
}
