package dev.chainrule.data;

import static dev.chainrule.testing.Cli.file;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Session;
import dev.chainrule.diag.ChainException;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files and generators, and the mistakes each can hold, reported where they are. */
class DataTest {
    @TempDir
    Path dir;

    private Model load(String text) {
        return Model.load(Path.of(file(dir, "m.chain", text)));
    }

    private ChainException mistake(String text) {
        return assertThrows(ChainException.class, () -> new Session(load(text), Options.defaults().withOut(dir)).runAll());
    }

    @Test
    void csvWithAHeaderRelativeToTheModelFile() {
        file(dir, "points.csv", "a,b,label\n0.5,1,0\n-1,2.5,1\n\n3,4,1\n");
        Model m = load("data X, y = csv(\"points.csv\", x=0..1, y=2)\n");
        Tensor x = m.scope().leafValue(m.scope().lookup("X"));
        assertEquals(Shape.of(3, 2), x.shape());
        assertArrayEquals(new double[] {0.5, 1, -1, 2.5, 3, 4}, x.toArray());
        assertArrayEquals(new double[] {0, 1, 1}, m.scope().leafValue(m.scope().lookup("y")).toArray());
    }

    @Test
    void aCellThatIsNotANumberIsReportedAtItsLineAndColumnOfTheFile() {
        file(dir, "points.csv", "0.5,1,0\n-1,abc,1\n");
        ChainException e = mistake("data X, y = csv(\"points.csv\", x=0..1, y=2)\n");
        assertEquals(dir.resolve("points.csv") + ":2:4: 'abc' in column 1 is not a number\n-1,abc,1\n   ^^^", e.render());
    }

    @Test
    void aRaggedRow() {
        file(dir, "points.csv", "0.5,1,0\n-1,2\n");
        ChainException e = mistake("data X, y = csv(\"points.csv\", x=0..1, y=2)\n");
        assertEquals(dir.resolve("points.csv") + ":2:5: row 2 has 2 cells, and column 2 is needed", e.render().lines().findFirst().orElseThrow());
    }

    @Test
    void aMissingFile() {
        ChainException e = mistake("data X, y = csv(\"none.csv\", x=0..1, y=2)\n");
        assertEquals(dir.resolve("m.chain") + ":1:17: no such file: " + dir.resolve("none.csv") + "\n"
                + "data X, y = csv(\"none.csv\", x=0..1, y=2)\n                ^^^^^^^^^^", e.render());
    }

    @Test
    void generatorMistakes() {
        assertEquals("unknown data source 'moonz'; did you mean 'moons'? (csv, moons, circles, xor, blobs)",
                mistake("data X, y = moonz(100, 0.1, 1)\n").getMessage());
        assertEquals("expected a whole number of at least 1", mistake("data X, y = moons(0, 0.1, 1)\n").getMessage());
        assertEquals("circles takes 4 numbers: circles(n, noise, factor, seed)", mistake("data X, y = circles(10, 0.1, 1)\n").getMessage());
        assertEquals("a seed is a whole number of at least 0", mistake("data X, y = xor(10, 0.1, -1)\n").getMessage());
    }

    @Test
    void generatorsAreReproducibleAndLabelled() {
        Dataset a = Generators.moons(50, 0.1, 7);
        Dataset b = Generators.moons(50, 0.1, 7);
        assertEquals(a, b);
        assertEquals(Shape.of(50, 2), a.x().shape());
        Dataset blobs = Generators.blobs(30, 3, 1);
        assertEquals(2.0, blobs.y().get(29));
        Dataset xor = Generators.xor(100, 0, 3);
        for (int i = 0; i < 100; i++) {
            boolean differ = (xor.x().get(2 * i) > 0) != (xor.x().get(2 * i + 1) > 0);
            assertEquals(differ ? 1.0 : 0.0, xor.y().get(i));
        }
        Dataset circles = Generators.circles(40, 0, 0.5, 1);
        double r = Math.hypot(circles.x().get(78), circles.x().get(79));
        assertEquals(0.5, r, 1e-12);
    }

    @Test
    void plotLossBeforeAnyTraining() {
        ChainException e = mistake("param a = 1\nE = a^2\nplot loss\n");
        assertEquals("plot loss draws the last training, and nothing has been trained yet", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("loss.png")));
    }

    @Test
    void predictOnNewInputsOfAnotherShape() {
        Model m = load("data X, y = xor(20, 0, 1)\nparam w = [1, -1]\np = sigmoid(X @ w)\nE = mean((p - y)^2)\n"
                + "predict p with X = [[0, 0], [2, 1]]\n");
        var results = new Session(m, Options.defaults()).runAll();
        assertEquals("p = [0.5, 0.731058579]\n", results.get(0).text(Options.defaults()));
    }

    @Test
    void setGivesInputsNewDataOfAnotherShape() {
        String model = file(dir, "m.chain", "data X, y = xor(20, 0, 1)\nparam w = [1, -1]\np = sigmoid(X @ w)\n"
                + "E = mean((p - y)^2)\n");
        var r = dev.chainrule.testing.Cli.run("eval", model, "--set", "X=[[0, 0], [2, 1]]", "--set", "y=[1, 0]", "--json");
        assertEquals("{\"values\": {\"X\": [[0, 0], [2, 1]], \"y\": [1, 0], \"w\": [1, -1], "
                + "\"p\": [0.5, 0.7310585786300049], \"E\": 0.3922233226942615}}\n", r.out());
        var param = dev.chainrule.testing.Cli.run("eval", model, "--set", "w=[1, 2, 3]");
        assertEquals("--set:1:3: 'w' is a (2) param, and this is a (3) value\nw=[1, 2, 3]\n  ^^^^^^^^^\n", param.err());
    }
}
