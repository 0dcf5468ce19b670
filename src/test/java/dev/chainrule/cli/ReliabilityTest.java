package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.cli.Main;
import dev.chainrule.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits, reads and numeric anomalies from the command line: each ends in a diagnostic that says
 * what happened and where (asserted word for word), never a crash or a page of NaN.
 */
class ReliabilityTest {
    @TempDir
    Path dir;

    private static String firstLine(Cli.Run r) {
        return r.err().lines().findFirst().orElse("");
    }

    @Test
    void aTensorOverTheCapIsRefusedBeforeItIsMade() {
        String model = file(dir, "big.chain", "param W = zeros(100, 100)\nE = sum(W)\n");
        Cli.Run r = run("eval", model, "--max-elements", "1000");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":1:11: a value of 100 × 100 elements is more than the limit of 1000 (--max-elements)", firstLine(r));
        assertEquals(0, run("eval", model).status(), "the default cap allows it");
    }

    @Test
    void theDefaultCapStopsATypoOfTenBillionElements() {
        String model = file(dir, "typo.chain", "param W = normal(100000, 100000, seed=1)\n");
        Cli.Run r = run("eval", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":1:11: a value of 100000 × 100000 elements is more than the limit of 268435456 (--max-elements)",
                firstLine(r));
    }

    @Test
    void aCapOutOfRangeIsABadFlag() {
        String model = file(dir, "m.chain", "param x = 1\n");
        Cli.Run r = run("eval", model, "--max-elements", "0");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals("command line:1:" + (("chainrule eval " + model + " --max-elements ").length() + 1)
                + ": --max-elements must be between 1 and 2147483639, not 0", firstLine(r));
    }

    @Test
    void aStatementThatCannotFitTheHeapIsRefusedByItsTokensAtTheirPlace() throws Exception {
        // a JVM of 64 MB: 262,144 tokens of room for one statement; a one-line sum of 300,000 terms is
        // refused while it is read, at its 262,145th token (E, =, x, then + x: column 5 + 2 · 262,142)
        Path big = dir.resolve("big.chain");
        Files.writeString(big, "param x = 1\nE = x" + " + x".repeat(300_000) + "\nprint E\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), "dev.chainrule.cli.Main", "run", big.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(Main.BAD_INPUT, p.waitFor(), output);
        assertEquals(big + ":2:524289: this statement is too large for the 64 MB of Java heap: it reaches 262144 tokens here"
                + " (give Java more memory, as in java -Xmx16g -jar ..., or split the statement)", output.lines().findFirst().orElse(""));
        assertTrue(output.lines().skip(1).allMatch(line -> line.length() < 200), "the long line is shown as a window: " + output);
    }

    @Test
    void aDeviceOrAFifoIsNeverReadAsAModel() throws Exception {
        Cli.Run zero = run("run", "/dev/zero");
        assertEquals(Main.BAD_INPUT, zero.status());
        assertEquals("chainrule: /dev/zero is not a regular file (a device or a FIFO, say); chainrule reads regular files only",
                firstLine(zero));
        Path fifo = dir.resolve("m.chain");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(Main.BAD_INPUT, run("run", fifo.toString()).status());
    }

    @Test
    void csvReadsBelowTheModelsFolderOnlyUnlessAllowed() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("points.csv"), "1,2,0\n3,4,1\n");
        Files.writeString(models.resolve("here.csv"), "1,2,0\n3,4,1\n");
        String outside = file(models, "outside.chain", "data X, y = csv(\"../points.csv\", x=0..1, y=2)\nE = sum(X)\n");
        Cli.Run refused = run("eval", outside);
        assertEquals(Main.BAD_INPUT, refused.status());
        assertEquals(outside + ":1:17: csv reads files in the model's folder (" + models.toRealPath() + ") and below; "
                + "../points.csv is outside it (allow its folder with --allow-read DIR)", firstLine(refused));
        String absolute = file(models, "absolute.chain", "data X, y = csv(\"" + dir.resolve("points.csv") + "\", x=0..1, y=2)\n");
        assertEquals(Main.BAD_INPUT, run("eval", absolute).status());
        Cli.Run allowed = run("eval", outside, "--allow-read", dir.toString());
        assertEquals(0, allowed.status(), allowed.err());
        String inside = file(models, "inside.chain", "data X, y = csv(\"here.csv\", x=0..1, y=2)\nE = sum(X)\n");
        assertEquals(0, run("eval", inside).status());
    }

    @Test
    void aLinkOutOfTheFolderIsRefusedToo() throws IOException {
        Path models = Files.createDirectories(dir.resolve("m"));
        Files.writeString(dir.resolve("secret.csv"), "1,2,0\n");
        Files.createSymbolicLink(models.resolve("link.csv"), dir.resolve("secret.csv"));
        String model = file(models, "link.chain", "data X, y = csv(\"link.csv\", x=0..1, y=2)\n");
        Cli.Run r = run("eval", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertTrue(firstLine(r).endsWith("link.csv is outside it (allow its folder with --allow-read DIR)"), r.err());
    }

    @Test
    void anInfiniteDerivativeIsReportedAtItsNode() {
        String model = file(dir, "sqrt.chain", "param x = 0\ny = 3 * x\nE = sqrt(y) + x\n");
        Cli.Run r = run("grad", model, "--of", "E");
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":3:5: the derivative of sqrt(0) is inf", firstLine(r));
        assertTrue(r.err().contains("E = sqrt(y) + x\n    ^^^^^^^"), r.err());
    }

    @Test
    void anOverflowingGradientIsReportedWithItsFactors() {
        String model = file(dir, "over.chain", "param y = 0.5\nE = 1e300 * sin(1e10 * y)\n");
        Cli.Run r = run("grad", model, "--of", "E");
        assertEquals(Main.BAD_INPUT, r.status(), r.out());
        assertEquals(model + ":2:17: the gradient overflows: -9.67760203e+299 × the derivative of 10000000000 * 0.5 "
                + "with respect to its second operand, 10000000000, is -inf", firstLine(r));
    }

    @Test
    void trainingStopsAtTheFirstStepWhoseLossIsNotFinite() {
        String model = file(dir, "diverge.chain", "param w = 1\nE = 1e300 * w\ntrain E lr 1e10 steps 100\n");
        Cli.Run r = run("run", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":2:5: training stopped at step 2: the loss E is -inf; w holds inf or NaN after step 1 "
                + "(the steps diverged: a smaller learning rate may help)", firstLine(r));
    }

    @Test
    void trainingStopsWhereAValueFirstOverflows() {
        String model = file(dir, "grow.chain", "param w = 1\nE = w^2\ntrain E lr 10 steps 1000\n");
        Cli.Run r = run("run", model);
        assertEquals(Main.BAD_INPUT, r.status());
        assertEquals(model + ":2:5: training stopped at step 122: the result overflows: -5.36025827e+154 ^ 2 is inf; it depends on w,"
                + " which step 121 moved there (a smaller learning rate may help)", firstLine(r));
        assertFalse(r.out().contains("NaN"), r.out());
    }

    @Test
    void everyRuleOfTheTableAgreesWithDifferences() {
        Cli.Run r = run("check", "--rules");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("operations checked (the worst point of each shown), 0 disagree\n"), r.out());
        assertEquals(Main.BAD_INPUT, run("check", "--rules", "--of", "E").status());
    }

    @Test
    void theSameModelAndFlagsGiveTheSameBytes() {
        for (String example : new String[] {"classifier-xor", "backprop-2-2-2-matrix", "softmax-3-3-3"}) {
            Cli.Run first = run("run", "--example", example, "--json");
            Cli.Run second = run("run", "--example", example, "--json");
            assertEquals(0, first.status(), first.err());
            assertEquals(first.out(), second.out(), example);
        }
    }
}
