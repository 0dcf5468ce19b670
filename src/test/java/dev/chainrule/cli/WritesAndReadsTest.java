package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line writes stays in its folder and replaces only its own kind of file; what
 * it reads from a data file is every row, with a header only when the first row is one.
 */
class WritesAndReadsTest {
    @TempDir
    Path dir;

    private static final String TRAINED = "param w = 1\nE = w^2\ntrain E lr 0.1 steps 3\n";

    private static String firstLine(Cli.Run r) {
        return r.err().lines().findFirst().orElse("");
    }

    private Path models() throws IOException {
        return Files.createDirectories(dir.resolve("a/b"));
    }

    @Test
    void aPlotOutsideTheFolderIsRefusedAtItsName() throws IOException {
        String model = file(models(), "m.chain", TRAINED + "plot loss to \"../../x.png\"\n");
        Cli.Run r = run("run", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":4:14: plot writes files in " + dir.resolve("a/b") + " and below; ../../x.png is outside it"
                + " (choose the folder with --out DIR)", firstLine(r));
        assertTrue(r.err().contains("plot loss to \"../../x.png\"\n             ^^^^^^^^^^^^"), r.err());
        assertFalse(Files.exists(dir.resolve("x.png")));
    }

    @Test
    void anAbsolutePathOutsideIsRefusedEvenWithOut() throws IOException {
        Path target = dir.resolve("elsewhere.png");
        String model = file(models(), "m.chain", TRAINED + "plot loss to \"" + target + "\"\n");
        Path out = Files.createDirectories(dir.resolve("out"));
        Cli.Run r = run("run", model, "--out", out.toString());
        assertEquals(Main.BAD_INPUT, r.status());
        assertTrue(firstLine(r).endsWith("is outside it (choose the folder with --out DIR)"), r.err());
        assertFalse(Files.exists(target));
        Cli.Run inside = run("run", model.replace("m.chain", "m.chain"), "--out", dir.toString());
        assertEquals(0, inside.status(), inside.err());
        assertTrue(Files.exists(target), "inside --out, an absolute path is allowed");
    }

    @Test
    void anExistingFileOfAnotherKindIsKeptUnlessForced() throws IOException {
        Path folder = models();
        Files.writeString(folder.resolve("loss.png"), "my thesis");
        String model = file(folder, "m.chain", TRAINED + "plot loss\n");
        Cli.Run r = run("run", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":4:1: " + folder.resolve("loss.png") + " exists and is not a PNG picture; chainrule replaces only"
                + " files of the kind it writes (--force replaces it anyway)", firstLine(r));
        assertEquals("my thesis", Files.readString(folder.resolve("loss.png")));
        assertEquals(0, run("run", model, "--force").status());
        assertEquals((byte) 0x89, Files.readAllBytes(folder.resolve("loss.png"))[0]);
        assertEquals(0, run("run", model).status(), "a PNG is replaced by a PNG");
    }

    @Test
    void aFolderInTheWayIsNeverReplaced() throws IOException {
        Path folder = models();
        Files.createDirectories(folder.resolve("loss.png"));
        Cli.Run r = run("run", file(folder, "m.chain", TRAINED + "plot loss\n"), "--force");
        assertEquals(Main.BAD_INPUT, r.status());
        assertTrue(firstLine(r).endsWith("loss.png is a folder; chainrule does not replace folders"), r.err());
        assertTrue(Files.isDirectory(folder.resolve("loss.png")));
    }

    @Test
    void aBoundaryOfOneNumberForTheWholeGridIsRefused() throws IOException {
        String model = file(models(), "m.chain", "data X, y = moons(20, 0.1, 1)\nparam w = [1, 1]\nE = sum(X @ w)\n"
                + "plot boundary E over X, y to \"b.png\"\n");
        Cli.Run r = run("run", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":4:1: plot boundary colours each point by E, which must give one number or one row of scores per point;"
                + " for 14400 points it gives a scalar value", firstLine(r));
    }

    private String csvModel(String csv, String arguments) throws IOException {
        Path folder = models();
        Files.write(folder.resolve("d.csv"), csv.getBytes(StandardCharsets.UTF_8));
        return file(folder, "m.chain", "data X, y = csv(\"d.csv\", x=0..1, y=2" + arguments + ")\nprint sum(y), X[0, 0]\n");
    }

