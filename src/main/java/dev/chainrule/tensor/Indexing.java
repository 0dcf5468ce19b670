package dev.chainrule.tensor;

import java.util.Arrays;

/**
 * Indexing kernels: per axis a whole position, which drops the axis ({@code x[1]}), or a slice
 * {@code start:stop:step} with a positive step, which keeps it ({@code x[1:5:2]}, {@code x[:]});
 * and padding with zeros, the adjoint of a slice. An index is held in attributes of
 * {@value #FIELDS} numbers per axis: start, stop, step, and 1 to keep the axis or 0 to drop it;
 * a padding in {@value #PAD_FIELDS} per axis: zeros before, zeros after, and the spacing of the
 * elements (1 for none between them).
 */
public final class Indexing {
    /** Numbers per axis in an index's attributes. */
    public static final int FIELDS = 4;
    /** Numbers per axis in a padding's attributes. */
    public static final int PAD_FIELDS = 3;

    private Indexing() {
    }

    /** The attributes of a whole position on an axis. */
    public static int[] position(int p) {
        return new int[] {p, p + 1, 1, 0};
    }

    /** The index of one element, given by its flat position in a value of {@code shape}: a position on every axis. */
    public static int[] elementOf(Shape shape, int flat) {
        int[] index = new int[FIELDS * shape.rank()];
        for (int axis = shape.rank() - 1; axis >= 0; axis--) {
            int n = shape.dim(axis);
            System.arraycopy(position(flat % n), 0, index, FIELDS * axis, FIELDS);
            flat /= n;
        }
        return index;
    }

    /** The attributes of a slice on an axis. */
    public static int[] slice(int start, int stop, int step) {
        return new int[] {start, stop, step, 1};
    }

    /** Elements a slice takes: none when stop is not past start. */
    public static int length(int start, int stop, int step) {
        // in 64 bits: a step near the largest int would overflow the sum
        return stop <= start ? 0 : (int) (((long) stop - start + step - 1) / step);
    }

    /**
     * The shape of {@code of[index]}.
     *
     * @throws ShapeException for an index of another rank, or out of the shape
     */
    public static Shape resultShape(Shape of, int[] index) {
        if (index.length != FIELDS * of.rank()) {
            throw new ShapeException("a " + of + " value takes " + of.rank() + (of.rank() == 1 ? " index" : " indices")
                    + ", not " + index.length / FIELDS);
        }
        int kept = 0;
        for (int axis = 0; axis < of.rank(); axis++) {
            int start = index[FIELDS * axis];
            int stop = index[FIELDS * axis + 1];
            int step = index[FIELDS * axis + 2];
            boolean keep = index[FIELDS * axis + 3] == 1;
            int n = of.dim(axis);
            if (step < 1 || start < 0 || stop > n || (!keep && (start >= n || stop != start + 1))) {
                throw new ShapeException("the index [" + text(index, of) + "] does not fit a " + of + " value");
            }
            kept += keep ? 1 : 0;
        }
        int[] dims = new int[kept];
        for (int axis = 0, j = 0; axis < of.rank(); axis++) {
            if (index[FIELDS * axis + 3] == 1) {
                dims[j++] = length(index[FIELDS * axis], index[FIELDS * axis + 1], index[FIELDS * axis + 2]);
            }
        }
        return Shape.of(dims);
    }

    /** The elements the index takes, in row-major order of the kept axes. */
    public static Tensor gather(Tensor a, int[] index) {
        Shape result = resultShape(a.shape(), index);
        int[] flat = flat(a.shape(), index);
        double[] out = new double[result.size()];
        for (int i = 0; i < flat.length; i++) {
            out[i] = a.get(flat[i]);
        }
        return Tensor.of(result, out);
    }

    /** For each element of {@code full[index]}, its flat position in {@code full}. */
    public static int[] flat(Shape full, int[] index) {
        int rank = full.rank();
        int[] strides = new int[rank];
        int[] counts = new int[rank];
        for (int axis = rank - 1, stride = 1; axis >= 0; axis--) {
            strides[axis] = stride;
            stride *= full.dim(axis);
            counts[axis] = length(index[FIELDS * axis], index[FIELDS * axis + 1], index[FIELDS * axis + 2]);
        }
        int total = 1;
        for (int c : counts) {
            total *= c;
        }
        int[] flat = new int[total];
        int[] at = new int[rank];
        for (int i = 0; i < total; i++) {
            int offset = 0;
            for (int axis = 0; axis < rank; axis++) {
                offset += (index[FIELDS * axis] + at[axis] * index[FIELDS * axis + 2]) * strides[axis];
            }
            flat[i] = offset;
            for (int axis = rank - 1; axis >= 0; axis--) {
                if (++at[axis] < counts[axis]) {
                    break;
                }
                at[axis] = 0;
            }
        }
        return flat;
    }

