/**
 * Values and their kernels. A {@link dev.chainrule.tensor.Shape} counts its elements exactly (64
 * bits, saturating); a {@link dev.chainrule.tensor.Tensor} is a shape and its elements in one flat
 * array, computed by loops: the matrix product ({@code MatrixProduct}), each element-wise
 * function's loops in a hidden copy made for it alone ({@code ElementwiseKernels}), indexing
 * ({@link dev.chainrule.tensor.Indexing}) and the shape rules the kernels share
 * ({@link dev.chainrule.tensor.Shapes}). Nothing here knows graphs or derivatives.
 */
package dev.chainrule.tensor;
