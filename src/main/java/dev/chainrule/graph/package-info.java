/**
 * The computational graph and the table of operations. A {@link dev.chainrule.graph.Graph} owns
 * immutable {@link dev.chainrule.graph.Node}s, interned so that structurally identical expressions
 * are one node; a node's inputs always have smaller ids, so id order is a topological order and
 * every traversal is a loop, never recursion. {@link dev.chainrule.graph.Op} is the single source
 * of truth for each operation: its value, its local partial derivatives (written against an
 * {@link dev.chainrule.graph.Algebra}, so the same rule yields numbers or graph nodes), and its
 * notation in every printer. {@link dev.chainrule.graph.Simplifier} holds the rewrite rules used
 * when derivatives are built as graphs; {@link dev.chainrule.graph.Limits} caps the size of a tensor.
 * {@link dev.chainrule.graph.Tensor} values are computed by kernels: the matrix product in
 * {@code MatrixProduct}, and each element-wise op's loops in a copy of
 * {@code ElementwiseLoops} made for that op alone
 * ({@code ElementwiseKernels}).
 */
package dev.chainrule.graph;
