package dev.chainrule.train;

/** Hears about each training step: the command line draws a progress bar from it on a terminal. */
@FunctionalInterface
public interface Progress {
    /** Nothing to report to. */
    Progress NONE = (step, steps, loss) -> { };

    /**
     * @param step  steps done so far (1 to steps)
     * @param steps steps in all
     * @param loss  the loss before this step
     */
    void step(int step, int steps, double loss);
}
