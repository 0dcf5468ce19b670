package dev.chainrule.lang;

import static dev.chainrule.testing.Cli.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.api.Model;
import dev.chainrule.diag.ChainException;
import dev.chainrule.model.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code include "file"}: read relative to the including file, under the rules data files are
 * read by; a cycle is refused naming the chain of files; a mistake in an included file is
 * reported in that file, with its own name, line and caret.
 */
class IncludesTest {
    @TempDir
    Path dir;

    private String load(String name) {
        try {
            return Model.load(dir.resolve(name)).source().name();
        } catch (ChainException e) {
            return e.render().replace(dir.toString(), "DIR");
        }
    }

    @Test
    void anIncludedFileDefinesWhatTheIncluderUses() throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        file(dir.resolve("lib"), "layers.chain", "def dense(x, W, b) = sigmoid(W @ x + b)\ninclude \"losses.chain\"\n");
        file(dir.resolve("lib"), "losses.chain", "def half_squares(t, y) = sum(0.5 * (t - y)^2)\n");
        file(dir, "net.chain", """
                include "lib/layers.chain"
                input x = [0.05, 0.10], t = [0.01, 0.99]
                param W1 = [[0.15, 0.20], [0.25, 0.30]], b1 = [0.35, 0.35]
                param W2 = [[0.40, 0.45], [0.50, 0.55]], b2 = [0.60, 0.60]
                E = half_squares(t, dense(dense(x, W1, b1), W2, b2))
                """);
        Model m = Model.load(dir.resolve("net.chain"));
        assertEquals(0.298371109, m.value(m.scope().lookup("E")).item(), 5e-10);
    }

    @Test
    void aMistakeInAnIncludedFileIsReportedThere() {
        file(dir, "main.chain", "input a = 1\ninclude \"bad.chain\"\n");
        file(dir, "bad.chain", "# helpers\ny = a +* 2\n");
        assertEquals("""
                DIR/bad.chain:2:8: expected an expression, found '*'
                y = a +* 2
                       ^
                DIR/main.chain:2:9: included here
                include "bad.chain"
                        ^^^^^^^^^^^""", load("main.chain"));
        file(dir, "main2.chain", "input a = 1\ninclude \"unknown.chain\"\n");
        file(dir, "unknown.chain", "y = b * 2\n");
        assertEquals("""
                DIR/unknown.chain:1:5: unknown name 'b'
                y = b * 2
                    ^
                DIR/main2.chain:2:9: included here
                include "unknown.chain"
                        ^^^^^^^^^^^^^^^""", load("main2.chain"));
    }

    @Test
    void aCycleOfIncludesIsRefusedWithItsFiles() {
        file(dir, "a.chain", "include \"b.chain\"\n");
        file(dir, "b.chain", "input x = 1\ninclude \"c.chain\"\n");
        file(dir, "c.chain", "include \"a.chain\"\n");
        assertEquals("""
                DIR/c.chain:1:9: files include each other in a cycle: a.chain → b.chain → c.chain → a.chain
                include "a.chain"
                        ^^^^^^^^^
                DIR/b.chain:2:9: included here
                include "c.chain"
                        ^^^^^^^^^
                DIR/a.chain:1:9: included here
                include "b.chain"
                        ^^^^^^^^^""", load("a.chain"));
        file(dir, "self.chain", "include \"self.chain\"\n");
        assertEquals("""
                DIR/self.chain:1:9: files include each other in a cycle: self.chain → self.chain
                include "self.chain"
                        ^^^^^^^^^^^^""", load("self.chain"));
    }

    @Test
    void aFileIncludedTwiceDefinesItsNamesOnce() {
        file(dir, "common.chain", "def act(x) = tanh(x)\nparam w = 1\n");
        file(dir, "left.chain", "include \"common.chain\"\ndef twice(x) = 2 * x\n");
        file(dir, "right.chain", "include \"common.chain\"\n");
        file(dir, "main.chain", "include \"left.chain\"\ninclude \"right.chain\"\ny = act(twice(w))\n");
        Model m = Model.load(dir.resolve("main.chain"));
        assertEquals(Math.tanh(2), m.value(m.scope().lookup("y")).item(), 1e-15);
        // a name defined again is reported with the file that defined it first
        file(dir, "again.chain", "include \"common.chain\"\nparam w = 2\n");
        assertEquals("DIR/again.chain:2:7: 'w' is already defined at DIR/common.chain:2", load("again.chain").lines().findFirst().orElseThrow());
    }

    @Test
    void includesFollowTheRulesOfDataFiles() throws IOException {
        Path inside = Files.createDirectories(dir.resolve("model"));
        Path outside = Files.createDirectories(dir.resolve("shared"));
        file(outside, "lib.chain", "def twice(x) = 2 * x\n");
        file(inside, "m.chain", "include \"../shared/lib.chain\"\ninput a = 1\ny = twice(a)\n");
        ChainException refused = assertThrows(ChainException.class, () -> Model.load(inside.resolve("m.chain")));
        assertEquals("DIR/model/m.chain:1:9: include reads files in the model's folder (DIR/model) and below; ../shared/lib.chain is "
                + "outside it (allow its folder with --allow-read DIR)", refused.render().lines().findFirst().orElseThrow()
                .replace(dir.toString(), "DIR"));
        Model allowed = Model.load(inside.resolve("m.chain"), ModelOptions.DEFAULT.withReadable(List.of(outside)));
        assertEquals(2, allowed.value(allowed.scope().lookup("y")).item());
        file(inside, "missing.chain", "include \"nothere.chain\"\n");
        ChainException missing = assertThrows(ChainException.class, () -> Model.load(inside.resolve("missing.chain")));
        assertEquals("DIR/model/missing.chain:1:9: DIR/model/nothere.chain: no such file",
                missing.render().lines().findFirst().orElseThrow().replace(dir.toString(), "DIR"));
        file(inside, "looped.chain", "for t in 1..2: include \"m.chain\"\n");
        ChainException looped = assertThrows(ChainException.class, () -> Model.load(inside.resolve("looped.chain")));
        assertEquals("DIR/model/looped.chain:1:16: files are included outside loops (when t = 1)",
                looped.render().lines().findFirst().orElseThrow().replace(dir.toString(), "DIR"));
    }
}
