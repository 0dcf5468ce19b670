package dev.chainrule.plot;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;

/**
 * The square grid a decision boundary is drawn over: {@code n × n} points spanning 2-D data with
 * a margin, row by row from the lowest {@code y}. A classifier's output over its points becomes
 * one number per cell: the probability where the output is one number per point, the class with
 * the largest score where it is a row of scores. The boundary plot and the explorer's live
 * boundary both draw from it.
 */
public record Grid(int n, double x0, double x1, double y0, double y1) {
    /** The grid of {@code n × n} points over the data {@code x} (n×2), widened a tenth on each side. */
    public static Grid over(Tensor x, int n) {
        int rows = x.shape().dim(0);
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < rows; i++) {
            minX = Math.min(minX, x.get(2 * i));
            maxX = Math.max(maxX, x.get(2 * i));
            minY = Math.min(minY, x.get(2 * i + 1));
            maxY = Math.max(maxY, x.get(2 * i + 1));
        }
        double[] rangeX = Plots.padded(minX, maxX);
        double[] rangeY = Plots.padded(minY, maxY);
        return new Grid(n, rangeX[0], rangeX[1], rangeY[0], rangeY[1]);
    }

    public double dx() {
        return (x1 - x0) / (n - 1);
    }

    public double dy() {
        return (y1 - y0) / (n - 1);
    }

    /** The grid's points, (n·n)×2, cell {@code i·n + j} at column j of row i. */
    public Tensor points() {
        double[] grid = new double[n * n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int cell = i * n + j;
                grid[2 * cell] = x0 + j * dx();
                grid[2 * cell + 1] = y0 + i * dy();
            }
        }
        return Tensor.of(Shape.of(n * n, 2), grid);
    }

    /** One number per cell from a classifier's output over {@link #points}: its value, or its best class. */
    public double[] cells(Tensor out) {
        int cells = n * n;
        int perCell = out.size() / cells;
        double[] z = new double[cells];
        for (int c = 0; c < cells; c++) {
            if (perCell == 1) {
                z[c] = out.get(c);
            } else {
                int best = 0;
                for (int k = 1; k < perCell; k++) {
                    if (out.get(c * perCell + k) > out.get(c * perCell + best)) {
                        best = k;
                    }
                }
                z[c] = best;
            }
        }
        return z;
    }
}
