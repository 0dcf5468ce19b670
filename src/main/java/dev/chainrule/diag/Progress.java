package dev.chainrule.diag;

/**
 * Hears about a long statement as it runs: each training step, each element a check compares.
 * The command line and the REPL draw a progress bar from it on a terminal.
 */
@FunctionalInterface
public interface Progress {
    /** Nothing to report to. */
    Progress NONE = (done, total, loss) -> { };

    /**
     * @param done  units done so far (1 to total): steps trained, elements checked
     * @param total units in all
     * @param loss  the loss before this step, or NaN where there is none (a check)
     */
    void step(int done, int total, double loss);

    /** A remark for the person waiting, such as a faster way to the same answer; shown once. */
    default void note(String remark) {
    }
}
