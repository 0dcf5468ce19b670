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
