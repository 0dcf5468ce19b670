package dev.chainrule.check;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.autodiff.Tape;
import dev.chainrule.diag.Stopped;
import dev.chainrule.diag.Progress;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.print.Tensors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Compares reverse-mode gradients with finite differences.
 *
 * <p>The deciding estimate is Richardson extrapolation of central differences (Ridders' method),
 * starting from the step {@code h = 0.05 · max(1, |x|)} (halved while the model cannot be
 * evaluated that far away) and shrinking it until the extrapolation stops improving. When the
 * extrapolation's own error estimate stays large (a kink or a domain edge within reach of the
 * first step), it starts again from a step ten times smaller, up to four starts, and keeps the
 * estimate with the smallest error estimate, which is reported. A fixed 5-point stencil was tried first and failed real, correct gradients
 * of rapidly varying functions (a relative error near 1e-5 at step 1e-3), so the step adapts. The
 * two-point central difference with {@code h = eps^(1/3) · max(1, |x|)} is reported alongside.
 */
public final class GradientCheck {
    /** Default relative tolerance: far below the error of any wrong rule, above stencil noise. */
    public static final double DEFAULT_RTOL = 1e-6;
    /** Default absolute tolerance, for gradients that are (nearly) zero. */
    public static final double DEFAULT_ATOL = 1e-9;

    private static final double FIRST_STEP = 0.05;
    private static final long SAMPLE_SEED = 1;
    private static final int STEP_HALVINGS = 30;
    /** Starting steps tried, each a tenth of the last, when the extrapolation reports a large error. */
    private static final int STARTS = 4;
    /** An error estimate this small (relative) ends the search for a better starting step. */
    private static final double GOOD_ENOUGH = 1e-12;
    private static final double CENTRAL_STEP = Math.cbrt(Math.ulp(1.0));

    private final Graph graph;
    private final Tensor[] leafValues;

    /**
     * @param leafValues the live leaf values; leaves are moved during the check and restored
     */
    public GradientCheck(Graph graph, Tensor[] leafValues) {
        this.graph = graph;
        this.leafValues = leafValues;
    }

    /** Checks every element of every leaf of {@code wrt}; {@code of} must be a scalar. */
    public CheckReport check(Node of, String label, List<Node> wrt, double rtol, double atol) {
        return check(of, label, wrt, rtol, atol, 0);
    }

    /**
     * Checks the elements of the leaves of {@code wrt}: all of them, or, when there are more than
     * {@code samples} (and it is above 0), a sample of that many drawn with a fixed seed, so the
     * same elements are checked on every run.
     */
    public CheckReport check(Node of, String label, List<Node> wrt, double rtol, double atol, int samples) {
        return check(of, label, wrt, rtol, atol, samples, Progress.NONE);
    }

    /** Elements checked before the time of the whole check is estimated. */
    private static final int ESTIMATE_AFTER = 20;
    /** An estimated check longer than this, in seconds, is told that {@code --samples} exists. */
    static final double LONG_SECONDS = 10;
    /** The estimate above which the note is given (tests lower it). */
    double longSeconds = LONG_SECONDS;

    /**
     * As {@link #check(Node, String, List, double, double, int)}, telling {@code progress} about
     * each element, and, when the whole check looks long, that a sample is quicker. A model of
     * scalars is evaluated on its tape, the graph's own numbers bit for bit; the graph is asked
     * only where a value is not finite, for the diagnostic.
     *
     * @throws dev.chainrule.diag.Stopped when the thread is interrupted
     */
    public CheckReport check(Node of, String label, List<Node> wrt, double rtol, double atol, int samples, Progress progress) {
        return check(of, label, wrt, null, rtol, atol, samples, progress);
    }

