package dev.chainrule.data;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Shape;
import dev.chainrule.graph.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers from a CSV file: comma-separated, one example a line, an optional header line (a first
 * line with any cell that is not a number). Every mistake is reported at its line and column
 * of the file: a cell that is not a number, a row with too few cells, a column out of range.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Columns {@code xFrom..xTo} (inclusive) as X and column {@code yColumn} as y.
     *
     * @param file the file's text, named by its path in diagnostics
     */
    public static Dataset read(Source file, int xFrom, int xTo, int yColumn) {
        List<double[]> rows = new ArrayList<>();
        String[] lines = file.text().split("\n", -1);
        int needed = Math.max(xTo, yColumn) + 1;
        for (int l = 0; l < lines.length; l++) {
            String line = lines[l].endsWith("\r") ? lines[l].substring(0, lines[l].length() - 1) : lines[l];
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (rows.isEmpty() && l == firstNonBlank(lines) && !allNumbers(cells)) {
                continue;
            }
            if (cells.length < needed) {
                throw ChainException.semantic(file.spanAt(offset(lines, l) + line.length(), 1), "row " + (l + 1) + " has "
                        + cells.length + (cells.length == 1 ? " cell" : " cells") + ", and column " + (needed - 1) + " is needed");
            }
            double[] row = new double[needed];
            int column = 0;
            for (int c = 0; c < needed; c++) {
                String cell = cells[c].trim();
                try {
                    row[c] = Double.parseDouble(cell);
                    if (!Double.isFinite(row[c]) || !cell.matches("[-+]?[0-9.eE+-]+")) {
                        throw new NumberFormatException();
                    }
                } catch (NumberFormatException e) {
                    int at = offset(lines, l) + column + (cells[c].length() - cells[c].stripLeading().length());
                    throw ChainException.semantic(file.spanAt(at, Math.max(1, cell.length())),
                            "'" + cell + "' in column " + c + " is not a number");
                }
                column += cells[c].length() + 1;
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw ChainException.semantic(file.spanAt(0, 1), "the file holds no rows of numbers");
        }
        int d = xTo - xFrom + 1;
        double[] x = new double[rows.size() * d];
        double[] y = new double[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), xFrom, x, r * d, d);
            y[r] = rows.get(r)[yColumn];
        }
        return new Dataset(Tensor.of(Shape.of(rows.size(), d), x), Tensor.of(Shape.of(rows.size()), y));
    }

    private static int firstNonBlank(String[] lines) {
        for (int l = 0; l < lines.length; l++) {
            if (!lines[l].isBlank()) {
                return l;
            }
        }
        return -1;
    }

    private static boolean allNumbers(String[] cells) {
        for (String cell : cells) {
            if (!cell.trim().matches("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                return false;
            }
        }
        return true;
    }

    private static int offset(String[] lines, int line) {
        int offset = 0;
        for (int l = 0; l < line; l++) {
            offset += lines[l].length() + 1;
        }
        return offset;
    }
}
