package dev.chainrule.tensor;

import java.lang.constant.ConstantDescs;
import java.lang.invoke.MethodHandles;

/**
 * The loops of one element-wise operation over whole arrays: a template, never loaded under its
 * own name. {@link ElementwiseKernels} defines one hidden copy of this class per operation, with
 * the operation as the copy's class data. In each copy {@link #OP} is a constant to the JIT, so
 * {@code OP.value} is inlined into the loop and each copy is profiled and compiled for one
 * operation alone; one loop shared by every operation would make an indirect call per element.
 */
final class ElementwiseLoops implements ElementwiseKernels.Loops {
    private static final Elementwise OP = op();

    private static Elementwise op() {
        try {
            return MethodHandles.classData(MethodHandles.lookup(), ConstantDescs.DEFAULT_NAME, Elementwise.class);
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public void map(double[] a, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = OP.value(a[i], 0);
        }
    }

    @Override
    public void zip(double[] a, double[] b, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = OP.value(a[i], b[i]);
        }
    }

    @Override
    public void zipFirst(double a, double[] b, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = OP.value(a, b[i]);
        }
    }

    @Override
    public void zipSecond(double[] a, double b, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = OP.value(a[i], b);
        }
    }

    @Override
    public void zipRows(double[] a, double[] b, double[] out, boolean rowIsFirst) {
        int n = rowIsFirst ? a.length : b.length;
        for (int r = 0; r < out.length; r += n) {
            for (int c = 0; c < n; c++) {
                out[r + c] = rowIsFirst ? OP.value(a[c], b[r + c]) : OP.value(a[r + c], b[c]);
            }
        }
    }

    @Override
    public void zipAt(double[] a, int[] ia, double[] b, int[] ib, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = OP.value(a[ia[i]], b[ib[i]]);
        }
    }
}
