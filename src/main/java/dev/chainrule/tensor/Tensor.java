package dev.chainrule.tensor;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;

/**
 * A value: a shape and its elements in row-major order in one flat array. A scalar is a tensor of
 * one element. Kernels are plain loops over the flat arrays; tensors are never split into one
 * graph node per element. Tensors are treated as immutable once made.
 */
public final class Tensor {
    private final Shape shape;
    private final double[] data;
    /** The transpose, once asked for (a race makes at most a second, equal one). */
    private Tensor transposed;
    private static final int TILE = 16;

    private Tensor(Shape shape, double[] data) {
        if (shape.size() != data.length) {
            throw new IllegalArgumentException("shape " + shape + " holds " + shape.size() + " elements, not " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    public static Tensor scalar(double value) {
        return new Tensor(Shape.SCALAR, new double[] {value});
    }

    /** A tensor over {@code data}, which it keeps (the caller must not change it afterwards). */
    public static Tensor of(Shape shape, double... data) {
        return new Tensor(shape, data);
    }

    public static Tensor filled(Shape shape, double value) {
        double[] data = new double[shape.size()];
        Arrays.fill(data, value);
        return new Tensor(shape, data);
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return data.length;
    }

    /** Element {@code i} in row-major order. */
    public double get(int i) {
        return data[i];
    }

    /** The elements (a copy). */
    public double[] toArray() {
        return data.clone();
    }

    /** The one value of a scalar (or of any one-element tensor). */
    public double item() {
        if (data.length != 1) {
            throw new IllegalStateException("a " + shape + " tensor is not a single number");
        }
        return data[0];
    }

    /**
     * {@code f} applied element-wise with broadcasting.
     *
     * @throws ShapeException when the shapes do not broadcast
     */
    public static Tensor zip(Tensor a, Tensor b, DoubleBinaryOperator f) {
        Shape shape = broadcast(a, b);
        double[] out = new double[shape.size()];
        if (a.shape.equals(shape) && b.shape.equals(shape)) {
            for (int i = 0; i < out.length; i++) {
                out[i] = f.applyAsDouble(a.data[i], b.data[i]);
            }
        } else {
            int[][] at = broadcastIndices(a.shape, b.shape, shape);
            for (int i = 0; i < out.length; i++) {
                out[i] = f.applyAsDouble(a.data[at[0][i]], b.data[at[1][i]]);
            }
        }
        return new Tensor(shape, out);
    }

    /** The element-wise function {@code op} of one input, on every element. */
    public Tensor map(Elementwise op) {
        double[] out = new double[data.length];
        ElementwiseKernels.of(op).map(data, out);
        return new Tensor(shape, out);
    }

    /**
     * The element-wise operation {@code op} of two inputs, with broadcasting, by loops made for
     * {@code op} alone ({@link ElementwiseKernels}).
     *
     * @throws ShapeException when the shapes do not broadcast
     */
    public static Tensor zip(Tensor a, Tensor b, Elementwise op) {
        Shape shape = broadcast(a, b);
        double[] out = new double[shape.size()];
        ElementwiseKernels.Loops loops = ElementwiseKernels.of(op);
        boolean aWhole = a.data.length == out.length;
        boolean bWhole = b.data.length == out.length;
        if (aWhole && bWhole && a.shape.equals(b.shape)) {
            loops.zip(a.data, b.data, out);
        } else if (a.data.length == 1 && bWhole) {
            loops.zipFirst(a.data[0], b.data, out);
        } else if (b.data.length == 1 && aWhole) {
            loops.zipSecond(a.data, b.data[0], out);
        } else if (aWhole && b.shape.isTrailingOf(shape)) {
            loops.zipRows(a.data, b.data, out, false);
        } else if (bWhole && a.shape.isTrailingOf(shape)) {
            loops.zipRows(a.data, b.data, out, true);
        } else {
            int[][] at = broadcastIndices(a.shape, b.shape, shape);
            loops.zipAt(a.data, at[0], b.data, at[1], out);
        }
        return new Tensor(shape, out);
    }

    private static Shape broadcast(Tensor a, Tensor b) {
        Shape shape = Shape.broadcast(a.shape, b.shape);
        if (shape == null) {
            throw new ShapeException("shapes " + a.shape + " and " + b.shape + " do not broadcast");
        }
        return shape;
    }

    /** For each element of {@code shape}, the index of the element of {@code a} and of {@code b} broadcast onto it. */
    private static int[][] broadcastIndices(Shape a, Shape b, Shape shape) {
        int size = shape.size();
        int[] at = new int[size];
        int[] bt = new int[size];
        int[] sa = a.stridesIn(shape);
        int[] sb = b.stridesIn(shape);
        int rank = shape.rank();
        int[] index = new int[rank];
        int ia = 0;
        int ib = 0;
        for (int i = 0; i < size; i++) {
            at[i] = ia;
            bt[i] = ib;
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                ia += sa[d];
                ib += sb[d];
                if (index[d] < shape.dim(d)) {
                    break;
                }
                ia -= sa[d] * shape.dim(d);
                ib -= sb[d] * shape.dim(d);
                index[d] = 0;
            }
        }
        return new int[][] {at, bt};
    }

    /**
     * The sum of this tensor's elements onto {@code target}, a shape that broadcasts to this one:
     * the adjoint of broadcasting.
     */
    public Tensor sumTo(Shape target) {
        if (target.equals(shape)) {
            return this;
        }
        double[] out = new double[target.size()];
        if (target.size() == 1) {
            double sum = 0;
            for (double v : data) {
                sum += v;
            }
            out[0] = sum;
            return new Tensor(target, out);
        }
        int[] strides = target.stridesIn(shape);
        int rank = shape.rank();
        int[] index = new int[rank];
        int j = 0;
        for (int i = 0; i < data.length; i++) {
            out[j] += data[i];
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                j += strides[d];
                if (index[d] < shape.dim(d)) {
                    break;
                }
                j -= strides[d] * shape.dim(d);
                index[d] = 0;
            }
        }
        return new Tensor(target, out);
    }

    /** The same elements in another shape of the same size. */
    public Tensor reshape(Shape to) {
        return new Tensor(to, data);
    }

    /**
     * The transpose of a matrix; vectors and scalars are their own transpose. A tensor keeps its
     * transpose (tensors do not change), so an input transposed at every training step, as the
     * backward sweep of {@code X @ W} does, is transposed once.
     */
    public Tensor transpose() {
        if (shape.rank() < 2) {
            return this;
        }
        Tensor t = transposed;
        if (t == null) {
            int rows = shape.dim(0);
            int cols = shape.dim(1);
            double[] out = new double[data.length];
            // in tiles of 16 × 16, so that both the reads and the scattered writes stay in cache
            for (int r0 = 0; r0 < rows; r0 += TILE) {
                for (int c0 = 0; c0 < cols; c0 += TILE) {
                    for (int r = r0; r < Math.min(rows, r0 + TILE); r++) {
                        for (int c = c0; c < Math.min(cols, c0 + TILE); c++) {
                            out[c * rows + r] = data[r * cols + c];
                        }
                    }
                }
            }
            t = new Tensor(Shape.of(cols, rows), out);
            t.transposed = this;
            transposed = t;
        }
        return t;
    }

    /** The matrix product, with vectors taken as rows or columns as numpy's {@code @} does. */
    public static Tensor matmul(Tensor a, Tensor b) {
        Shape shape = Shapes.matmul(a.shape, b.shape);
        int m = a.shape.rank() == 2 ? a.shape.dim(0) : 1;
        int n = a.shape.dim(a.shape.rank() - 1);
        int p = b.shape.rank() == 2 ? b.shape.dim(1) : 1;
        double[] out = MatrixProduct.multiply(a.data, b.data, m, n, p);
        return new Tensor(shape, out);
    }

    /** The sum over {@code axis}, or over all elements when {@code axis} is -1. */
    public Tensor sum(int axis) {
        if (axis < 0) {
            return sumTo(Shape.SCALAR);
        }
        int[] dims = shape.dims();
        dims[axis] = 1;
        Tensor kept = sumTo(Shape.of(dims));
        return kept.reshape(Shapes.dropAxis(shape, axis));
    }

    /**
     * Applies {@code kernel} to each line of elements along {@code axis} (all elements when
     * {@code axis} is -1): the kernel reads {@code n} elements of {@code in} from {@code offset}
     * with {@code stride} and writes its results the same way into {@code out}.
     */
    private Tensor alongAxis(int axis, Shape outShape, boolean reduces, AxisKernel kernel) {
        int n = axis < 0 ? data.length : shape.dim(axis);
        int inner = 1;
        for (int d = axis + 1; axis >= 0 && d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        int outer = axis < 0 ? 1 : data.length / (n * inner);
        double[] out = new double[outShape.size()];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int offset = o * n * inner + i;
                int outOffset = reduces ? o * inner + i : offset;
                kernel.apply(data, offset, axis < 0 ? 1 : inner, n, out, outOffset);
            }
        }
        return new Tensor(outShape, out);
    }

