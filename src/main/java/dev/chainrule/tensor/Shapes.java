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

    public static Shape sum(Shape shape, int axis) {
        if (axis < 0) {
            return Shape.SCALAR;
        }
        if (axis >= shape.rank()) {
            throw new ShapeException("sum over axis " + axis + " of a " + shape + " value, which has "
                    + (shape.rank() == 0 ? "no axes" : "axes 0 to " + (shape.rank() - 1)));
        }
        return dropAxis(shape, axis);
    }
}
