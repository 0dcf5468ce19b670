package dev.chainrule.tensor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The loops of each element-wise function: one hidden copy of {@link ElementwiseLoops} per
 * function, made the first time the function runs on a tensor, kept by its ordinal.
 */
final class ElementwiseKernels {
    /** Loops over whole arrays; {@code out} sets the length. */
    interface Loops {
        /** {@code out[i] = op(a[i])}. */
        void map(double[] a, double[] out);

        /** {@code out[i] = op(a[i], b[i])}. */
        void zip(double[] a, double[] b, double[] out);

        /** {@code out[i] = op(a, b[i])}. */
        void zipFirst(double a, double[] b, double[] out);

        /** {@code out[i] = op(a[i], b)}. */
        void zipSecond(double[] a, double b, double[] out);

        /** One operand is a row repeated down the other: {@code a} when {@code rowIsFirst}, else {@code b}. */
        void zipRows(double[] a, double[] b, double[] out, boolean rowIsFirst);

        /** {@code out[i] = op(a[ia[i]], b[ib[i]])}: any broadcast. */
        void zipAt(double[] a, int[] ia, double[] b, int[] ib, double[] out);
    }

    private static final AtomicReferenceArray<Loops> LOOPS = new AtomicReferenceArray<>(256);
    private static final byte[] TEMPLATE = template();

    private ElementwiseKernels() {
    }

    private static byte[] template() {
        try (InputStream in = ElementwiseKernels.class.getResourceAsStream("ElementwiseLoops.class")) {
            if (in == null) {
                throw new IllegalStateException("ElementwiseLoops.class is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("reading ElementwiseLoops.class", e);
        }
    }

    /** The loops of {@code op}, an element-wise operation. */
    static Loops of(Elementwise op) {
        Loops loops = LOOPS.get(op.ordinal());
        if (loops == null) {
            // two threads may both define a copy; one is kept
            LOOPS.compareAndSet(op.ordinal(), null, define(op));
            loops = LOOPS.get(op.ordinal());
        }
        return loops;
    }

    private static Loops define(Elementwise op) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClassWithClassData(TEMPLATE, op, true);
            return (Loops) lookup.findConstructor(lookup.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("defining the loops of " + op, e);
        }
    }
}
