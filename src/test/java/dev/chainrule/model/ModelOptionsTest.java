package dev.chainrule.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.graph.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No process-wide settings: the limits and the folders a model may read travel with its
 * options, so two models built at once in two threads, under different settings, each get
 * exactly their own.
 */
class ModelOptionsTest {
    @TempDir
    Path dir;

    private static final String MODEL = """
            param W = ones(4, 4)
            E = sum(W @ W)
            """;

    /** What building {@link #MODEL} under {@code options} gives: its value, or the first line of its diagnostic. */
    private static String build(ModelOptions options) {
        try {
            Model m = Model.parse(new Source("m.chain", MODEL), options);
            return String.valueOf(m.value(m.scope().lookup("E")).item());
        } catch (ChainException e) {
            return e.render().lines().findFirst().orElseThrow();
        }
    }

    @Test
    void twoModelsInTwoThreadsKeepTheirOwnLimits() throws Exception {
        ModelOptions tight = ModelOptions.DEFAULT.withLimits(new Limits(10, Limits.DEFAULT_MAX_NODES));
        ModelOptions roomy = ModelOptions.DEFAULT;
        String refused = "m.chain:1:11: a value of 4 × 4 elements is more than the limit of 10 (--max-elements)";
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                Future<String> a = pool.submit(() -> {
                    together.await();
                    return build(tight);
                });
                Future<String> b = pool.submit(() -> {
                    together.await();
                    return build(roomy);
                });
                assertEquals(refused, a.get(), "round " + round);
                assertEquals("64.0", b.get(), "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFoldersAModelMayReadAreItsOwn() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.writeString(shared.resolve("points.csv"), "1,2,0\n3,4,1\n");
        Files.writeString(models.resolve("m.chain"), "data X, y = csv(\"../shared/points.csv\", x=0..1, y=2)\nE = sum(X)\n");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier together = new CyclicBarrier(2);
            Future<String> allowed = pool.submit(() -> {
                together.await();
                Model m = Model.load(models.resolve("m.chain"), ModelOptions.DEFAULT.withReadable(List.of(shared)));
                return String.valueOf(m.value(m.scope().lookup("E")).item());
            });
            Future<String> confined = pool.submit(() -> {
                together.await();
                try {
                    Model.load(models.resolve("m.chain"), ModelOptions.DEFAULT);
                    return "read";
                } catch (ChainException e) {
                    return e.getMessage();
                }
            });
            assertEquals("10.0", allowed.get());
            assertTrue(confined.get().contains("is outside it (allow its folder with --allow-read DIR)"), confined.get());
        } finally {
            pool.shutdownNow();
        }
    }
}
