package dev.chainrule.check;

import java.util.List;

/**
 * The outcome of a gradient check.
 *
 * @param of      the target's name or expression text
 * @param rtol    relative tolerance used
 * @param atol    absolute tolerance used
 * @param entries one per leaf checked, in the order asked
 * @param suspect when some entry disagrees: the first node (in evaluation order) whose local
 *                derivative disagrees with differences of its own value, or null when every
 *                node's rule agrees there
 */
public record CheckReport(String of, double rtol, double atol, List<Entry> entries, Suspect suspect) {

    /**
     * A node whose rule disagrees with differences at the values it has in this check.
     *
     * @param place   where the node is written ({@code line:col}), or null for a node the engine made
     * @param text    the node's source text, or its op's name
     * @param finding the rule's and the differences' numbers
     */
    public record Suspect(String place, String text, RuleCheck.Finding finding) {
    }

    /**
     * One leaf's comparison.
     *
     * @param analytic reverse mode's gradient
     * @param numeric  the extrapolated finite-difference estimate, which decides {@code ok}
     * @param numericError the extrapolation's own estimate of its error
     * @param central  the two-point central difference, shown for comparison
     * @param absError {@code |analytic - numeric|}
     * @param relError {@code absError / max(|analytic|, |numeric|)}, 0 when both are 0
     * @param ok       {@code absError <= atol + rtol · max(|analytic|, |numeric|)}
     * @param note     why the numeric estimate could not be made, or null
     */
    public record Entry(String wrt, double analytic, double numeric, double numericError, double central, double absError,
                        double relError, boolean ok, String note) {
    }

    /** True when every entry agrees. */
    public boolean ok() {
        return entries.stream().allMatch(Entry::ok);
    }

    public double maxAbsError() {
        return entries.stream().mapToDouble(Entry::absError).max().orElse(0);
    }

    public double maxRelError() {
        return entries.stream().mapToDouble(Entry::relError).max().orElse(0);
    }
}
