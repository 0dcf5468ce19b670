package dev.chainrule.diag;

import java.util.Arrays;
import java.util.Objects;

/**
 * The text of one model source with its name (a path, a cell id, or a flag such as
 * {@code --set}). A source may be a piece of a larger file, starting at a line other than 1 (a
 * row of a data file read a line at a time): its lines are numbered as in the file.
 */
public final class Source {
    /** The most bytes a source may hold: a Java string's length. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private final String name;
    private final String text;
    private final int firstLine;
    private int[] lineStarts;

    public Source(String name, String text) {
        this(name, text, 1);
    }

    private Source(String name, String text, int firstLine) {
        this.name = Objects.requireNonNull(name);
        this.text = Objects.requireNonNull(text);
        this.firstLine = firstLine;
    }

    /** Line {@code number} of the file {@code name}, as a source of its own that keeps its line number. */
    public static Source line(String name, int number, String line) {
        return new Source(name, line, number);
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    /** The text of line {@code line} (1-based) without its line terminator; empty past the end. */
    public String line(int line) {
        line -= firstLine - 1;
        int[] starts = lineStarts();
        if (line < 1 || line > starts.length) {
            return "";
        }
        int start = starts[line - 1];
        int end = line < starts.length ? starts[line] : text.length();
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(start, end);
    }

    /** The span of {@code length} characters starting at character offset {@code offset}. */
    public Span spanAt(int offset, int length) {
        int[] starts = lineStarts();
        int index = Arrays.binarySearch(starts, offset);
        int line = index >= 0 ? index : -index - 2;
        return new Span(this, firstLine + line, offset - starts[line] + 1, length);
    }

    /** A span covering the whole (single-line) text: used for values given on the command line. */
    public Span whole() {
        return new Span(this, firstLine, 1, Math.max(1, line(firstLine).length()));
    }

    private int[] lineStarts() {
        if (lineStarts == null) {
            int count = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    count++;
                }
            }
            int[] starts = new int[count];
            int k = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    starts[k++] = i + 1;
                }
            }
            lineStarts = starts;
        }
        return lineStarts;
    }

    @Override
    public String toString() {
        return name;
    }
}
