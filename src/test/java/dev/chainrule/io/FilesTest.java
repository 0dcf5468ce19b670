package dev.chainrule.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads and writes stay in their folder, never hang, and never destroy what they did not write. */
class FilesTest {
    @TempDir
    Path dir;

    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 1, 2, 3};

    private Path inside() throws IOException {
        return Files.createDirectories(dir.resolve("model"));
    }

    @Test
    void pathsResolveInsideTheFolderOnly() throws Exception {
        Path folder = inside();
        Files.writeString(dir.resolve("secret.txt"), "s");
        assertEquals(folder.resolve("a/b.png"), Confinement.resolve(folder, "a/b.png", List.of()));
        assertEquals(folder.resolve("b.png"), Confinement.resolve(folder, "a/../b.png", List.of()));
        assertNull(Confinement.resolve(folder, "../secret.txt", List.of()));
        assertNull(Confinement.resolve(folder, "../../x", List.of()));
        assertNull(Confinement.resolve(folder, dir.resolve("secret.txt").toString(), List.of()));
        assertEquals(folder.resolve("c.png"), Confinement.resolve(folder, folder.resolve("c.png").toString(), List.of()));
        assertEquals(dir.resolve("secret.txt"), Confinement.resolve(folder, "../secret.txt", List.of(dir)));
        assertThrows(FileRefused.class, () -> Confinement.resolve(folder, "", List.of()));
        assertThrows(FileRefused.class, () -> Confinement.resolve(folder, ".", List.of()));
    }

    @Test
    void linksOutOfTheFolderAreOutside() throws Exception {
        Path folder = inside();
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createSymbolicLink(folder.resolve("out"), elsewhere);
        Files.createSymbolicLink(folder.resolve("leak.png"), elsewhere.resolve("new.png"));
        assertNull(Confinement.resolve(folder, "out/x.png", List.of()));
        assertNull(Confinement.resolve(folder, "leak.png", List.of()));
    }

    @Test
    void aLoopOfLinksIsOutside() throws Exception {
        Path folder = inside();
        Files.createSymbolicLink(folder.resolve("a"), folder.resolve("b"));
        Files.createSymbolicLink(folder.resolve("b"), folder.resolve("a"));
        assertNull(Confinement.resolve(folder, "a/x.png", List.of()));
    }

    @Test
    void aWriteIsWholeAndLeavesNoTemporaryFile() throws Exception {
        Path file = inside().resolve("p.png");
        SafeWrite.write(file, PNG, SafeWrite.Kind.PNG, false);
        assertArrayEquals(PNG, Files.readAllBytes(file));
        byte[] again = PNG.clone();
        again[10] = 9;
        SafeWrite.write(file, again, SafeWrite.Kind.PNG, false);
        assertArrayEquals(again, Files.readAllBytes(file));
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aFileOfAnotherKindIsReplacedOnlyWhenForced() throws Exception {
        Path file = inside().resolve("notes.png");
        Files.writeString(file, "my notes");
        FileRefused e = assertThrows(FileRefused.class, () -> SafeWrite.write(file, PNG, SafeWrite.Kind.PNG, false));
        assertEquals(file + " exists and is not a PNG picture; chainrule replaces only files of the kind it writes"
                + " (--force replaces it anyway)", e.getMessage());
        assertEquals("my notes", Files.readString(file));
        SafeWrite.write(file, PNG, SafeWrite.Kind.PNG, true);
        assertArrayEquals(PNG, Files.readAllBytes(file));
    }

    @Test
    void aFolderIsNeverReplacedEvenAnEmptyOne() throws Exception {
        Path folder = Files.createDirectories(inside().resolve("empty.png"));
        FileRefused e = assertThrows(FileRefused.class, () -> SafeWrite.write(folder, PNG, SafeWrite.Kind.PNG, true));
        assertEquals(folder + " is a folder; chainrule does not replace folders", e.getMessage());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void aLinkAtTheTargetIsNeverWrittenThrough() throws Exception {
        Path folder = inside();
        Path secret = Files.write(dir.resolve("secret.png"), PNG);
        Path link = Files.createSymbolicLink(folder.resolve("p.png"), secret);
        assertThrows(FileRefused.class, () -> SafeWrite.write(link, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0}, SafeWrite.Kind.PNG, false));
        SafeWrite.write(link, new byte[] {(byte) 0x89, 'P', 'N', 'G', 7, 7, 7, 7}, SafeWrite.Kind.PNG, true);
        assertArrayEquals(PNG, Files.readAllBytes(secret), "the file the link pointed at is untouched");
        assertTrue(!Files.isSymbolicLink(link), "the link itself was replaced");
    }

    @Test
    void readsRefuseFifosDevicesAndFoldersAtOnce() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        FileRefused e = assertThrows(FileRefused.class, () -> BoundedRead.text(fifo, 1000, "--limit"));
        assertEquals(fifo + " is not a regular file (a device or a FIFO, say); chainrule reads regular files only", e.getMessage());
        assertThrows(FileRefused.class, () -> BoundedRead.text(Path.of("/dev/zero"), 1000, "--limit"));
        assertEquals(dir + " is a folder, not a file", assertThrows(FileRefused.class, () -> BoundedRead.text(dir, 1000, "--limit")).getMessage());
    }

    @Test
    void readsStopAtTheirCapAndDropAByteOrderMark() throws Exception {
        Path file = Files.write(dir.resolve("m.chain"), ("\uFEFFx = 1\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("x = 1\n", BoundedRead.text(file, 100, "--limit"));
        Path big = Files.write(dir.resolve("big.chain"), new byte[2_500_000]);
        FileRefused e = assertThrows(FileRefused.class, () -> BoundedRead.text(big, 1_000_000, "the limit"));
        assertEquals(big + " is 2.5 MB; chainrule reads files up to 1.0 MB (the limit)", e.getMessage());
    }
}
