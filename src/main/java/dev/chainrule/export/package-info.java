/**
 * Gradients as code: a model's forward pass and reverse sweep written as straight-line source in
 * the model's own names, for Java, NumPy, PyTorch, C and LaTeX. {@link dev.chainrule.export.Program}
 * is the one account of what is computed (the forward nodes, and the adjoints the symbolic
 * backward sweep builds from the op table's rules, each backward line with the chain-rule step it
 * takes, in the words {@code explain} uses); {@link dev.chainrule.export.Spelling} is how each
 * target writes each operation; {@link dev.chainrule.export.Exporter} lays a program out as a
 * module, class, header or document. Nothing here computes a derivative of its own.
 */
package dev.chainrule.export;
