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
    /** Params files that a save escaping the model's folder would make: through a link, by "..", by an absolute path. */
    private static final Path OUTSIDE_WRITTEN_JSON = Path.of(System.getProperty("java.io.tmpdir"), "chainrule-fuzz-written.json");
    private static final Path OUTSIDE_ABSOLUTE_JSON = Path.of("/tmp/chainrule-fuzz-outside.json");
    private static Path outsideEscaped;

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
     * expected; a link to a file outside; a text file where a plot would go. For the language's
     * includes: a file of functions and a param ("layers.chain"), one that includes itself, two
     * that include each other, one that does not parse, one in a subfolder, a chain of includes, a
     * link to a model outside. For load and save: params files of wrong shapes, names and kinds,
     * not JSON, nested deeply, and a link to a file outside.
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
        Files.writeString(dir.resolve("layers.chain"), """
                # functions to include
                def dense(x, W, b) = sigmoid(W @ x + b)
                def block2(x, W):
                    net = W @ x
                    acc[0] = net
                    for t in 1..2: acc[t] = tanh(acc[t-1])
                    return acc[2]
                end
                param lw = [[0.1, 0.2], [0.3, 0.4]]
                """);
        Files.writeString(dir.resolve("params.chain"), "param pw = [0.5, -0.5]\nhp[0] = pw\nfor t in 1..2: hp[t] = hp[t-1] * pw\n");
        Files.writeString(dir.resolve("cycle.chain"), "include \"cycle.chain\"\n");
        Files.writeString(dir.resolve("a.chain"), "param pa = 1\ninclude \"b.chain\"\n");
        Files.writeString(dir.resolve("b.chain"), "include \"a.chain\"\n");
        Files.writeString(dir.resolve("broken.chain"), "def f(x):\n  return\nend end (\n");
        for (int i = 0; i < 40; i++) {
            Files.writeString(dir.resolve("deep" + i + ".chain"), "include \"deep" + (i + 1) + ".chain\"\n");
        }
        Files.writeString(dir.resolve("deep.chain"), "include \"deep0.chain\"\n");
        Files.writeString(dir.resolve("deep40.chain"), "param pdeep = 1\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/inner.chain"), "include \"../layers.chain\"\ninclude \"../../outside.chain\"\n");
        Path outsideModel = Files.createTempFile("chainrule-fuzz-outside", ".chain");
        Files.writeString(outsideModel, "param leaked = 1\n");
        outsideModel.toFile().deleteOnExit();
        Files.createSymbolicLink(dir.resolve("outside-link.chain"), outsideModel);
        Files.writeString(dir.resolve("w.json"), "{\"p0\": 0.5}\n");
        Files.writeString(dir.resolve("w-shapes.json"), "{\"p0\": [[1, 2], [3, 4]], \"p1\": [0.1, 0.2], \"p2\": 3}\n");
        Files.writeString(dir.resolve("w-ragged.json"), "{\"p0\": [[1, 2], [3]], \"p1\": [[1], 2]}\n");
        Files.writeString(dir.resolve("w-text.json"), "params: p0 = 1 {\n");
        Files.writeString(dir.resolve("w-deep.json"), "{\"p0\": " + "[".repeat(100_000) + "1" + "]".repeat(100_000) + "}");
        Files.writeString(dir.resolve("w-nested.json"), "{\"p0\": [[[0.5]]], \"p1\": {\"a\": 1}}");
        Files.writeString(dir.resolve("w-huge.json"), "{\"p0\": 1e999, \"p1\": [1e308, -1e999]}");
        Files.writeString(dir.resolve("w-list.json"), "[1, 2]");
        Files.writeString(dir.resolve("w-empty.json"), "");
        Files.writeString(dir.resolve("w-dup.json"), "{\"p0\": 1, \"p0\": [1, 2]}");
        Files.writeString(dir.resolve("w-extra.json"), "{\"p0\": 0.5, \"lw\": 1, \"nosuch\": 2, \"p0.net\": 3, \"h0[1]\": 4}");
        Files.writeString(dir.resolve("w-strings.json"), "{\"p0\": \"0.5\", \"p1\": [\"1\", null], \"p2\": true, \"p3\": []}");
        Files.writeString(dir.resolve("w-big.json"), "{\"p0\": [" + "0.5, ".repeat(300_000) + "0.5]}");
        Files.createSymbolicLink(dir.resolve("outside-link.json"), OUTSIDE_WRITTEN_JSON);
        outsideEscaped = dir.toAbsolutePath().getParent().resolve("chainrule-fuzz-escaped.json");
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
            if (Files.exists(OUTSIDE_WRITTEN) || Files.exists(OUTSIDE_ABSOLUTE) || Files.exists(OUTSIDE_WRITTEN_JSON)
                    || Files.exists(OUTSIDE_ABSOLUTE_JSON) || outsideEscaped != null && Files.exists(outsideEscaped)) {
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