    /**
     * As {@link #check(Node, String, List, double, double, int, Progress)}, with {@code only[i]}
     * the one element of leaf {@code i} to check (-1 for all of them); {@code only} null checks all.
     */
    public CheckReport check(Node of, String label, List<Node> wrt, int[] only, double rtol, double atol, int samples,
                             Progress progress) {
        BitSet reach = graph.reachableFrom(of);
        Tensor[] values = Forward.values(graph, leafValues, reach, of);
        Tensor[] analytic = Gradients.numeric(graph, values, of, wrt);
        List<int[]> elements = new ArrayList<>();
        for (int i = 0; i < wrt.size(); i++) {
            if (only != null && only[i] >= 0) {
                elements.add(new int[] {i, only[i]});
                continue;
            }
            for (int element = 0; element < wrt.get(i).shape().size(); element++) {
                elements.add(new int[] {i, element});
            }
        }
        if (samples > 0 && elements.size() > samples) {
            java.util.Collections.shuffle(elements, new java.util.Random(SAMPLE_SEED));
            elements = new ArrayList<>(elements.subList(0, samples));
            elements.sort(java.util.Comparator.<int[]>comparingInt(e -> e[0]).thenComparingInt(e -> e[1]));
        }
        List<CheckReport.Entry> entries = new ArrayList<>();
        Tape tape = wrt.stream().allMatch(w -> w.shape().isScalar()) ? Tape.compile(graph, of, graph.leaves()) : null;
        if (tape != null) {
            tape.forward(leafValues);
        }
        long started = System.nanoTime();
        for (int i = 0; i < elements.size(); i++) {
            int[] e = elements.get(i);
            int done = i;
            int total = elements.size();
            Stopped.check(() -> "check stopped after " + done + " of " + total + " elements");
            entries.add(entry(of, wrt.get(e[0]), e[1], analytic[e[0]].get(e[1]), reach, rtol, atol, tape));
            progress.step(i + 1, total, Double.NaN);
            if (i + 1 == ESTIMATE_AFTER && samples == 0) {
                double seconds = (System.nanoTime() - started) / 1e9 / ESTIMATE_AFTER * total;
                if (seconds > longSeconds) {
                    progress.note(String.format(java.util.Locale.ROOT, "checking all %d elements takes about %.0f s;"
                            + " --samples N checks a seeded sample of N of them", total, seconds));
                }
            }
        }
        CheckReport.Suspect suspect = null;
        if (!entries.stream().allMatch(CheckReport.Entry::ok)) {
            suspect = suspect(of, wrt, values);
        }
        return new CheckReport(label, rtol, atol, entries, suspect);
    }

    /** The first involved node, in evaluation order, whose own rule disagrees with differences at its values. */
    private CheckReport.Suspect suspect(Node of, List<Node> wrt, Tensor[] values) {
        BitSet involved = Gradients.involved(graph, of, wrt);
        for (int id = involved.nextSetBit(0); id >= 0 && id <= of.id(); id = involved.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            if (node.op().kind() == Op.Kind.LEAF) {
                continue;
            }
            RuleCheck.Finding finding = RuleCheck.atNode(node, values);
            if (finding != null) {
                dev.chainrule.diag.Span span = graph.span(node);
                String place = span == null ? null : span.line() + ":" + span.column();
                String text = span == null ? node.op().name().toLowerCase(java.util.Locale.ROOT) : span.text();
                return new CheckReport.Suspect(place, text, finding);
            }
        }
        return null;
    }

    private CheckReport.Entry entry(Node of, Node leaf, int element, double analytic, BitSet reach, double rtol,
                                    double atol, Tape tape) {
        int index = leaf.leafIndex();
        Tensor original = leafValues[index];
        double[] moved = original.toArray();
        double x = moved[element];
        double scale = Math.max(1, Math.abs(x));
        String name = Tensors.element(leaf.leafName(), leaf.shape(), element);
        DoubleUnaryOperator onGraph = t -> {
            moved[element] = t;
            leafValues[index] = Tensor.of(original.shape(), moved.clone());
            return Forward.values(graph, leafValues, reach, of)[of.id()].item();
        };
        DoubleUnaryOperator f = tape == null ? onGraph : t -> {
            tape.setLeaf(index, t);
            double v = tape.forward();
            // the graph names why a value is not finite (and throws), as a domain error in the differences expects
            return Double.isFinite(v) ? v : onGraph.applyAsDouble(t);
        };
        double numeric = Double.NaN;
        double error = Double.NaN;
        double central = Double.NaN;
        String note = null;
        try {
            double h = CENTRAL_STEP * scale;
            central = (f.applyAsDouble(x + h) - f.applyAsDouble(x - h)) / (2 * h);
            double step = FIRST_STEP * scale;
            int starts = 0;
            for (int tries = 0; tries < STEP_HALVINGS && starts < STARTS; tries++) {
                try {
                    Ridders.Estimate estimate = Ridders.derivative(f, x, step);
                    starts++;
                    if (Double.isNaN(numeric) || estimate.error() < error) {
                        numeric = estimate.derivative();
                        error = estimate.error();
                    }
                    if (error <= GOOD_ENOUGH * Math.max(1, Math.abs(numeric))) {
                        break;
                    }
                    step /= 10;
                } catch (ChainException outOfDomain) {
                    step /= 2;
                }
            }
            if (Double.isNaN(numeric)) {
                note = "the model cannot be evaluated near " + name + " = " + x;
            }
        } catch (ChainException e) {
            note = "the model cannot be evaluated near " + name + " = " + x + ": " + e.getMessage();
        } finally {
            leafValues[index] = original;
            if (tape != null) {
                tape.setLeaf(index, x);
            }
        }
        double abs = Math.abs(analytic - numeric);
        double magnitude = Math.max(Math.abs(analytic), Math.abs(numeric));
        double rel = magnitude == 0 ? abs : abs / magnitude;
        boolean ok = abs <= atol + rtol * magnitude;
        return new CheckReport.Entry(name, analytic, numeric, error, central, abs, rel, ok, note);
    }
}
