package dev.chainrule.api;

/** Shared small tensor models for tests. */
public final class MatrixBackpropTestModels {
    /** Params of several shapes, and one-hot targets. */
    public static final String PARAMS = """
            param W = [[0.3, -0.7, 0.2], [0.5, 0.1, -0.4]]
            param v = [0.9, -0.3, 0.4]
            param u = [0.2, -0.6]
            param M = uniform(3, 2, -1, 1, seed=7)
            input y = [0, 1, 0]
            input Y = onehot([2, 0], 3)
            """;

    private MatrixBackpropTestModels() {
    }
}