    @Test
    void aRowOfNamesIsAHeaderAndNothingElseIs() throws IOException {
        assertEquals("sum(y) = 1\nX[0, 0] = 5\n", run("run", csvModel("a,b,label\n5,6,0\n7,8,1\n", "")).out().lines()
                .skip(1).reduce("", (s, l) -> s + l + "\n"));
        assertEquals("sum(y) = 1\nX[0, 0] = 5\n", run("run", csvModel("\uFEFFx1,x2,y\n5,6,0\n7,8,1\n", "")).out().lines()
                .skip(1).reduce("", (s, l) -> s + l + "\n"), "Excel's byte-order mark is dropped");
        assertEquals("sum(y) = 2\nX[0, 0] = 1\n", run("run", csvModel("1,2,1\n5,6,0\n7,8,1\n", "")).out().lines()
                .skip(1).reduce("", (s, l) -> s + l + "\n"), "a first row of numbers is data");
        assertEquals("sum(y) = 1\nX[0, 0] = 5\n", run("run", csvModel("1,2,1\n5,6,0\n7,8,1\n", ", header=true")).out().lines()
                .skip(1).reduce("", (s, l) -> s + l + "\n"), "header=true skips it anyway");
    }

    @Test
    void aMistakeInTheFirstRowIsReportedLikeAnyOther() throws IOException {
        Path csv = models().resolve("d.csv");
        assertEquals(csv + ":1:5: 'x' in column 2 is not a number", firstLine(run("run", csvModel("1,2,x\n5,6,0\n", ""))));
        assertEquals(csv + ":1:1: 'NaN' in column 0 is not a number", firstLine(run("run", csvModel("NaN,2,1\n5,6,0\n", ""))));
        assertEquals(csv + ":1:1: 'a' in column 0 is not a number",
                firstLine(run("run", csvModel("a,b,label\n5,6,0\n", ", header=false"))));
        assertEquals(csv + ":2:3: a NUL byte in column 1", firstLine(run("run", csvModel("1,2,1\n5,\u00006,0\n", ""))));
    }

    @Test
    void aFifoForDataIsRefusedNotWaitedOn() throws Exception {
        Path folder = models();
        assertEquals(0, new ProcessBuilder("mkfifo", folder.resolve("d.csv").toString()).start().waitFor());
        String model = file(folder, "m.chain", "data X, y = csv(\"d.csv\", x=0..1, y=2)\n");
        Cli.Run r = run("run", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":1:17: " + folder.resolve("d.csv") + " is not a regular file (a device or a FIFO, say);"
                + " chainrule reads regular files only", firstLine(r));
    }

    @Test
    void dataPastTheLimitNamesTheFileTheSizeAndTheRow() throws IOException {
        String model = csvModel("1,2,1\n3,4,0\n5,6,1\n", "");
        Cli.Run r = run("run", model, "--max-elements", "5");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":1:17: " + models().resolve("d.csv") + " (18 bytes) holds more than the limit of 5 elements"
                + " (--max-elements) by row 3", firstLine(r));
    }

    /** Read grants travel with a model: one allowed to read a folder does not open it to another. */
    @Test
    void aReadGrantIsTheModelsOwn() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(shared.resolve("d.csv"), "1,2,0\n3,4,1\n");
        Path folder = models();
        String text = "data X, y = csv(\"" + shared.resolve("d.csv") + "\", x=0..1, y=2)\nE = sum(X)\n";
        dev.chainrule.model.ModelOptions granted = dev.chainrule.model.ModelOptions.DEFAULT.withReadable(java.util.List.of(shared));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 50; i++) {
                var allowed = pool.submit(() -> dev.chainrule.api.Model.parse(new dev.chainrule.diag.Source(
                        folder.resolve("a.chain").toString(), text), granted));
                var refused = pool.submit(() -> {
                    try {
                        dev.chainrule.api.Model.parse(folder.resolve("b.chain").toString(), text);
                        return "read";
                    } catch (dev.chainrule.diag.ChainException e) {
                        return "refused";
                    }
                });
                allowed.get();
                assertEquals("refused", refused.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Running notebooks and starting kernels leaves nothing in the system's temporary folder. */
    @Test
    void noTemporaryFolderIsLeftBehind() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.function.Supplier<java.util.Set<String>> ours = () -> {
            try (var files = Files.list(tmp)) {
                return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("chainrule-notebook")
                        || n.startsWith("chainrule-kernel")).collect(java.util.stream.Collectors.toSet());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        java.util.Set<String> before = ours.get();
        Path notebook = dir.resolve("n.ipynb");
        Files.copy(Path.of("notebooks/05-symbolic-derivatives.ipynb"), notebook);
        assertEquals(0, run("notebook", "run", notebook.toString()).status());
        dev.chainrule.notebook.kernel.ChainKernel.create().evalRaw("param w = 1\nE = w^2\ntrain E lr 0.1 steps 3\nplot loss");
        assertEquals(before, ours.get());
    }
}
