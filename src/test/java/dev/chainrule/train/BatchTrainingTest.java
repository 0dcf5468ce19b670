package dev.chainrule.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.diag.ChainException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mini-batches and optimizers. */
class BatchTrainingTest {
    private static final String CLASSIFIER = """
            data X, y = moons(120, 0.1, 3)
            param W1 = normal(2, 8, seed=1)
            param b1 = zeros(8)
            param W2 = normal(8, seed=2)
            param b2 = 0
            h = tanh(X @ W1 + b1)
            p = sigmoid(h @ W2 + b2)
            E = -mean(y * log(p) + (1 - y) * log(1 - p))
            accuracy = mean(y * step(p - 0.5) + (1 - y) * step(0.5 - p))
            """;

    private static List<Result> run(String statements) {
        return new Session(Model.parse("m.chain", CLASSIFIER + statements), Options.defaults()).runAll();
    }

    private static double accuracyAfter(String train) {
        Model m = Model.parse("m.chain", CLASSIFIER + train + "\n");
        new Session(m, Options.defaults()).runAll();
        return m.value(m.scope().lookup("accuracy")).item();
    }

    @Test
    void oneBatchOfEveryRowIsFullBatchTraining() {
        double full = ((Result.Trained) run("train E lr 0.5 steps 50\n").get(0)).report().last();
        double batched = ((Result.Trained) run("train E lr 0.5 steps 50 batch 120 over X, y\n").get(0)).report().last();
        assertEquals(full, batched, 1e-12);
    }

    @Test
    void miniBatchesTrainTheModelOnTheFullData() {
        Model m = Model.parse("m.chain", CLASSIFIER + "train E lr 0.5 steps 600 batch 16 over X, y\n");
        double before = m.value(m.scope().lookup("E")).item();
        new Session(m, Options.defaults()).runAll();
        double after = m.value(m.scope().lookup("E")).item();
        assertTrue(after < before / 2, before + " -> " + after);
        assertTrue(m.value(m.scope().lookup("accuracy")).item() > 0.85);
    }

    @Test
    void everyOptimizerLowersTheLoss() {
        for (String optimizer : List.of("sgd", "momentum", "adam")) {
            double accuracy = accuracyAfter("train E lr 0.05 steps 300 optimizer " + optimizer);
            assertTrue(accuracy > 0.8, optimizer + ": " + accuracy);
        }
    }

    @Test
    void batchMistakes() {
        ChainException big = assertThrows(ChainException.class, () -> run("train E lr 0.5 steps 5 batch 500 over X, y\n"));
        assertEquals("a batch is a whole number of rows from 1 to 120", big.getMessage());
        ChainException unknown = assertThrows(ChainException.class, () -> run("train E lr 0.5 steps 5 optimizer adamw\n"));
        assertEquals("unknown optimizer 'adamw'; did you mean 'adam'? (sgd, momentum, adam)", unknown.getMessage());
    }
}
