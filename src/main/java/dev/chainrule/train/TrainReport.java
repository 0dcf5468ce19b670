package dev.chainrule.train;

/**
 * The outcome of training.
 *
 * @param losses the loss before each step, then the final loss ({@code steps + 1} entries)
 */
public record TrainReport(String of, int steps, double lr, double[] losses) {

    /** The loss before the first step. */
    public double initial() {
        return losses[0];
    }

    /** The loss after the last step. */
    public double last() {
        return losses[losses.length - 1];
    }
}
