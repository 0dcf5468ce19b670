package dev.chainrule.graph;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.ShapeException;

/**
 * How large one model may grow: the most elements of one tensor and the most nodes of its graph.
 * Limits travel with a model (each {@link Graph} has its own), so two models built at the same
 * time, in two threads, each keep their own. Every node is checked when it is made, before any
 * value of its size is allocated, and places that allocate before a node exists (initialisers,
 * {@code onehot}, data files) ask {@link #requireElements} first: a typo such as
 * {@code normal(100000, 100000, seed=1)} is a message naming the limit, not an out-of-memory
 * crash.
 *
 * @param maxElements the most elements of one tensor ({@code --max-elements})
 * @param maxNodes    the most nodes of one graph ({@code --max-nodes})
 */
public record Limits(long maxElements, long maxNodes) {
    /**
     * The default cap on elements: 2^28, 2 GiB of doubles, so that a few tensors of that size and
     * their gradients fit the heap Java gives itself by default on a 24 GB machine.
     */
    public static final long DEFAULT_MAX_ELEMENTS = 1L << 28;
    /** The most any cap on elements may allow: Java arrays hold fewer than 2^31 elements. */
    public static final long HARD_MAX_ELEMENTS = Shape.MAX_ELEMENTS;
    /**
     * The default cap on nodes: 2^25 (33 million), several times the largest graphs measured
     * (10^6-line models) and well inside the default heap at the bytes a node takes.
     */
    public static final long DEFAULT_MAX_NODES = 1L << 25;
    /** The most any cap on nodes may allow: node ids are ints. */
    public static final long HARD_MAX_NODES = Integer.MAX_VALUE - 8;

    /** The default limits. */
    public static final Limits DEFAULT = new Limits(DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_NODES);

    /**
     * @throws IllegalArgumentException unless {@code 1 <= maxElements <= HARD_MAX_ELEMENTS} and
     *                                  {@code 1 <= maxNodes <= HARD_MAX_NODES}
     */
    public Limits {
        if (maxElements < 1 || maxElements > HARD_MAX_ELEMENTS) {
            throw new IllegalArgumentException("the cap on elements is between 1 and " + HARD_MAX_ELEMENTS + ", not " + maxElements);
        }
        if (maxNodes < 1 || maxNodes > HARD_MAX_NODES) {
            throw new IllegalArgumentException("the cap on nodes is between 1 and " + HARD_MAX_NODES + ", not " + maxNodes);
        }
    }

    /** These limits with another cap on elements. */
    public Limits withMaxElements(long cap) {
        return new Limits(cap, maxNodes);
    }

    /** These limits with another cap on nodes. */
    public Limits withMaxNodes(long cap) {
        return new Limits(maxElements, cap);
    }

    /**
     * Refuses a shape with more elements than the cap, before anything of that size is made.
     *
     * @throws ShapeException naming the element count and the limit
     */
    public void requireElements(Shape shape) {
        if (shape.elements() > maxElements) {
            throw new ShapeException("a value of " + shape.product() + " elements is more than the limit of "
                    + maxElements + " (--max-elements)");
        }
    }

    /**
     * Refuses a count of elements (rows × columns of a file, points of a generator) above the cap.
     *
     * @param what the elements counted, in words ("20000000 points of 2 coordinates")
     * @throws ShapeException naming the count and the limit
     */
    public void requireElements(long count, String what) {
        if (count > maxElements) {
            throw new ShapeException(what + " are more than the limit of " + maxElements + " elements (--max-elements)");
        }
    }

    /**
     * Refuses a graph that would grow past the cap on nodes.
     *
     * @throws ShapeException naming the limit
     */
    public void requireNodes(long nodes) {
        if (nodes > maxNodes) {
            throw new ShapeException("the model's graph would grow past the limit of " + maxNodes + " nodes (--max-nodes)");
        }
    }
}
