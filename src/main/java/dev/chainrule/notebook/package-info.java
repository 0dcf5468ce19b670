/**
 * Interactive use: a {@link dev.chainrule.notebook.CellSession} runs a model a cell at a time, as
 * a notebook or the kernel feeds it, with names that may be defined again (the latest definition
 * wins and what was built on the old one is rebuilt); {@link dev.chainrule.notebook.Outputs}
 * turns results into Jupyter MIME bundles; {@link dev.chainrule.notebook.Notebooks} runs and checks
 * {@code .ipynb} files in-process with the same session code the kernel uses.
 */
package dev.chainrule.notebook;
