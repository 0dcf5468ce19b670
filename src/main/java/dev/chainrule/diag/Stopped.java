package dev.chainrule.diag;

/**
 * A statement the user stopped (Ctrl-C at the prompt, interrupt in a notebook) before it
 * finished. Not a mistake: the message says how far it got and what the model keeps.
 */
public final class Stopped extends RuntimeException {
    public Stopped(String message) {
        super(message);
    }

    /**
     * Throws if the current thread was asked to stop (its interrupt flag, which this clears).
     *
     * @param where how far the statement got, in words
     */
    public static void check(java.util.function.Supplier<String> where) {
        if (Thread.interrupted()) {
            throw new Stopped(where.get());
        }
    }
}
