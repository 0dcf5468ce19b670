package dev.chainrule.plot;

import dev.chainrule.tensor.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.util.function.Function;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The two pictures: a loss curve and a decision boundary. */
public final class Plots {
    /** Grid cells along each axis of a boundary picture. */
    public static final int GRID = 120;
    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    private static final Color[] CLASSES = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Numbers on axes are written the same in every locale: 0.5, never 0,5. */
    private static final java.text.DecimalFormatSymbols ROOT = java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT);

    private Plots() {
    }

    /** An axis whose tick labels do not depend on the JVM's locale. */
    private static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setNumberFormatOverride(new java.text.DecimalFormat("0.######", ROOT));
        return axis;
    }

    /**
     * {@code [lo, hi]} widened by a tenth on each side, and by enough that the two ends stay
     * distinct at their magnitude; [0, 1] when there is no finite value.
     */
    static double[] padded(double lo, double hi) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi))) {
            return new double[] {0, 1};
        }
        double big = 1e300;
        lo = Math.max(-big, lo);
        hi = Math.min(big, hi);
        double pad = Math.max(0.1 * (hi - lo), Math.max(1e-9, 1e3 * Math.ulp(Math.max(Math.abs(lo), Math.abs(hi)))));
        return new double[] {lo - pad, hi + pad};
    }

    /** The loss at the given steps, on a log scale when every loss is positive, as a PNG picture. */
    public static byte[] loss(double[] losses, long[] steps, String title) {
        XYSeries series = new XYSeries("loss");
        boolean positive = true;
        for (int i = 0; i < losses.length; i++) {
            series.add(steps[i], losses[i]);
            positive &= losses[i] > 0;
        }
        NumberAxis stepAxis = axis("step");
        stepAxis.setAutoRangeIncludesZero(true);
        ValueAxis loss;
        if (positive) {
            LogAxis log = new LogAxis("loss (log scale)");
            log.setSmallestValue(1e-300);
            log.setNumberFormatOverride(new java.text.DecimalFormat("0.###E0", ROOT));
            loss = log;
        } else {
            loss = axis("loss");
        }
        // JFreeChart's own range would be empty for a flat line at a large value (1e300 ± its margin)
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : losses) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (positive && lo <= hi) {
            loss.setRange(Math.max(lo / 2, Double.MIN_NORMAL), Math.min(hi * 2, Double.MAX_VALUE));
        } else {
            double[] range = padded(lo, hi);
            loss.setRange(range[0], range[1]);
        }
        XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, false);
        line.setSeriesPaint(0, CLASSES[0]);
        line.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot plot = new XYPlot(new XYSeriesCollection(series), stepAxis, loss, line);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart);
    }

    /** The chart drawn as a PNG picture. */
    private static byte[] png(JFreeChart chart) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(bytes, chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("drawing into memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * A classifier's output over a grid spanning the data, as a colour map, with the data points
     * coloured by label on top.
     *
     * @param x       the data, n×2
     * @param y       the labels, n
     * @param predict the model's output for a (cells×2) grid: one number per cell (a probability,
     *                shaded from blue to red) or one row of scores per cell (the largest's class)
     * @return the picture, as PNG
     */
    public static byte[] boundary(Tensor x, Tensor y, Function<Tensor, Tensor> predict, String title) {
        int n = x.shape().dim(0);
        Grid area = Grid.over(x, GRID);
        double minX = area.x0();
        double maxX = area.x1();
        double minY = area.y0();
        double maxY = area.y1();
        double dx = area.dx();
        double dy = area.dy();
        Tensor cellPoints = area.points();
        Tensor out = predict.apply(cellPoints);
        int cells = GRID * GRID;
        int perCell = out.size() / cells;
        double[] z = area.cells(out);
        double[][] xyz = new double[3][cells];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < cells; c++) {
            xyz[0][c] = cellPoints.get(2 * c);
            xyz[1][c] = cellPoints.get(2 * c + 1);
            xyz[2][c] = z[c];
            lo = Math.min(lo, z[c]);
            hi = Math.max(hi, z[c]);
        }
        if (perCell == 1 && lo >= 0 && hi <= 1) {
            lo = 0;
            hi = 1;
        }
        DefaultXYZDataset surface = new DefaultXYZDataset();
        surface.addSeries("output", xyz);
        XYBlockRenderer blocks = new XYBlockRenderer();
        blocks.setBlockWidth(dx);
        blocks.setBlockHeight(dy);
        blocks.setPaintScale(perCell == 1 ? new Shade(lo, hi) : new Classes(lo, hi));
        NumberAxis axisX = axis("x[0]");
        NumberAxis axisY = axis("x[1]");
        axisX.setRange(minX, maxX);
        axisY.setRange(minY, maxY);
        XYPlot plot = new XYPlot(surface, axisX, axisY, blocks);
        XYSeriesCollection points = new XYSeriesCollection();
        int classes = 0;
        for (int i = 0; i < n; i++) {
            classes = Math.max(classes, (int) y.get(i) + 1);
        }
        for (int k = 0; k < classes; k++) {
            points.addSeries(new XYSeries("class " + k, false, true));
        }
        for (int i = 0; i < n; i++) {
            int k = Math.max(0, (int) y.get(i));
            points.getSeries(k).add(x.get(2 * i), x.get(2 * i + 1));
        }
        XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
        for (int k = 0; k < classes; k++) {
            dots.setSeriesPaint(k, CLASSES[k % CLASSES.length].darker());
            dots.setSeriesShape(k, new Ellipse2D.Double(-3, -3, 6, 6));
            dots.setSeriesOutlinePaint(k, Color.WHITE);
            dots.setUseOutlinePaint(true);
            dots.setDrawOutlines(true);
        }
        plot.setDataset(1, points);
        plot.setRenderer(1, dots);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart);
    }

    /** Blue through white to red, for outputs such as a probability. */
    private record Shade(double lo, double hi) implements PaintScale {
        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return hi;
        }

        @Override
        public Paint getPaint(double value) {
            double t = hi > lo ? Math.max(0, Math.min(1, (value - lo) / (hi - lo))) : 0.5;
            Color a = t < 0.5 ? new Color(0x9ecae1) : Color.WHITE;
            Color b = t < 0.5 ? Color.WHITE : new Color(0xfc9272);
            double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
            return new Color((int) (a.getRed() + u * (b.getRed() - a.getRed())),
                    (int) (a.getGreen() + u * (b.getGreen() - a.getGreen())),
                    (int) (a.getBlue() + u * (b.getBlue() - a.getBlue())));
        }
    }

    /** One pale colour per class, for outputs that are class scores. */
    private record Classes(double lo, double hi) implements PaintScale {
        @Override
        public double getLowerBound() {
            return lo;
        }

        @Override
        public double getUpperBound() {
            return Math.max(hi, lo + 1);
        }

        @Override
        public Paint getPaint(double value) {
            Color c = CLASSES[(int) Math.round(value) % CLASSES.length];
            return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
        }
    }
}
