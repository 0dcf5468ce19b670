/**
 * Reverse-mode differentiation. {@link dev.chainrule.autodiff.Forward} computes values in id
 * (topological) order and reports the first node whose value leaves the real numbers;
 * {@link dev.chainrule.autodiff.ReverseSweep} walks the graph backward once, asking each node's
 * {@link dev.chainrule.graph.op.Op} for its vector-Jacobian product and summing contributions over
 * consumers. The sweep is generic over an {@link dev.chainrule.graph.op.Algebra}: with
 * {@link dev.chainrule.autodiff.NumericAlgebra} it yields numeric gradients, with
 * {@link dev.chainrule.autodiff.SymbolicAlgebra} simplified gradient graphs that can be
 * differentiated again. {@link dev.chainrule.autodiff.Tape} lowers a graph of scalars to flat
 * arrays swept by loops, with the rules recorded from the same table, and
 * {@code TapeCompiler} turns a tape swept often (training) into
 * straight-line bytecode the JIT compiles, bit for bit the interpreter's numbers;
 * {@link dev.chainrule.autodiff.Sweeps} picks tape or graph for training and gradients, and
 * {@link dev.chainrule.autodiff.Anomalies} names the node where a gradient stops being finite.
 * {@link dev.chainrule.autodiff.LocalDerivatives} gives the local derivative of one edge as
 * numbers, from the same rules, for drawings.
 */
package dev.chainrule.autodiff;