    /** {@code 1:3, 0, ::2}: an index of a value of shape {@code of} as the language writes it (a stop at the end left out). */
    public static String text(int[] index, Shape of) {
        StringBuilder s = new StringBuilder();
        for (int axis = 0; axis < index.length / FIELDS; axis++) {
            int start = index[FIELDS * axis];
            int stop = index[FIELDS * axis + 1];
            int step = index[FIELDS * axis + 2];
            s.append(axis > 0 ? ", " : "");
            if (index[FIELDS * axis + 3] == 0) {
                s.append(start);
            } else {
                boolean toEnd = axis < of.rank() && stop == of.dim(axis);
                s.append(start == 0 ? "" : String.valueOf(start)).append(':').append(toEnd ? "" : String.valueOf(stop))
                        .append(step == 1 ? "" : ":" + step);
            }
        }
        return s.toString();
    }

    /** The shape a padding makes of {@code a}. */
    public static Shape padShape(Shape a, int[] pad) {
        if (pad.length != PAD_FIELDS * a.rank()) {
            throw new ShapeException("a padding of a " + a + " value takes " + PAD_FIELDS + " numbers per axis, not " + pad.length);
        }
        int[] dims = new int[a.rank()];
        for (int axis = 0; axis < dims.length; axis++) {
            int before = pad[PAD_FIELDS * axis];
            int after = pad[PAD_FIELDS * axis + 1];
            int step = pad[PAD_FIELDS * axis + 2];
            if (before < 0 || after < 0 || step < 1) {
                throw new ShapeException("a padding takes zeros before and after (at least 0) and a spacing (at least 1)");
            }
            int n = a.dim(axis);
            long size = (long) before + after + (n == 0 ? 0 : (long) (n - 1) * step + 1);
            if (size > Integer.MAX_VALUE) {
                throw new ShapeException("a padding of " + before + " before, " + after + " after and spacing " + step
                        + " makes an axis of " + size + " elements, more than a tensor's axis can hold");
            }
            dims[axis] = (int) size;
        }
        return Shape.of(dims);
    }

    /** {@code a} spread out with zeros: each axis gets zeros before, after, and between elements for a spacing above 1. */
    public static Tensor pad(Tensor a, int[] pad) {
        Shape shape = padShape(a.shape(), pad);
        double[] out = new double[shape.size()];
        int[] placed = flat(shape, sliceOf(a.shape(), pad));
        for (int i = 0; i < placed.length; i++) {
            out[placed[i]] += a.get(i);
        }
        return Tensor.of(shape, out);
    }

    /** The slice of a padded value where the elements of {@code a} are (every axis kept). */
    public static int[] sliceOf(Shape a, int[] pad) {
        int[] index = new int[FIELDS * a.rank()];
        for (int axis = 0; axis < a.rank(); axis++) {
            int before = pad[PAD_FIELDS * axis];
            int step = pad[PAD_FIELDS * axis + 2];
            int n = a.dim(axis);
            index[FIELDS * axis] = before;
            index[FIELDS * axis + 1] = n == 0 ? before : before + (n - 1) * step + 1;
            index[FIELDS * axis + 2] = step;
            index[FIELDS * axis + 3] = 1;
        }
        return index;
    }

    /**
     * The padding that puts {@code of[index]} back where it came from in zeros of {@code of}'s
     * shape, once dropped axes are given back as axes of 1.
     */
    public static int[] padFor(Shape of, int[] index) {
        int[] pad = new int[PAD_FIELDS * of.rank()];
        for (int axis = 0; axis < of.rank(); axis++) {
            int start = index[FIELDS * axis];
            int step = index[FIELDS * axis + 2];
            int count = length(start, index[FIELDS * axis + 1], step);
            int end = count == 0 ? start : start + (count - 1) * step + 1;
            pad[PAD_FIELDS * axis] = count == 0 ? of.dim(axis) : start;
            pad[PAD_FIELDS * axis + 1] = count == 0 ? 0 : of.dim(axis) - end;
            pad[PAD_FIELDS * axis + 2] = step;
        }
        return pad;
    }

    /** The shape of {@code of[index]} with its dropped axes given back as axes of 1. */
    public static Shape keptShape(Shape of, int[] index) {
        int[] dims = new int[of.rank()];
        for (int axis = 0; axis < dims.length; axis++) {
            dims[axis] = index[FIELDS * axis + 3] == 1
                    ? length(index[FIELDS * axis], index[FIELDS * axis + 1], index[FIELDS * axis + 2]) : 1;
        }
        return Shape.of(dims);
    }

    /** A whole axis, {@code :}, for each axis of {@code shape}. */
    public static int[] all(Shape shape) {
        int[] index = new int[FIELDS * shape.rank()];
        for (int axis = 0; axis < shape.rank(); axis++) {
            System.arraycopy(slice(0, shape.dim(axis), 1), 0, index, FIELDS * axis, FIELDS);
        }
        return index;
    }

    /** {@code index} with axis {@code axis} replaced by {@code on}. */
    public static int[] with(int[] index, int axis, int[] on) {
        int[] copy = Arrays.copyOf(index, index.length);
        System.arraycopy(on, 0, copy, FIELDS * axis, FIELDS);
        return copy;
    }
}
