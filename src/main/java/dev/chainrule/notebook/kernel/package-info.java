/**
 * The Jupyter kernel: jjava-jupyter speaks the messaging protocol (ZeroMQ framing, HMAC
 * signatures); {@link dev.chainrule.notebook.kernel.ChainKernel} answers execute, complete,
 * inspect and is-complete requests from a {@link dev.chainrule.notebook.CellSession};
 * {@link dev.chainrule.notebook.kernel.KernelSpec} installs the kernelspec that starts it from the jar.
 */
package dev.chainrule.notebook.kernel;
