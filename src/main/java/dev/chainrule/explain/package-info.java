/**
 * Chain-rule explanations in the tutorials' manner. {@link dev.chainrule.explain.Explainer} reads
 * the graph through the user's names: each named node's local derivatives with respect to the
 * named nodes in its definition (unnamed subexpressions folded in, simplified symbolically), the
 * chain of factors from the target down to the variable, and a sum over consumers wherever a node
 * feeds several others. {@link dev.chainrule.explain.ExplanationPrinter} writes the resulting
 * {@link dev.chainrule.explain.Explanation} as Unicode text, ASCII, LaTeX or Markdown. A model
 * with tensors is explained weight by weight in its scalar view ({@link dev.chainrule.explain.Unrolled},
 * written out by each op's own expansion), or layer by layer with deltas ({@code LayerExplainer}).
 * {@link dev.chainrule.explain.Paths} is the picture of an explanation: the paths from a node to the
 * target in a drawing of the graph, each edge with its local derivative.
 */
package dev.chainrule.explain;
