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
    /** Files that a write escaping the model's folder would make. */
    private static final Path OUTSIDE_WRITTEN = Path.of(System.getProperty("java.io.tmpdir"), "chainrule-fuzz-written.png");
    private static final Path OUTSIDE_ABSOLUTE = Path.of("/tmp/chainrule-fuzz-outside.png");

    static {
        try {
            OUT = Files.createTempDirectory("chainrule-fuzz");
            files(OUT);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The files the fuzzed programs name, made once beside the model: data files with odd first
     * rows, a byte-order mark, NUL bytes and CRLF lines; a FIFO and a folder where files are
     * expected; a link to a file outside; a text file where a plot would go.
     */
    static void files(Path dir) throws java.io.IOException, InterruptedException {
        Files.writeString(dir.resolve("bom.csv"), "\uFEFFx1,x2,y\n1,2,0\n3,4,1\n");
        Files.writeString(dir.resolve("nan-first.csv"), "NaN,2,0\n3,4,1\n");
        Files.writeString(dir.resolve("typo-first.csv"), "1,2o,0\n3,4,1\n");
        Files.writeString(dir.resolve("names.csv"), "a,b,label\n1,2,0\n");
        Files.writeString(dir.resolve("numbers.csv"), "1,2,0\n3,4,1\n5,6,0\n");
        Files.writeString(dir.resolve("nul.csv"), "1,2,0\n3,\u00004,1\n");
        Files.writeString(dir.resolve("crlf.csv"), "1,2,0\r\n3,4,1\r\n");
        Files.writeString(dir.resolve("header-only.csv"), "a,b,c\n");
        Files.writeString(dir.resolve("empty.csv"), "");
        Files.writeString(dir.resolve("notes.png"), "not a picture");
        Files.createDirectories(dir.resolve("folder.csv"));
        Path outside = Files.createTempFile("chainrule-fuzz-outside", ".csv");
        Files.writeString(outside, "1,2,0\n");
        outside.toFile().deleteOnExit();
        Files.createSymbolicLink(dir.resolve("outside-link.csv"), outside);
        Files.createSymbolicLink(dir.resolve("outside-link.png"), OUTSIDE_WRITTEN);
        new ProcessBuilder("mkfifo", dir.resolve("fifo.csv").toString()).start().waitFor();
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

    /** A notebook of any shape, run and checked as {@code notebook run/check} do: it runs, or it is a message. */
    @Test
    void malformedNotebooksEndInAResultOrAMessage() {
        Seeds.qt().withExamples(CASES).withShrinkCycles(2000)
                .forAll(lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 120).describedAs(c -> "\n" + Programs.notebook(c)))
                .checkAssert(c -> endsWell(() -> {
                    Path file = OUT.resolve("fuzz.ipynb");
                    try {
                        Files.writeString(file, Programs.notebook(c));
                        dev.chainrule.notebook.Notebooks.check(file);
                        dev.chainrule.notebook.Notebooks.run(file);
                    } catch (dev.chainrule.diag.UsageException expected) {
                        expected.getMessage();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
    }

    /** A kernel connection file of any shape is taken or refused with a message, never a crash. */
    @Test
    void connectionFilesAreTakenOrRefused() {
        Seeds.qt().withExamples(CASES).withShrinkCycles(2000)
                .forAll(lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 40).describedAs(c -> "\n" + Programs.connectionFile(c)))
                .checkAssert(c -> endsWell(() -> {
                    Path file = OUT.resolve("kernel.json");
                    try {
                        Files.writeString(file, Programs.connectionFile(c));
                        dev.chainrule.notebook.kernel.ChainKernel.connection(file);
                    } catch (dev.chainrule.diag.UsageException expected) {
                        expected.getMessage();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }));
    }

    private static void property(Gen<List<Integer>> choices, Function<List<Integer>, String> program) {
        Seeds.qt().withExamples(CASES).withShrinkCycles(2000)
                .forAll(choices.describedAs(c -> "\n" + program.apply(c)))
                .checkAssert(c -> endsWell(program.apply(c)));
    }

    /** Runs one program through the pipeline on the worker thread; fails on an exception that is not a diagnostic, or a hang. */
    static void endsWell(String text) {
        endsWell(() -> pipeline(text, OUT));
    }

    /** Runs one case on the worker thread; fails on an exception that is not a diagnostic, or a hang. */
    static void endsWell(Runnable work) {
        RUN.incrementAndGet();
        Future<?> done = WORKER.submit(work);
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
        try {
            runStatements(text, out);
        } finally {
            if (Files.exists(OUTSIDE_WRITTEN) || Files.exists(OUTSIDE_ABSOLUTE)) {
                throw new AssertionError("a write escaped the model's folder");
            }
        }
    }

    private static void runStatements(String text, Path out) {
        Model model;
        try {
            model = Model.parse(out.resolve("fuzz.chain").toString(), text);
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
