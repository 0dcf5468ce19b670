package dev.chainrule.io;

/**
 * A file chainrule will not read or write, with the reason in words; the caller reports it at the
 * place in the model (or the flag) that named the file.
 */
public final class FileRefused extends Exception {
    public FileRefused(String message) {
        super(message);
    }
}
