package dev.chainrule.train;

/**
 * The outcome of training.
 *
 * @param history the loss before each step, then the final loss ({@code steps + 1} losses), kept in bounded memory
 */
public record TrainReport(String of, int steps, double lr, LossHistory history) {

    /** The loss before the first step. */
    public double initial() {
        return history.first();
    }

    /** The loss after the last step. */
    public double last() {
        return history.last();
    }

    /** The loss before step {@code step + 1} (step {@code steps} is the final loss), when it is kept. */
    public double loss(long step) {
        return history.at(step);
    }
}
