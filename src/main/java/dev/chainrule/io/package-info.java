/**
 * The files chainrule reads and writes, and the rules they follow. A path a model names (a
 * {@code csv(...)} to read, a {@code plot ... to} to write) is resolved inside one folder, the
 * model's own or {@code --out}, and refused when it leads outside it by {@code ..}, an absolute
 * path or a symbolic link ({@link dev.chainrule.io.Confinement}). Files are read from regular files
 * only, with a cap on their size, so a FIFO or a device never hangs a read
 * ({@link dev.chainrule.io.BoundedRead}); they are written whole or not at all, through a
 * temporary file created without following links and moved into place atomically, and an existing
 * file is replaced only when it is of the kind chainrule writes there ({@link dev.chainrule.io.SafeWrite}).
 */
package dev.chainrule.io;
