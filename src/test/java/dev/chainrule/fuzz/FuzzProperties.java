package dev.chainrule.fuzz;

import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.api.Session;
import dev.chainrule.diag.ChainException;
import dev.chainrule.lang.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import dev.chainrule.testing.Seeds;
import org.quicktheories.core.Gen;

/**
 * Whatever a person types, chainrule ends in a result or a diagnostic: never an uncaught
 * exception, never a hang. Each case goes through the whole pipeline the command line uses:
 * parse, build, then every statement (eval, grad, derive, explain, check, train, predict, plot,
 * graph) with its result printed as text and JSON, and every diagnostic rendered with its caret.
 *
 * <p>The default runs are small, for CI; {@code mvn -Pfuzz verify} runs at least 10^6 cases
 * ({@code -Dchainrule.fuzz.cases=N} per property). A case that runs longer than
 * {@link #HANG_SECONDS} counts as a hang. A shrunk counterexample becomes a test in
 * {@link FuzzRegressionTest}.
 */
class FuzzProperties {
    /** Seconds after which a case counts as a hang: far beyond the slowest case seen (under a second). */
    static final int HANG_SECONDS = 60;
    private static final int CASES = Integer.getInteger("chainrule.fuzz.cases", 150);
    private static final long SEED = Seeds.SEED;
    private static final AtomicLong RUN = new AtomicLong();
    /** Runs the cases, so that one that hangs can be abandoned (it is a daemon thread). */
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-case");
        t.setDaemon(true);
        return t;
    });
    private static final Path OUT;

    static {
        try {
            OUT = Files.createTempDirectory("chainrule-fuzz");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void report() {
        System.out.println("fuzz: " + RUN.get() + " cases ran (seed " + SEED + ")");
    }

    @Test
    void randomBytesEndInAResultOrADiagnostic() {
        property(lists().of(integers().between(0, 255)).ofSizeBetween(0, 200), Programs::bytes);
    }

    @Test
    void tokenSoupEndsInAResultOrADiagnostic() {
        property(lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 80), Programs::soup);
    }

    @Test
    void wellFormedProgramsEndInAResultOrADiagnostic() {
        property(lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 160), Programs::wellFormed);
    }

    private static void property(Gen<List<Integer>> choices, Function<List<Integer>, String> program) {
        Seeds.qt().withExamples(CASES).withShrinkCycles(2000)
                .forAll(choices.describedAs(c -> "\n" + program.apply(c)))
                .checkAssert(c -> endsWell(program.apply(c)));
    }

    /** Runs one program through the pipeline on the worker thread; fails on an exception that is not a diagnostic, or a hang. */
    static void endsWell(String text) {
        RUN.incrementAndGet();
        Future<?> done = WORKER.submit(() -> pipeline(text, OUT));
        try {
            done.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            done.cancel(true);
            fail("no answer after " + HANG_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            AssertionError error = new AssertionError("not a diagnostic: " + cause, cause);
            throw error;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    /** What the command line does with a model file, statement by statement, keeping on after a diagnostic. */
    static void pipeline(String text, Path out) {
        Model model;
        try {
            model = Model.parse("fuzz.chain", text);
        } catch (ChainException e) {
            e.render();
            return;
        }
        Session session = new Session(model, Options.defaults().withOut(out).withSamples(6));
        for (Command command : model.commands()) {
            try {
                Result result = session.run(command);
                result.text(session.options());
                result.json();
            } catch (ChainException e) {
                e.render();
            }
        }
    }
}
