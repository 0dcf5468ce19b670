package dev.chainrule.check;

import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apache.commons.math3.analysis.differentiation.FiniteDifferencesDifferentiator;

/**
 * Compares reverse-mode gradients with finite differences.
 *
 * <p>The deciding estimate is a 5-point central stencil (error of order h^4), with the step
 * {@code h = 10^-3 · max(1, |x|)}: small enough that truncation error is near 1e-12 for smooth
 * models, large enough that rounding error stays near 1e-13. The two-point central difference
 * uses {@code h = eps^(1/3) · max(1, |x|)} and is reported alongside.
 */
public final class GradientCheck {
    /** Default relative tolerance: far below the error of any wrong rule, above stencil noise. */
    public static final double DEFAULT_RTOL = 1e-6;
    /** Default absolute tolerance, for gradients that are (nearly) zero. */
    public static final double DEFAULT_ATOL = 1e-9;

    private static final int STENCIL_POINTS = 5;
    private static final double STENCIL_STEP = 1e-3;
    private static final double CENTRAL_STEP = Math.cbrt(Math.ulp(1.0));

    private final Graph graph;
    private final double[] leafValues;

    /**
     * @param leafValues the live leaf values; leaves are moved during the check and restored
     */
    public GradientCheck(Graph graph, double[] leafValues) {
        this.graph = graph;
        this.leafValues = leafValues;
    }

    public CheckReport check(Node of, String label, List<Node> wrt, double rtol, double atol) {
        BitSet reach = graph.reachableFrom(of);
        double[] values = Forward.values(graph, leafValues, reach);
        double[] analytic = Gradients.numeric(graph, values, of, wrt);
        List<CheckReport.Entry> entries = new ArrayList<>();
        for (int i = 0; i < wrt.size(); i++) {
            entries.add(entry(of, wrt.get(i), analytic[i], reach, rtol, atol));
        }
        return new CheckReport(label, rtol, atol, entries);
    }

    private CheckReport.Entry entry(Node of, Node leaf, double analytic, BitSet reach, double rtol, double atol) {
        int index = leaf.leafIndex();
        double x = leafValues[index];
        double scale = Math.max(1, Math.abs(x));
        UnivariateFunction f = t -> {
            leafValues[index] = t;
            return Forward.values(graph, leafValues, reach)[of.id()];
        };
        double numeric;
        double central;
        String note = null;
        try {
            FiniteDifferencesDifferentiator stencil =
                    new FiniteDifferencesDifferentiator(STENCIL_POINTS, STENCIL_STEP * scale);
            numeric = stencil.differentiate(f).value(new DerivativeStructure(1, 1, 0, x)).getPartialDerivative(1);
            double h = CENTRAL_STEP * scale;
            central = (f.value(x + h) - f.value(x - h)) / (2 * h);
        } catch (ChainException e) {
            numeric = Double.NaN;
            central = Double.NaN;
            note = "the model cannot be evaluated near " + leaf.leafName() + " = " + x + ": " + e.getMessage();
        } finally {
            leafValues[index] = x;
        }
        double abs = Math.abs(analytic - numeric);
        double magnitude = Math.max(Math.abs(analytic), Math.abs(numeric));
        double rel = magnitude == 0 ? abs : abs / magnitude;
        boolean ok = abs <= atol + rtol * magnitude;
        return new CheckReport.Entry(leaf.leafName(), analytic, numeric, central, abs, rel, ok, note);
    }
}
