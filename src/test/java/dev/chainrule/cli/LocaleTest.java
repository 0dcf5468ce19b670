package dev.chainrule.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output does not depend on the JVM's locale: every command's text and JSON, and the pictures,
 * are the same bytes under Turkish (where "INPUT".toLowerCase() is "ınput") and German (decimal
 * commas) as under the root locale.
 */
class LocaleTest {
    @TempDir
    Path dir;

    private static final String[][] COMMANDS = {
        {"run", "--example", "backprop-2-2-2"}, {"run", "--example", "softmax-3-3-3", "--json"},
        {"run", "--example", "classifier-xor"}, {"check", "--rules"}, {"check", "--rules", "--json"},
        {"graph", "MODEL", "--of", "E"}, {"derive", "MODEL", "--of", "E", "--wrt", "w", "--format", "latex"},
        {"train", "MODEL", "--of", "E", "--lr", "0.1", "--steps", "5", "--json"}, {"eval", "MODEL", "--digits", "3"},
    };

    private List<String> outputs(Locale locale, String model) throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(locale);
        try {
            List<String> out = new ArrayList<>();
            for (String[] command : COMMANDS) {
                String[] args = command.clone();
                for (int i = 0; i < args.length; i++) {
                    args[i] = args[i].equals("MODEL") ? model : args[i];
                }
                Cli.Run r = Cli.run(args);
                out.add(String.join(" ", command) + " -> " + r.status() + "\n" + r.out() + r.err());
            }
            return out;
        } finally {
            Locale.setDefault(before);
        }
    }

    private byte[] plot(Locale locale, String model) throws Exception {
        Locale before = Locale.getDefault();
        Locale.setDefault(locale);
        try {
            Cli.Run r = Cli.run("run", model);
            assertEquals(0, r.status(), r.err());
            return Files.readAllBytes(dir.resolve("loss.png"));
        } finally {
            Locale.setDefault(before);
        }
    }

    /** No call in the sources that formats or changes case by the default locale. */
    @Test
    void noSourceFormatsByTheDefaultLocale() throws Exception {
        java.util.regex.Pattern localeDependent = java.util.regex.Pattern.compile(
                "to(Lower|Upper)Case\\(\\)|String\\.format\\(\"|\\.formatted\\(|new DecimalFormat\\(\"[^\"]*\"\\)|NumberFormat\\.get[A-Za-z]*Instance\\(\\)");
        List<String> found = new ArrayList<>();
        try (var files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (localeDependent.matcher(lines.get(i)).find()) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void everyOutputIsTheSameInTurkishAndGerman() throws Exception {
        String model = Cli.file(dir, "m.chain", "input x = 0.5\nparam w = 1.5\nE = (w * x - 0.25)^2 + 1000.5 * w\n"
                + "train E lr 0.0001 steps 50\nplot loss\n");
        List<String> root = outputs(Locale.ROOT, model);
        assertTrue(root.get(5).contains("input"), root.get(5));
        for (Locale locale : new Locale[] {Locale.forLanguageTag("tr-TR"), Locale.forLanguageTag("de-DE")}) {
            List<String> other = outputs(locale, model);
            for (int i = 0; i < root.size(); i++) {
                assertEquals(root.get(i), other.get(i), locale.toString());
            }
        }
        byte[] png = plot(Locale.ROOT, model);
        assertArrayEquals(png, plot(Locale.forLanguageTag("de-DE"), model), "the loss plot's axes");
        assertArrayEquals(png, plot(Locale.forLanguageTag("tr-TR"), model), "the loss plot's axes");
    }
}
