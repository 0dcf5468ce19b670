package dev.chainrule.notebook;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Graphviz's {@code dot}, when it is installed, turning DOT text into SVG for notebooks. */
final class Graphviz {
    private static final long TIMEOUT_SECONDS = 30;

    private Graphviz() {
    }

    /** The SVG of a DOT graph, or null when {@code dot} is not on the PATH or fails. */
    static String svg(String dot) {
        Path executable = find();
        if (executable == null) {
            return null;
        }
        try {
            Process process = new ProcessBuilder(executable.toString(), "-Tsvg").redirectErrorStream(false).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(dot.getBytes(StandardCharsets.UTF_8));
            }
            byte[] svg = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            return new String(svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
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
