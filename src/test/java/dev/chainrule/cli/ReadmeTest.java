package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example and its printed output stay true: the model is run and compared. */
class ReadmeTest {
    @TempDir
    Path dir;

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "README lost the marker: " + start);
        from += start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    @Test
    void theExampleOutputIsWhatTheModelPrints() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String model = between(readme, "`model.chain`:\n\n```\n", "```");
        String shown = between(readme, "`java -jar target/chainrule.jar run model.chain` prints:\n\n```\n", "```");
        Cli.Run r = run("run", file(dir, "model.chain", model));
        assertEquals(0, r.status(), r.err());
        assertEquals(shown, r.out());
    }

    @Test
    void theErrorExampleIsWhatTheModelReports() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String model = between(readme, "`model.chain`:\n\n```\n", "```")
                .replace("out_h1 = sigmoid(net_h1)", "out_h1 = sigmod(net_h1)");
        String shown = between(readme, "without a stack\ntrace (unless `--debug`):\n\n```\n", "```");
        Cli.Run r = run("run", file(dir, "model.chain", model));
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(shown, r.err().replace(dir.resolve("model.chain").toString(), "model.chain"));
    }

    /**
     * Every example of the language reference (a {@code chain} block followed by what it
     * {@code prints:}) is run as a model file and prints exactly what the README shows.
     */
    @Test
    void everyLanguageExamplePrintsWhatTheReadmeShows() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String open = "```chain\n";
        String prints = "```\n\nprints:\n\n```\n";
        // the examples may include the README's first model, beside them as model.chain
        int first = readme.indexOf("```\n", readme.indexOf("`model.chain`:")) + 4;
        file(dir, "model.chain", readme.substring(first, readme.indexOf("```", first)));
        int examples = 0;
        for (int at = readme.indexOf(open); at >= 0; at = readme.indexOf(open, at + 1)) {
            int modelEnd = readme.indexOf(prints, at);
            assertTrue(modelEnd > at, "a chain block without 'prints:' after it at offset " + at);
            String model = readme.substring(at + open.length(), modelEnd);
            int outputStart = modelEnd + prints.length();
            String shown = readme.substring(outputStart, readme.indexOf("```", outputStart));
            Cli.Run r = run("run", file(dir, "example" + examples + ".chain", model));
            assertEquals(0, r.status(), r.err());
            assertEquals(shown, r.out(), model);
            examples++;
        }
        assertTrue(examples >= 3, "the language reference lost its examples");
    }

    @Test
    void everyExportExampleIsWhatExportWrites() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("For one neuron, `neuron.chain`:");
        assertTrue(at > 0, "the README lost its export example");
        int modelStart = readme.indexOf("```\n", at) + 4;
        String model = file(dir, "neuron.chain", readme.substring(modelStart, readme.indexOf("```", modelStart)));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<summary><code>chainrule export neuron.chain --of E --to (\\w+)</code></summary>\n\n```\\w+\n([\\s\\S]*?)```\n")
                .matcher(readme);
        java.util.Set<String> targets = new java.util.TreeSet<>();
        while (m.find()) {
            Cli.Run r = run("export", model, "--of", "E", "--to", m.group(1));
            assertEquals(0, r.status(), r.err());
            assertEquals(m.group(2), r.out(), "export --to " + m.group(1));
            targets.add(m.group(1));
        }
        assertEquals(java.util.Set.of("c", "java", "latex", "numpy", "pytorch"), targets);
    }
}
