package dev.chainrule.testing;

import dev.chainrule.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs the command line in-process and captures what it prints. */
public final class Cli {
    /** Exit status, standard output and standard error of one run. */
    public record Run(int status, String out, String err) {
    }

    private Cli() {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    /** Writes {@code text} to {@code name} in {@code dir} and returns its path as a string. */
    public static String file(Path dir, String name, String text) {
        try {
            Path path = dir.resolve(name);
            Files.writeString(path, text, StandardCharsets.UTF_8);
            return path.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
