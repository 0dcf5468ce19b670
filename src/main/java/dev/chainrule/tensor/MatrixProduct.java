package dev.chainrule.tensor;

import java.util.stream.IntStream;

/**
 * The kernel of the matrix product {@code out = a @ b} on row-major arrays ({@code a} is m × n,
 * {@code b} is n × p). Wide products (p ≥ 32) take four rows of {@code a} at a time against each
 * row of {@code b}, in loops the JIT turns into vector instructions; narrow ones sum each block of
 * 4 × 4 outputs in 16 registers over the whole of {@code k}. Every output is summed in the order k = 0, 1, ...
 * from 0, in every block, edge and thread alike: the result does not depend on the blocking or
 * on the number of threads.
 */
final class MatrixProduct {
    /** Products of at least this many multiply-adds split their row blocks over the cores. */
    private static final long PARALLEL_WORK = 1L << 18;
    private static final int BLOCK = 4;
    /** Products at least this wide take the vector-friendly kernel. */
    private static final int WIDE = 32;

    private MatrixProduct() {
    }

    static double[] multiply(double[] a, double[] b, int m, int n, int p) {
        double[] out = new double[m * p];
        double[][] bRows = p >= WIDE ? rowArrays(b, n, p) : null;
        int blocks = (m + BLOCK - 1) / BLOCK;
        int parts = (long) m * n * p >= PARALLEL_WORK ? Math.min(blocks, 4 * Runtime.getRuntime().availableProcessors()) : 1;
        if (parts > 1) {
            IntStream.range(0, parts).parallel().forEach(part -> products(a, b, bRows, out, n, p,
                    blocks * part / parts * BLOCK, Math.min(m, blocks * (part + 1) / parts * BLOCK)));
        } else {
            products(a, b, bRows, out, n, p, 0, m);
        }
        return out;
    }

    /** The rows of {@code b} as arrays of their own. */
    private static double[][] rowArrays(double[] b, int n, int p) {
        double[][] rows = new double[n][];
        for (int k = 0; k < n; k++) {
            rows[k] = java.util.Arrays.copyOfRange(b, k * p, k * p + p);
        }
        return rows;
    }

    /** Rows {@code from} to {@code to} of the product. */
    private static void products(double[] a, double[] b, double[][] bRows, double[] out, int n, int p, int from, int to) {
        int i = from;
        if (bRows != null) {
            double[][] acc = new double[BLOCK][p];
            for (; i + BLOCK <= to; i += BLOCK) {
                wideBlock(a, bRows, acc, n, i);
                for (int r = 0; r < BLOCK; r++) {
                    System.arraycopy(acc[r], 0, out, (i + r) * p, p);
                }
            }
        } else {
            for (; i + BLOCK <= to; i += BLOCK) {
                int j = 0;
                for (; j + BLOCK <= p; j += BLOCK) {
                    block(a, b, out, n, p, i, j);
                }
                for (int r = i; r < i + BLOCK; r++) {
                    single(a, b, out, n, p, r, j, p);
                }
            }
        }
        for (; i < to; i++) {
            single(a, b, out, n, p, i, 0, p);
        }
    }

    /**
     * Rows {@code i} to {@code i + 3} of the product into {@code acc}, a row of {@code b} at a time:
     * four axpys sharing the loads of that row. Every array is indexed by the loop counter alone,
     * which is what lets the JIT use vector instructions (it cannot tell arrays apart, and two
     * different offsets into what might be one array could overlap).
     */
    private static void wideBlock(double[] a, double[][] bRows, double[][] acc, int n, int i) {
        double[] y0 = acc[0];
        double[] y1 = acc[1];
        double[] y2 = acc[2];
        double[] y3 = acc[3];
        java.util.Arrays.fill(y0, 0);
        java.util.Arrays.fill(y1, 0);
        java.util.Arrays.fill(y2, 0);
        java.util.Arrays.fill(y3, 0);
        int r0 = i * n;
        for (int k = 0; k < n; k++) {
            axpy4(a[r0 + k], a[r0 + n + k], a[r0 + 2 * n + k], a[r0 + 3 * n + k], bRows[k], y0, y1, y2, y3);
        }
    }

    private static void axpy4(double s0, double s1, double s2, double s3, double[] x,
                              double[] y0, double[] y1, double[] y2, double[] y3) {
        for (int j = 0; j < x.length; j++) {
            double xj = x[j];
            y0[j] += s0 * xj;
            y1[j] += s1 * xj;
            y2[j] += s2 * xj;
            y3[j] += s3 * xj;
        }
    }

    /** The 4 × 4 outputs from row {@code i}, column {@code j}. */
    private static void block(double[] a, double[] b, double[] out, int n, int p, int i, int j) {
        int r0 = i * n;
        int r1 = r0 + n;
        int r2 = r1 + n;
        int r3 = r2 + n;
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int k = 0, bk = j; k < n; k++, bk += p) {
            double b0 = b[bk];
            double b1 = b[bk + 1];
            double b2 = b[bk + 2];
            double b3 = b[bk + 3];
            double a0 = a[r0 + k];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            double a1 = a[r1 + k];
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            double a2 = a[r2 + k];
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            double a3 = a[r3 + k];
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
        }
        int o = i * p + j;
        store(out, o, c00, c01, c02, c03);
        store(out, o + p, c10, c11, c12, c13);
        store(out, o + 2 * p, c20, c21, c22, c23);
        store(out, o + 3 * p, c30, c31, c32, c33);
    }

    private static void store(double[] out, int o, double c0, double c1, double c2, double c3) {
        out[o] = c0;
        out[o + 1] = c1;
        out[o + 2] = c2;
        out[o + 3] = c3;
    }

    /** Outputs of row {@code i} from column {@code from} to {@code to}, one at a time. */
    private static void single(double[] a, double[] b, double[] out, int n, int p, int i, int from, int to) {
        for (int j = from; j < to; j++) {
            double c = 0;
            for (int k = 0; k < n; k++) {
                c += a[i * n + k] * b[k * p + j];
            }
            out[i * p + j] = c;
        }
    }
}
