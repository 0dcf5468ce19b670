package dev.chainrule.graph;

/**
 * How large a tensor may be. Every shape is made by {@link Shape#of}, which refuses one of more
 * elements than the cap before anything of that size is allocated, so a typo such as
 * {@code normal(100000, 100000, seed=1)} is a message naming the limit, not an out-of-memory
 * crash. The cap is process-wide (the command line sets it from {@code --max-elements}).
 */
public final class Limits {
    /**
     * The default cap: 2^28 elements, 2 GiB of doubles, so that a few tensors of that size and
     * their gradients fit the heap Java gives itself by default on a 24 GB machine.
     */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 28;
    /** The most any cap may allow: Java arrays hold fewer than 2^31 elements. */
    public static final long HARD_MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static volatile long maxElements = DEFAULT_MAX_ELEMENTS;

    private Limits() {
    }

    /** The current cap on the elements of one tensor. */
    public static long maxElements() {
        return maxElements;
    }

    /**
     * Sets the cap.
     *
     * @throws IllegalArgumentException unless {@code 1 <= cap <= HARD_MAX_ELEMENTS}
     */
    public static void setMaxElements(long cap) {
        if (cap < 1 || cap > HARD_MAX_ELEMENTS) {
            throw new IllegalArgumentException("the cap on elements is between 1 and " + HARD_MAX_ELEMENTS + ", not " + cap);
        }
        maxElements = cap;
    }
}
