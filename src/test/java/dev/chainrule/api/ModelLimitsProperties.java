package dev.chainrule.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Limits;
import dev.chainrule.model.ModelOptions;
import dev.chainrule.testing.Seeds;
import dev.chainrule.testing.TensorExpressions;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every way the language makes a value of a size the user writes (initialisers, {@code onehot},
 * broadcasting, {@code @}, generated data) is held to the model's own limit: refused at the line,
 * with the limit named, exactly when the exact count is over it; the same text under another limit
 * in another thread is judged by that limit alone.
 */
class ModelLimitsProperties {
    /** Ways to write a value of rows × cols elements, and the columns of the statement's first character. */
    private static String construct(int kind, int rows, int cols) {
        return switch (kind) {
            case 0 -> "ones(" + rows + ", " + cols + ")";
            case 1 -> "zeros(" + rows + ", " + cols + ")";
            case 2 -> "normal(" + rows + ", " + cols + ", seed=1)";
            case 3 -> "uniform(" + rows + ", " + cols + ", -1, 1, seed=2)";
            case 4 -> "ones(" + rows + ", 1) + ones(1, " + cols + ")";
            case 5 -> "ones(" + rows + ", 1) @ ones(1, " + cols + ")";
            default -> "onehot(zeros(" + rows + "), " + cols + ")";
        };
    }

    /** The first value over the limit, in evaluation order (left operand first), and where it is written. */
    private static String refusal(int kind, int rows, int cols, long limit) {
        String column = "11";
        String value = rows + " × " + cols;
        if ((kind == 4 || kind == 5) && rows > limit) {
            value = rows + " × 1";
        } else if ((kind == 4 || kind == 5) && cols > limit) {
            column = String.valueOf(11 + ("ones(" + rows + ", 1) " + (kind == 4 ? "+" : "@") + " ").length());
            value = "1 × " + cols;
        } else if (kind == 6 && rows > limit) {
            column = "18";
            value = String.valueOf(rows);
        }
        return "m.chain:1:" + column + ": a value of " + value + " elements is more than the limit of " + limit + " (--max-elements)";
    }

    @Test
    void valuesNearTheLimitAreMadeExactlyWhenTheyFit() {
        Seeds.qt().withExamples(300).forAll(integers().between(0, 6), integers().between(1, 400), integers().between(1, 400),
                        integers().between(1, 40_000))
                .checkAssert((kind, rows, cols, limit) -> {
                    String text = "print sum(" + construct(kind, rows, cols) + ")\n";
                    ModelOptions options = ModelOptions.DEFAULT.withLimits(Limits.DEFAULT.withMaxElements(limit));
                    long exact = (long) rows * cols;
                    if (exact <= limit) {
                        Model model = Model.parse("m.chain", text);
                        Model limited = Model.parse(new dev.chainrule.diag.Source("m.chain", text), options);
                        Session session = new Session(limited, Options.defaults());
                        assertEquals(new Session(model, Options.defaults()).runAll().get(0).json(), session.runAll().get(0).json());
                        return;
                    }
                    ChainException e = assertThrows(ChainException.class,
                            () -> Model.parse(new dev.chainrule.diag.Source("m.chain", text), options));
                    assertEquals(refusal(kind, rows, cols, limit), e.render().lines().findFirst().orElseThrow(), text);
                });
    }

    /**
     * Whatever the limit, differentiating a tensor model ends in a result or a diagnostic at a
     * place: a value over the limit made while differentiating (an internal node of a symbolic
     * gradient, say) never escapes as an internal error.
     */
    @Test
    void differentiatingUnderAnyLimitEndsInAResultOrADiagnostic() {
        Seeds.qt().withExamples(200).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 30), integers().between(1, 12))
                .checkAssert((choices, limit) -> {
                    String text = MatrixBackpropTestModels.PARAMS + "E = " + new TensorExpressions(choices).scalar(0) + "\n"
                            + "grad E\nderive E wrt W\nexplain E wrt W[0, 1]\nexplain E wrt v\ncheck E\n";
                    ModelOptions options = ModelOptions.DEFAULT.withLimits(Limits.DEFAULT.withMaxElements(limit));
                    Model model;
                    try {
                        model = Model.parse(new dev.chainrule.diag.Source("m.chain", text), options);
                    } catch (ChainException refused) {
                        refused.render();
                        return;
                    }
                    Session session = new Session(model, Options.defaults());
                    for (var command : model.commands()) {
                        try {
                            session.run(command).json();
                        } catch (ChainException diagnostic) {
                            diagnostic.render();
                        }
                    }
                });
    }

    @Test
    void twoModelsInTwoThreadsKeepTheirOwnLimits() throws Exception {
        String text = "param W = zeros(30, 30)\nE = sum(W)\n";
        ModelOptions strict = ModelOptions.DEFAULT.withLimits(Limits.DEFAULT.withMaxElements(100));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger wronglyAccepted = new AtomicInteger();
        AtomicInteger wronglyRefused = new AtomicInteger();
        try {
            for (int i = 0; i < 200; i++) {
                Future<?> a = pool.submit(() -> {
                    try {
                        Model.parse(new dev.chainrule.diag.Source("strict.chain", text), strict);
                        wronglyAccepted.incrementAndGet();
                    } catch (ChainException expected) {
                        // refused, as the strict limit says
                    }
                });
                Future<?> b = pool.submit(() -> {
                    try {
                        Model.parse("default.chain", text);
                    } catch (ChainException e) {
                        wronglyRefused.incrementAndGet();
                    }
                });
                a.get();
                b.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, wronglyAccepted.get());
        assertEquals(0, wronglyRefused.get());
    }
}
