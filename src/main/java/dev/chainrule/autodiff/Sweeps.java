package dev.chainrule.autodiff;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;
import java.util.List;

/**
 * The value of a scalar root and its gradient, swept as often as needed: on a {@link Tape} when
 * everything under the root is a scalar, on the graph otherwise. The wrt leaves are read as one
 * flat vector (each leaf's elements in row-major order, leaf after leaf), so that training can
 * keep them in one array and the tape path allocates nothing per step. A value that is not finite
 * is evaluated once more on the graph, whose forward sweep names the node and the reason.
 */
public abstract class Sweeps {
    protected final Graph graph;
    protected final Tensor[] leafValues;
    protected final Node root;
    protected final List<Node> wrt;
    /** The leaf indices of the wrt leaves. */
    protected final BitSet wrtLeaves = new BitSet();
    private final int[] offsets;

    private Sweeps(Graph graph, Tensor[] leafValues, Node root, List<Node> wrt) {
        this.graph = graph;
        this.leafValues = leafValues;
        this.root = root;
        this.wrt = wrt;
        this.offsets = new int[wrt.size() + 1];
        for (int i = 0; i < wrt.size(); i++) {
            offsets[i + 1] = offsets[i] + wrt.get(i).shape().size();
            wrtLeaves.set(wrt.get(i).leafIndex());
        }
    }

    /** Leaf {@code i} of wrt from a flat vector, as a tensor of its shape. */
    private Tensor slice(double[] flat, int i) {
        return Tensor.of(wrt.get(i).shape(), java.util.Arrays.copyOfRange(flat, offsets[i], offsets[i + 1]));
    }

    /**
     * Sweeps of {@code root} with respect to {@code wrt} over the live {@code leafValues}: the
     * inputs are read from it at each forward sweep, the wrt leaves once here and then from
     * {@link #setParams}.
     */
    public static Sweeps of(Graph graph, Tensor[] leafValues, Node root, List<Node> wrt) {
        Tape tape = wrt.stream().allMatch(w -> w.shape().isScalar()) ? Tape.compile(graph, root, wrt) : null;
        return tape != null ? new OnTape(graph, leafValues, root, wrt, tape) : new OnGraph(graph, leafValues, root, wrt);
    }

    /** The number of wrt elements: the length of the flat vectors. */
    public final int flatSize() {
        return offsets[offsets.length - 1];
    }

    /** The current wrt values as one flat vector. */
    public final double[] params() {
        double[] flat = new double[flatSize()];
        for (int i = 0; i < wrt.size(); i++) {
            Tensor t = leafValues[wrt.get(i).leafIndex()];
            for (int e = 0; e < t.size(); e++) {
                flat[offsets[i] + e] = t.get(e);
            }
        }
        return flat;
    }

    /** Sets the wrt leaves from a flat vector for the next {@link #forward}. */
    public abstract void setParams(double[] flat);

    /** Writes the wrt leaves from a flat vector back into the leaf values, as tensors. */
    public final void store(double[] flat) {
        for (int i = 0; i < wrt.size(); i++) {
            leafValues[wrt.get(i).leafIndex()] = slice(flat, i);
        }
    }

    /** The root's value at the current values. */
    public abstract double forward();

    /**
     * The gradient after {@link #forward}, written into a flat vector.
     *
     * @throws dev.chainrule.diag.ChainException (runtime) naming the first node of the backward
     *         sweep that made the gradient infinite or NaN from finite numbers
     */
    public final void backward(double[] flatGradient) {
        sweepBack(flatGradient);
        for (double g : flatGradient) {
            if (!Double.isFinite(g)) {
                Anomalies.backward(graph, values(), root, wrt);
                return;
            }
        }
    }

    /** The backward sweep proper. */
    abstract void sweepBack(double[] flatGradient);

    /** The values of the graph's nodes at the current values, for reports. */
    abstract Tensor[] values();

    /**
     * The wrt leaves and the inputs under the root that hold an infinite or NaN element, by name,
     * with the wrt values taken from {@code flat}.
     */
    public final List<String> nonFinite(double[] flat) {
        List<String> names = new java.util.ArrayList<>();
        BitSet reach = graph.reachableFrom(root);
        for (int i = 0; i < wrt.size(); i++) {
            for (int e = offsets[i]; e < offsets[i + 1]; e++) {
                if (!Double.isFinite(flat[e])) {
                    names.add(wrt.get(i).leafName());
                    break;
                }
            }
        }
        for (Node leaf : graph.leaves()) {
            if (!wrtLeaves.get(leaf.leafIndex()) && reach.get(leaf.id()) && !leafValues[leaf.leafIndex()].allFinite()) {
                names.add(leaf.leafName());
            }
        }
        return names;
    }

    /** The gradient after {@link #forward}, one tensor per wrt leaf in its shape. */
    public final Tensor[] backward() {
        double[] flat = new double[flatSize()];
        backward(flat);
        Tensor[] gradient = new Tensor[wrt.size()];
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = slice(flat, i);
        }
        return gradient;
    }

    private static final class OnTape extends Sweeps {
        private final Tape tape;
        private final int[] inputs;
        /** The leaf index of each wrt leaf, for setting params once a step. */
        private final int[] wrtIndex;
        private final double[] current;

        OnTape(Graph graph, Tensor[] leafValues, Node root, List<Node> wrt, Tape tape) {
            super(graph, leafValues, root, wrt);
            this.tape = tape;
            this.inputs = java.util.stream.IntStream.range(0, graph.leaves().size()).filter(i -> !wrtLeaves.get(i) && tape.uses(i)).toArray();
            this.wrtIndex = wrt.stream().mapToInt(Node::leafIndex).toArray();
            this.current = params();
            setParams(current);
        }

        @Override
        public void setParams(double[] flat) {
            for (int i = 0; i < flat.length; i++) {
                tape.setLeaf(wrtIndex[i], flat[i]);
            }
            if (flat != current) {
                System.arraycopy(flat, 0, current, 0, flat.length);
            }
        }

        @Override
        public double forward() {
            for (int leaf : inputs) {
                tape.setLeaf(leaf, leafValues[leaf].item());
            }
            double value = tape.forward();
            if (Double.isFinite(value)) {
                return value;
            }
            // a value that is not finite goes through the graph, whose forward sweep names the node
            return values()[root.id()].item();
        }

        @Override
        void sweepBack(double[] flatGradient) {
            tape.backward(flatGradient);
        }

        @Override
        Tensor[] values() {
            store(current);
            return Forward.values(graph, leafValues, root);
        }
    }

    private static final class OnGraph extends Sweeps {
        private final BitSet reach;
        private final BitSet involved;
        private Tensor[] values;

        OnGraph(Graph graph, Tensor[] leafValues, Node root, List<Node> wrt) {
            super(graph, leafValues, root, wrt);
            this.reach = graph.reachableFrom(root);
            this.involved = Gradients.involved(graph, root, wrt);
        }

        @Override
        public void setParams(double[] flat) {
            store(flat);
        }

        @Override
        public double forward() {
            values = Forward.values(graph, leafValues, reach, root);
            return values[root.id()].item();
        }

        @Override
        Tensor[] values() {
            return values;
        }

        @Override
        void sweepBack(double[] flatGradient) {
            Tensor[] gradient = Gradients.numeric(graph, values, root, wrt, involved);
            int at = 0;
            for (Tensor g : gradient) {
                for (int e = 0; e < g.size(); e++) {
                    flatGradient[at++] = g.get(e);
                }
            }
        }
    }
}
