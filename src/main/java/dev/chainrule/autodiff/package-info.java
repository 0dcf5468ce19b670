/**
 * Reverse-mode differentiation. {@link dev.chainrule.autodiff.Forward} computes values in id
 * (topological) order and reports the first node that leaves the domain of its operation;
 * {@link dev.chainrule.autodiff.ReverseSweep} walks the graph backward once, asking each node's
 * {@link dev.chainrule.graph.Op} for its local partial derivatives and summing contributions over
 * consumers. The sweep is generic over an {@link dev.chainrule.graph.Algebra}: with
 * {@link dev.chainrule.autodiff.DoubleAlgebra} it yields numeric gradients and builds no nodes;
 * with {@link dev.chainrule.autodiff.SymbolicAlgebra} it builds simplified gradient graphs that can
 * be differentiated again.
 */
package dev.chainrule.autodiff;
