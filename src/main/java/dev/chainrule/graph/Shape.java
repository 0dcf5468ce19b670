package dev.chainrule.graph;

import java.util.Arrays;

/**
 * The shape of a node's value. Every node is a scalar for now; the type exists so that tensors
 * extend nodes rather than replace them.
 */
public final class Shape {
    /** The shape of a single number. */
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public int rank() {
        return dims.length;
    }

    public boolean isScalar() {
        return dims.length == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return isScalar() ? "scalar" : Arrays.toString(dims);
    }
}
