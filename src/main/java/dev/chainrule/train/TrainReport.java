package dev.chainrule.train;

/**
 * The outcome of training.
 *
 * @param optimizer how each step moved the params
 * @param batch     rows per mini-batch, or 0 for steps on the whole data
 * @param rows      the rows of the data the batches were taken from (0 for whole-data steps)
 * @param history   the loss before each step, then the final loss ({@code steps + 1} losses), kept
 *                  in bounded memory; on the step's mini-batch when training in batches
 * @param before    the loss on the whole data before the first step
 * @param after     the loss on the whole data after the last step
 */
public record TrainReport(String of, int steps, double lr, Optimizer.Kind optimizer, int batch, int rows, LossHistory history,
                          double before, double after) {

    /** A report of steps on the whole data: the losses before and after are the history's first and last. */
    public static TrainReport wholeData(String of, int steps, double lr, Optimizer.Kind optimizer, LossHistory history) {
        return new TrainReport(of, steps, lr, optimizer, 0, 0, history, history.first(), history.last());
    }

    /** This training, done on mini-batches of {@code batch} of {@code rows} rows, with the losses on all of them. */
    public TrainReport inBatches(int batch, int rows, double before, double after) {
        return new TrainReport(of, steps, lr, optimizer, batch, rows, history, before, after);
    }

    /** The loss on the whole data before the first step. */
    public double initial() {
        return before;
    }

    /** The loss on the whole data after the last step. */
    public double last() {
        return after;
    }

    /** The loss before step {@code step + 1} (step {@code steps} is the final loss), when it is kept. */
    public double loss(long step) {
        return history.at(step);
    }
}
