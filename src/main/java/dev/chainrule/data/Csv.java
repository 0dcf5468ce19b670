package dev.chainrule.data;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Limits;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.io.BoundedRead;
import dev.chainrule.io.FileRefused;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Numbers from a CSV file: comma-separated, one example a line, read a line at a time (a file of
 * any size costs only the numbers it holds, and those within the model's limit on elements).
 *
 * <p>The first line is a header when it is a row of names (every cell a name such as {@code x1}
 * or {@code label}, none a number), or when the model says so ({@code header=true}); otherwise it
 * is data, and a mistake in it is reported like a mistake in any other row. A UTF-8 byte-order
 * mark (Excel's "CSV UTF-8") is dropped. Every mistake is reported at its line and column of the
 * file: a cell that is not a finite number, a control character in a cell, a row with too few
 * cells.
 */
public final class Csv {
    /** The longest row read, in characters: a file with no line breaks is refused, not read whole. */
    public static final int MAX_ROW = 1 << 20;
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
    private static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_ .()\\[\\]-]*");

    /** Whether the first row is a header: decided by its cells, or said by the model. */
    public enum Header {
        /** A row of names is a header; anything else is data. */
        AUTO,
        /** The first row is a header, whatever it holds. */
        YES,
        /** The first row is data. */
        NO
    }

    private Csv() {
    }

    /**
     * Columns {@code xFrom..xTo} (inclusive) as X and column {@code yColumn} as y.
     *
     * @param file   the file, named by its path in diagnostics
     * @param limits the model's limits: the numbers read stay within its cap on elements
     * @throws FileRefused      for a file that is not a regular, readable UTF-8 file, or holds more numbers than the cap
     * @throws ChainException   at the line and column of a mistake in the file
     */
    public static Dataset read(Path file, int xFrom, int xTo, int yColumn, Header header, Limits limits) throws FileRefused {
        if (!Files.isRegularFile(file)) {
            throw new FileRefused(Files.isDirectory(file) ? file + " is a folder, not a file"
                    : Files.exists(file) ? file + " is not a regular file (a device or a FIFO, say); chainrule reads regular files only"
                    : "no such file: " + file);
        }
        int needed = Math.max(xTo, yColumn) + 1;
        int d = xTo - xFrom + 1;
        Rows rows = new Rows(d);
        String name = file.toString();
        try (Reader in = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            Lines lines = new Lines(in, name);
            boolean first = true;
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                Source source = Source.line(name, lines.number(), line);
                String[] cells = line.split(",", -1);
                if (first) {
                    first = false;
                    if (header == Header.YES || header == Header.AUTO && allNames(cells)) {
                        continue;
                    }
                }
                if (cells.length < needed) {
                    throw ChainException.semantic(source.spanAt(line.length(), 1), "row " + lines.number() + " has "
                            + cells.length + (cells.length == 1 ? " cell" : " cells") + ", and column " + (needed - 1) + " is needed");
                }
                if ((long) (rows.count + 1) * d > limits.maxElements()) {
                    throw new FileRefused(file + " (" + BoundedRead.megabytes(Files.size(file)) + ") holds more than the limit of "
                            + limits.maxElements() + " elements (--max-elements) by row " + lines.number());
                }
                double[] row = new double[needed];
                int column = 0;
                for (int c = 0; c < needed; c++) {
                    row[c] = number(cells[c], c, source, column);
                    column += cells[c].length() + 1;
                }
                rows.add(row, xFrom, yColumn);
            }
        } catch (CharacterCodingException e) {
            throw new FileRefused(file + ": not a UTF-8 text file");
        } catch (IOException e) {
            throw new FileRefused("cannot read " + file + ": " + e.getMessage());
        }
        if (rows.count == 0) {
            throw ChainException.semantic(new Source(name, "").spanAt(0, 1), "the file holds no rows of numbers");
        }
        return rows.dataset();
    }

    /** A cell as a finite number, or the diagnostic at its place ({@code column} is where the cell starts). */
    private static double number(String raw, int c, Source row, int column) {
        int lead = raw.length() - raw.stripLeading().length();
        String cell = raw.strip();
        for (int i = 0; i < raw.length(); i++) {
            char ch = raw.charAt(i);
            if (Character.isISOControl(ch) && ch != '\t') {
                throw ChainException.semantic(row.spanAt(column + i, 1), (ch == 0 ? "a NUL byte" : "a control character")
                        + " in column " + c);
            }
        }
        if (NUMBER.matcher(cell).matches()) {
            double v = Double.parseDouble(cell);
            if (Double.isFinite(v)) {
                return v;
            }
        }
        throw ChainException.semantic(row.spanAt(column + lead, Math.max(1, cell.length())), "'" + cell + "' in column " + c
                + " is not a number");
    }

    /** A header is a row of names: every cell a name, none a number or empty. */
    private static boolean allNames(String[] cells) {
        for (String cell : cells) {
            String name = cell.strip();
            if (!NAME.matcher(name).matches() || isNumberWord(name)) {
                return false;
            }
        }
        return true;
    }

    /** Words that spell numbers that are not finite: they are data mistakes, not names. */
    private static boolean isNumberWord(String cell) {
        String word = cell.toLowerCase(java.util.Locale.ROOT);
        return word.equals("nan") || word.equals("inf") || word.equals("infinity");
    }

    /** The rows read so far, as flat growing arrays. */
    private static final class Rows {
        private final int d;
        private double[] x = new double[1024];
        private double[] y = new double[128];
        private int count;

        Rows(int d) {
            this.d = d;
        }

        void add(double[] row, int xFrom, int yColumn) {
            if ((count + 1) * d > x.length) {
                x = Arrays.copyOf(x, Math.max(x.length * 2, (count + 1) * d));
            }
            if (count == y.length) {
                y = Arrays.copyOf(y, y.length * 2);
            }
            System.arraycopy(row, xFrom, x, count * d, d);
            y[count++] = row[yColumn];
        }

        Dataset dataset() {
            return new Dataset(Tensor.of(Shape.of(count, d), Arrays.copyOf(x, count * d)), Tensor.of(Shape.of(count), Arrays.copyOf(y, count)));
        }
    }

    /** Lines of a reader, each at most {@link #MAX_ROW} characters, numbered from 1. */
    private static final class Lines {
        private final Reader in;
        private final String name;
        private final char[] buffer = new char[1 << 16];
        private int at;
        private int end;
        private int number;

        Lines(Reader in, String name) {
            this.in = in;
            this.name = name;
        }

        int number() {
            return number;
        }

        /** The next line without its terminator, or null at the end. */
        String next() throws IOException {
            StringBuilder line = new StringBuilder();
            boolean any = false;
            while (true) {
                if (at == end) {
                    end = in.read(buffer);
                    at = 0;
                    if (end <= 0) {
                        end = 0;
                        if (!any) {
                            return null;
                        }
                        number++;
                        return trimReturn(line);
                    }
                }
                any = true;
                char c = buffer[at++];
                if (c == '\n') {
                    number++;
                    return trimReturn(line);
                }
                line.append(c);
                if (line.length() > MAX_ROW) {
                    throw ChainException.semantic(Source.line(name, number + 1, line.substring(0, 80)).spanAt(0, 1), "row "
                            + (number + 1) + " is longer than " + MAX_ROW + " characters; a row is one example, one line of the file");
                }
            }
        }

        private static String trimReturn(StringBuilder line) {
            int n = line.length();
            return n > 0 && line.charAt(n - 1) == '\r' ? line.substring(0, n - 1) : line.toString();
        }
    }
}
