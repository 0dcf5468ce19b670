package dev.chainrule.tensor;

/**
 * A function applied element by element: the value of one or two elements. The element-wise
 * operations of the op table are these; the kernels ({@link Tensor#map}, {@link Tensor#zip})
 * run one over whole arrays with loops made for it alone.
 */
public interface Elementwise {
    /** The value at one element; {@code b} is ignored by a function of one argument. */
    double value(double a, double b);

    /** A small number that tells the functions apart (an enum's ordinal): where the kernels keep each one's loops. */
    int ordinal();
}
