package dev.chainrule.notebook;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Graphviz's {@code dot}, when it is installed, turning DOT text into SVG for notebooks. The SVG
 * goes into a notebook as a fragment of HTML, so it is handed over without the XML declaration and
 * the document type {@code dot} writes first: {@code jupyter nbconvert --to html} parses it from a
 * string, and its parser refuses a string that declares its own encoding ("Unicode strings with
 * encoding declaration are not supported").
 */
final class Graphviz {
    private static final long TIMEOUT_SECONDS = 30;

    private Graphviz() {
    }

    /** The SVG of a DOT graph, without XML prolog ({@link #fragment}), or null when {@code dot} is not on the PATH or fails. */
    static String svg(String dot) {
        Path executable = find();
        if (executable == null) {
            return null;
        }
        try {
            // warnings on standard error are not read: a pipe nobody drains could stall dot
            Process process = new ProcessBuilder(executable.toString(), "-Tsvg").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(dot.getBytes(StandardCharsets.UTF_8));
            }
            byte[] svg = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return fragment(new String(svg, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * An SVG document without its prolog, what comes before its first element: the XML
     * declaration ({@code <?xml ... encoding="UTF-8"?>}), any other processing instruction, the
     * {@code <!DOCTYPE ...>} (with an internal subset in brackets, if any) and the comments dot
     * writes there (its version, the graph's title). What is left is the {@code <svg>} element,
     * which can stand inside HTML.
     */
    static String fragment(String svg) {
        int at = 0;
        while (true) {
            int start = at;
            while (start < svg.length() && Character.isWhitespace(svg.charAt(start))) {
                start++;
            }
            int end;
            if (svg.startsWith("<?", start)) {
                end = after(svg, "?>", start);
            } else if (svg.startsWith("<!DOCTYPE", start)) {
                end = afterDoctype(svg, start);
            } else if (svg.startsWith("<!--", start)) {
                end = after(svg, "-->", start);
            } else {
                return svg.substring(start);
            }
            if (end < 0) {
                // a prolog that never closes is not SVG to mend: hand it on as it came
                return svg;
            }
            at = end;
        }
    }

    /** The index just past the first {@code close} from {@code from}, or -1. */
    private static int after(String s, String close, int from) {
        int i = s.indexOf(close, from);
        return i < 0 ? -1 : i + close.length();
    }

    /** The index just past a {@code <!DOCTYPE ...>} starting at {@code from}: its {@code >}, skipping quoted text and an internal subset. */
    private static int afterDoctype(String s, int from) {
        char quote = 0;
        boolean subset = false;
        for (int i = from + 2; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[') {
                subset = true;
            } else if (c == ']') {
                subset = false;
            } else if (c == '>' && !subset) {
                return i + 1;
            }
        }
        return -1;
    }

    private static Path find() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String folder : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(folder, "dot");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
