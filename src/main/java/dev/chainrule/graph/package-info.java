/**
 * The computational graph. A {@link dev.chainrule.graph.Graph} owns immutable
 * {@link dev.chainrule.graph.Node}s, interned so that structurally identical expressions are one
 * node ({@code InternTable}); a node's inputs always have smaller ids, so id order is a
 * topological order and every traversal is a loop, never recursion. Every node is held to the
 * graph's {@link dev.chainrule.graph.Limits} when it is made. What each operation is and does
 * lives in the op table ({@code graph.op}); how derivatives are simplified as they are built, in
 * {@code graph.rewrite}; values and their kernels, in {@code tensor}.
 */
package dev.chainrule.graph;
