package dev.chainrule.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every notebook in notebooks/ holds the outputs the engine gives now. */
class NotebooksTest {
    @TempDir
    Path dir;

    @Test
    void everyNotebookIsCurrent() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> files = Files.list(Path.of("notebooks"))) {
            notebooks = files.filter(f -> f.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(notebooks.isEmpty());
        for (Path notebook : notebooks) {
            assertEquals(List.of(), Notebooks.check(notebook), notebook.toString());
        }
    }

    /** Malformed notebooks, each with what run and check say of it (exit status 2, never an internal error). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json at all                                          | not JSON (
            [1, 2]                                                   | a notebook is a JSON object
            {}                                                       | it has no list of cells
            {"cells": 3}                                             | it has no list of cells
            {"cells": [3]}                                           | cell 1 is not a JSON object
            {"cells": [{"source": "x"}]}                             | cell 1 has no cell_type
            {"cells": [{"cell_type": "code"}]}                       | cell 1 has no source
            {"cells": [{"cell_type": "code", "source": null}]}       | cell 1 has no source
            {"cells": [{"cell_type": "code", "source": ["a", 2]}]}   | cell 1 has a source line that is not text
            {"cells": [{"cell_type": "code", "source": {"a": 1}}]}   | cell 1 has a source that is neither text nor a list of lines
            {"cells": [{"cell_type": 7, "source": "x"}]}             | cell 1 has no cell_type
            {"cells": [{"cell_type": "code", "source": "print 1", "outputs": 5}]} | cell 1 has outputs that are not a list
            """)
    void aMalformedNotebookIsAMessage(String json, String problem) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.ipynb"), json);
        for (String command : new String[] {"run", "check"}) {
            dev.chainrule.testing.Cli.Run r = dev.chainrule.testing.Cli.run("notebook", command, file.toString());
            assertEquals(dev.chainrule.cli.Main.BAD_INPUT, r.status(), r.err());
            String first = r.err().lines().findFirst().orElse("");
            org.junit.jupiter.api.Assertions.assertTrue(first.startsWith("chainrule: " + file + ": not a notebook: " + problem), first);
        }
        assertEquals(json, Files.readString(file), "a notebook that cannot be run is left as it was");
    }

    /** Found by the fuzzer: stored outputs that are not Jupyter's objects made check crash; they now simply differ. */
    @Test
    void storedOutputsOfAnyShapeAreComparedNotTakenApart() throws IOException {
        Path file = Files.writeString(dir.resolve("odd.ipynb"), "{\"cells\": [{\"cell_type\": \"code\", \"source\": \"print 1 + 1\","
                + " \"outputs\": [1, {\"output_type\": \"stream\", \"text\": {\"a\": 2}}, {\"data\": 3}]}]}");
        List<String> differences = Notebooks.check(file);
        assertEquals(1, differences.size());
        assertEquals(file + ": cell 1 differs:\n--- stored\n[not an output: 1]\n[stream]\n{\"a\":2}\n[not an output: {\"data\":3}]\n\n"
                + "--- now\n[display_data]\n1 + 1 = 2\n", differences.get(0));
    }

    @Test
    void aStaleOutputIsNamedByItsCell() throws IOException {
        Path copy = dir.resolve("stale.ipynb");
        Files.copy(Path.of("notebooks/01-step-by-step-backprop.ipynb"), copy);
        String text = Files.readString(copy).replace("E = 0.298371109", "E = 0.3");
        Files.writeString(copy, text);
        List<String> differences = Notebooks.check(copy);
        assertEquals(1, differences.size());
        assertEquals(copy + ": cell 4 differs:", differences.get(0).lines().findFirst().orElseThrow());
    }
}
