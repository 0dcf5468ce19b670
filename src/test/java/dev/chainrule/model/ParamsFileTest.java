package dev.chainrule.model;

import static dev.chainrule.testing.Cli.file;
import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.cli.Main;
import dev.chainrule.diag.Source;
import dev.chainrule.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Params saved to a file and loaded back, in a model ({@code save params to}, {@code load params
 * from}) and on the command line ({@code --params}): the same doubles, bit for bit, and a file
 * that does not fit the model refused with the param it is about.
 */
class ParamsFileTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            param W = [[0.1, -0.2], [0.3, 0.4]], b = [0.5, -0.6], s = 0.7
            input x = [1, 2]
            E = sum(tanh(W @ x + b) * s)
            """;

    @Test
    void savedParamsReadBackBitForBit() throws Exception {
        Model m = Model.parse(new Source(dir.resolve("m.chain").toString(), MODEL
                + "train E lr 0.3 steps 7 optimizer adam\nsave params to \"w.json\"\n"));
        List<Result> results = new Session(m, Options.defaults()).runAll();
        assertEquals("saved 3 params (W, b, s) to " + dir.resolve("w.json") + "\n", results.get(1).text(Options.defaults()));
        Model fresh = Model.parse(new Source(dir.resolve("n.chain").toString(), MODEL + "load params from \"w.json\"\n"));
        new Session(fresh, Options.defaults()).runAll();
        for (String name : List.of("W", "b", "s")) {
            assertArrayEquals(m.scope().leafValue(m.scope().lookup(name)).toArray(),
                    fresh.scope().leafValue(fresh.scope().lookup(name)).toArray(), 0.0, name);
        }
        String text = Files.readString(dir.resolve("w.json"));
        assertTrue(text.startsWith("{\n  \"W\": [["), text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON         | {"W": [[1, 2], [3, 4]], | w.json is not JSON: End of input at line 1 column 24 path $.W
            not an object    | [1, 2]                  | w.json is not a params file: it should hold {"name": value, ...}
            an unknown name  | {"V": 1}                | w.json has a value for 'V', which is not a param of the model
            an input         | {"x": [1, 2]}           | w.json has a value for 'x', which is an input of the model; a params file holds params only
            a wrong shape    | {"W": [1, 2], "b": [1, 2], "s": 1} | w.json gives 'W' a (2) value, and the model's 'W' is a (2×2) value
            a missing param  | {"W": [[1, 2], [3, 4]], "b": [1, 2]} | w.json has no value for the param 's'
            ragged rows      | {"W": [[1, 2], [3]]}    | w.json gives 'W' rows of different lengths or kinds
            a word           | {"s": "big"}            | w.json gives 's' something that is not a number, a list or a list of lists
            too large        | {"s": 1e999}            | w.json gives 's' a number too large for a double: 1e999
            """)
    void aFileThatDoesNotFitIsRefused(String kind, String json, String message) {
        Model m = Model.parse("m.chain", MODEL);
        ParamsFile.Refused refused = assertThrows(ParamsFile.Refused.class, () -> ParamsFile.read(m.scope(), json, "w.json"));
        assertEquals(message, refused.getMessage(), kind);
    }

    @Test
    void theCommandLineTrainsFromAParamsFileWithAnOptimizerAndBatches() throws Exception {
        String model = file(dir, "c.chain", """
                data X, y = moons(200, 0.1, 3)
                param W1 = normal(2, 8, seed=1) * 0.5, b1 = zeros(8), w2 = normal(8, seed=2) * 0.5, b2 = 0
                p = sigmoid(tanh(X @ W1 + b1) @ w2 + b2)
                L = -mean(y * log(p) + (1 - y) * log(1 - p))
                """);
        Cli.Run first = run("train", model, "--of", "L", "--lr", "0.5", "--steps", "100", "--batch", "20");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().startsWith("train L: 100 steps of gradient descent (sgd) on batches of 20 of the 200 rows, lr 0.5: "
                + "L on all rows 0.715457755 -> "), first.out());
        Files.writeString(dir.resolve("start.json"), "{\"W1\": " + "[[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]]"
                + ", \"b1\": [0, 0, 0, 0, 0, 0, 0, 0], \"w2\": [0, 0, 0, 0, 0, 0, 0, 0], \"b2\": 0}");
        Cli.Run adam = run("train", model, "--of", "L", "--lr", "0.1", "--steps", "3", "--optimizer", "adam",
                "--params", dir.resolve("start.json").toString());
        assertEquals(0, adam.status(), adam.err());
        // all-zero params give p = 1/2 on every point: the loss starts at log 2
        assertTrue(adam.out().startsWith("train L: 3 steps of gradient descent (adam), lr 0.1: L 0.693147181 -> "), adam.out());
        Files.writeString(dir.resolve("bad.json"), "{\"W1\": 1}");
        Cli.Run bad = run("train", model, "--of", "L", "--lr", "0.1", "--steps", "3", "--params", dir.resolve("bad.json").toString());
        assertEquals(Main.BAD_INPUT, bad.status());
        assertTrue(bad.err().startsWith("command line:"), bad.err());
        assertTrue(bad.err().lines().findFirst().orElseThrow().endsWith(dir.resolve("bad.json") + " gives 'W1' a scalar, "
                + "and the model's 'W1' is a (2×8) value"), bad.err());
        Cli.Run wrongBatch = run("train", model, "--of", "L", "--lr", "0.1", "--steps", "3", "--batch", "500");
        assertEquals(Main.BAD_INPUT, wrongBatch.status());
        assertTrue(wrongBatch.err().startsWith("command line:1:"), wrongBatch.err());
        assertTrue(wrongBatch.err().lines().findFirst().orElseThrow().endsWith(": --batch is a whole number of rows from 1 to 200, not 500"),
                wrongBatch.err());
        Cli.Run notAName = run("train", model, "--of", "L * 2", "--lr", "0.1", "--steps", "3", "--batch", "20");
        assertTrue(notAName.err().lines().findFirst().orElseThrow().endsWith(
                ": training in batches builds the loss again for each batch, so --of must name it, not 'L * 2'"), notAName.err());
    }
}
