package dev.chainrule.explain;

import dev.chainrule.graph.Node;
import java.util.List;

/**
 * The chain-rule expansion of {@code ∂of/∂wrt}: equations from the variable up to the target, and
 * the local derivatives they are made of, each with its value.
 *
 * @param of        the target's name (or its expression text)
 * @param wrt       the leaf's name
 * @param value     the target's value
 * @param gradient  {@code ∂of/∂wrt}
 * @param equations the first defines {@code ∂of/∂wrt}; each later one defines a total derivative
 *                  used by an earlier one; empty when the target does not depend on the leaf
 * @param factors   every local derivative used, in order of first use
 */
public record Explanation(String of, String wrt, double value, double gradient, List<Equation> equations,
                          List<Factor> factors) {

    /** True when the target does not depend on the leaf (the gradient is 0 with no path). */
    public boolean independent() {
        return equations.isEmpty();
    }

    /** A local derivative {@code ∂numerator/∂denominator} through one named node's definition. */
    public record Factor(String numerator, String denominator, Node expression, double value) {
    }

    /** A factor of a term: a local derivative, or the total derivative of the target by a node. */
    public sealed interface Part {
        double value();
    }

    public record Local(Factor factor) implements Part {
        @Override
        public double value() {
            return factor.value();
        }
    }

    /** {@code ∂of/∂node}, defined by another equation of the explanation. */
    public record Total(String node, double value) implements Part {
    }

    /** One path's product of factors. */
    public record Term(List<Part> parts, double value) {
    }

    /**
     * {@code ∂of/∂node} as a sum of terms, one per consumer of the node (a single term when the
     * node feeds one other).
     *
     * @param consumers names of the nodes this one feeds, when there are several
     */
    public record Equation(String node, List<Term> terms, double value, List<String> consumers) {
    }
}