    @FunctionalInterface
    private interface AxisKernel {
        void apply(double[] in, int offset, int stride, int n, double[] out, int outOffset);
    }

    /** The softmax along {@code axis}, computed after subtracting the line's maximum. */
    public Tensor softmax(int axis) {
        return alongAxis(axis, shape, false, (in, offset, stride, n, out, o) -> {
            double max = lineMax(in, offset, stride, n);
            double sum = 0;
            for (int k = 0; k < n; k++) {
                double e = Math.exp(in[offset + k * stride] - max);
                out[o + k * stride] = e;
                sum += e;
            }
            for (int k = 0; k < n; k++) {
                out[o + k * stride] /= sum;
            }
        });
    }

    /** {@code log(softmax(x))} along {@code axis}, computed as {@code x - logsumexp(x)}. */
    public Tensor logSoftmax(int axis) {
        return alongAxis(axis, shape, false, (in, offset, stride, n, out, o) -> {
            double max = lineMax(in, offset, stride, n);
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += Math.exp(in[offset + k * stride] - max);
            }
            double logSum = Math.log(sum);
            for (int k = 0; k < n; k++) {
                out[o + k * stride] = (in[offset + k * stride] - max) - logSum;
            }
        });
    }

    /** {@code log(sum(exp(x)))} along {@code axis} (that axis removed), without overflow. */
    public Tensor logSumExp(int axis, Shape outShape) {
        return alongAxis(axis, outShape, true, (in, offset, stride, n, out, o) -> out[o] = logSumExp(in, offset, stride, n));
    }

    private static double lineMax(double[] in, int offset, int stride, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, in[offset + k * stride]);
        }
        return max;
    }

    private static double logSumExp(double[] in, int offset, int stride, int n) {
        double max = lineMax(in, offset, stride, n);
        if (Double.isInfinite(max)) {
            return max;
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(in[offset + k * stride] - max);
        }
        return max + Math.log(sum);
    }

    /** True when no element is infinite or NaN. */
    public boolean allFinite() {
        for (double v : data) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** This tensor repeated out to {@code to}, a shape it broadcasts to. */
    public Tensor broadcastTo(Shape to) {
        return shape.equals(to) ? this : zip(this, filled(to, 0), (x, y) -> x);
    }

    /** The flat positions 0, 1, 2, ... laid out in {@code shape}: with kernels, a map of where elements go. */
    public static Tensor positions(Shape shape) {
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = i;
        }
        return new Tensor(shape, data);
    }

    /** The largest element along {@code axis} (of all elements for -1), that axis removed. */
    public Tensor max(int axis, Shape outShape) {
        return alongAxis(axis, outShape, true, (in, offset, stride, n, out, o) -> out[o] = lineMax(in, offset, stride, n));
    }

    /**
     * 1 at the first largest element of each line along {@code axis} (of all elements for -1), 0
     * elsewhere: where the gradient of {@link #max(int, Shape)} goes.
     */
    public Tensor argmaxMask(int axis) {
        return alongAxis(axis, shape, false, (in, offset, stride, n, out, o) -> {
            int best = 0;
            for (int k = 1; k < n; k++) {
                if (in[offset + k * stride] > in[offset + best * stride]) {
                    best = k;
                }
            }
            out[o + best * stride] = 1;
        });
    }

    /** {@code a} and {@code b} joined along {@code axis}: every other dimension must agree. */
    public static Tensor concat(Tensor a, Tensor b, int axis) {
        Shape shape = Shapes.concat(a.shape, b.shape, axis);
        double[] out = new double[shape.size()];
        int inner = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        int na = a.shape.dim(axis) * inner;
        int nb = b.shape.dim(axis) * inner;
        int outer = shape.size() / Math.max(1, na + nb);
        for (int o = 0; o < outer; o++) {
            System.arraycopy(a.data, o * na, out, o * (na + nb), na);
            System.arraycopy(b.data, o * nb, out, o * (na + nb) + na, nb);
        }
        return new Tensor(shape, out);
    }

    /**
     * Each label (a number, or a vector of them) as a row of {@code k} zeros with a 1 at its class.
     *
     * @throws DomainException for a label that is not a whole number from 0 to k - 1
     */
    public static Tensor onehot(Tensor labels, int k) {
        Shape shape = Shapes.onehot(labels.shape, k);
        double[] out = new double[shape.size()];
        for (int i = 0; i < labels.size(); i++) {
            double label = labels.data[i];
            if (!(label >= 0 && label < k && label == Math.rint(label))) {
                throw new DomainException("label " + (label == Math.rint(label) && Math.abs(label) < 1e15 ? String.valueOf((long) label)
                        : String.valueOf(label)) + (labels.shape.isScalar() ? "" : " at [" + i + "]") + " is not one of 0 to " + (k - 1));
            }
            out[i * k + (int) label] = 1;
        }
        return new Tensor(shape, out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tensor t) || !shape.equals(t.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            if (Double.doubleToLongBits(data[i]) != Double.doubleToLongBits(t.data[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = shape.hashCode();
        for (double v : data) {
            long bits = Double.doubleToLongBits(v);
            h = 31 * h + (int) (bits ^ (bits >>> 32));
        }
        return h;
    }

    @Override
    public String toString() {
        return shape.isScalar() ? Double.toString(data[0]) : shape + Arrays.toString(data);
    }
}
