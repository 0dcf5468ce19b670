package dev.chainrule.notebook;

import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Progress;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Stopped;
import dev.chainrule.diag.UsageException;
import dev.chainrule.graph.Node;
import dev.chainrule.print.Tensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive prompt: each entry is a cell of a {@link CellSession}, with line editing,
 * history, completion of names, functions and keywords, and more lines while a bracket is open.
 * Commands: {@code :help}, {@code :load FILE}, {@code :vars}, {@code :reset}, {@code :quit}.
 */
public final class Repl {
    private static final String HELP = """
            Statements and definitions as in a model file, one entry at a time; a name may be defined again,
            and a bare expression prints its value. The statements:
              input x = 1, param w = 0.5         leaves: data, and what training moves
              y = sigmoid(w*x + b)               a definition (h[t] = ... defines a member of a family)
              def dense(x, W, b) = sigmoid(W @ x + b)
              def f(x):  ...  return e  end      a function with local names (one per line)
              for t in 1..T: h[t] = tanh(U @ h[t-1] + x[t])    (or a block: for ...: ... end)
              include "layers.chain"             the statements of another file
              data X, y = blobs(300, 3, 7)       also moons, circles, xor, csv("f.csv", x=0..1, y=2)
              print e, ...   grad E wrt w, h[2]   derive E wrt z   explain E wrt W1[0, 1] [expand]
              check E        train E lr 0.5 steps 100 [wrt ...] [optimizer adam] [batch 32 over X, y]
              save params to "w.json"   load params from "w.json"   predict y with x = [1, 2]
              plot loss   plot boundary out over X, y   graph E [wrt w5]
            At the prompt:
              :load FILE   replace the session with a model file
              :vars        every name with its shape and value
              :reset       start a new, empty session
              :help        this text
              :quit        leave (or Ctrl-D)""";

    private final PrintWriter out;
    private final Progress progress;
    private CellSession session;
    /** Runs each entry, so that the prompt's thread can stop it and keep the session. */
    private final java.util.concurrent.ExecutorService worker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chainrule-repl");
        t.setDaemon(true);
        return t;
    });
    private volatile Thread running;

    /**
     * A prompt writing to {@code out}, telling {@code progress} about long statements (a progress
     * bar on a terminal).
     */
    public Repl(PrintWriter out, Progress progress) {
        this.out = out;
        this.progress = progress;
        this.session = new CellSession(Options.defaults().inlinePlots()).withProgress(progress);
    }

    /**
     * Stops the entry running now, if any (Ctrl-C): it ends with what it got done, and the session stays.
     *
     * @return whether an entry was running to be stopped
     */
    public boolean interrupt() {
        Thread t = running;
        if (t != null) {
            t.interrupt();
        }
        return t != null;
    }

    /**
     * The prompt on the process's terminal, with JLine's line editing, history and completion;
     * Ctrl-C stops the entry running and returns to the prompt.
     *
     * @param progress where long statements report (a progress bar on the terminal)
     */
    public static void interactive(java.util.function.Function<PrintWriter, Progress> progress) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Repl repl = new Repl(terminal.writer(), progress.apply(terminal.writer()));
            terminal.handle(Terminal.Signal.INT, signal -> repl.interrupt());
            DefaultParser parser = new DefaultParser();
            parser.setEofOnUnclosedBracket(DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
            parser.setEscapeChars(new char[0]);
            parser.setQuoteChars(new char[] {'"'});
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                    .completer((r, line, candidates) -> repl.session.completions(line.word().substring(0, line.wordCursor()))
                            .forEach(word -> candidates.add(candidate(word))))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".chainrule_history"))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "   ... ")
                    .build();
            repl.banner();
            StringBuilder block = new StringBuilder();
            while (true) {
                String line;
                try {
                    line = reader.readLine(block.length() == 0 ? "chain> " : "   ... ");
                } catch (UserInterruptException e) {
                    block.setLength(0);
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                block.append(block.length() > 0 ? "\n" : "").append(line);
                if (dev.chainrule.lang.Language.openBlocks(block.toString()) > 0) {
                    continue;
                }
                String entry = block.toString();
                block.setLength(0);
                if (!repl.accept(entry)) {
                    break;
                }
            }
            repl.out.flush();
        }
    }

    /** A completion: a function completes with its opening bracket and no space after it. */
    static org.jline.reader.Candidate candidate(String word) {
        if (word.endsWith("(")) {
            return new org.jline.reader.Candidate(word, word.substring(0, word.length() - 1), null, null, null, null, false);
        }
        return new org.jline.reader.Candidate(word);
    }

    /**
     * The prompt over plain streams (a pipe, a test): the same entries, read a line at a time,
     * with further lines joined while a bracket is open.
     */
    public static void on(InputStream in, OutputStream output) throws IOException {
        new Repl(new PrintWriter(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8), true), Progress.NONE).read(in);
    }

    /** Reads entries from {@code in} until it ends or an entry asks to leave. */
    public void read(InputStream in) throws IOException {
        banner();
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder entry = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            entry.append(entry.length() > 0 ? "\n" : "").append(line);
            if (CellSession.openBrackets(entry) > 0 || dev.chainrule.lang.Language.openBlocks(entry.toString()) > 0) {
                continue;
            }
            boolean more = accept(entry.toString());
            entry.setLength(0);
            if (!more) {
                break;
            }
        }
        out.flush();
    }

    /** An entry typed over several lines while a bracket was open, as the one line it means. */
    static String joinBracketed(String entry) {
        StringBuilder joined = new StringBuilder();
        int depth = 0;
        for (char c : entry.toCharArray()) {
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
            joined.append(c == '\n' && depth > 0 ? ' ' : c);
        }
        return joined.toString();
    }

    private void banner() {
        out.println("chainrule 0.1.0 — type :help for help, :quit to leave");
    }

    /** Handles one entry; false when it asks to leave. */
    private boolean accept(String entry) {
        String command = entry.strip();
        if (command.equals(":quit") || command.equals(":q")) {
            return false;
        }
        if (command.startsWith(":")) {
            meta(command);
        } else if (!command.isEmpty()) {
            run(joinBracketed(entry));
        }
        out.flush();
        return true;
    }

    /**
     * Runs one entry on the worker thread and shows what it gave. A mistake is shown as a
     * diagnostic, a stopped statement says how far it got, and even a fault of chainrule's own or
     * running out of memory ends only the entry, never the prompt.
     */
    private void run(String cell) {
        run(null, cell);
    }

    private void run(Source source) {
        run(source, null);
    }

    /** Runs a source (a file) or a typed entry. */
    private void run(Source source, String cell) {
        CellSession current = session;
        java.util.concurrent.Future<CellSession.CellResult> result = worker.submit(() -> {
            running = Thread.currentThread();
            try {
                return source != null ? current.execute(source) : current.execute(cell);
            } finally {
                running = null;
                Thread.interrupted();
            }
        });
        try {
            CellSession.CellResult done = waitFor(result);
            if (!done.rebuilt().isEmpty()) {
                out.println("rebuilt on the new definitions: " + String.join(", ", done.rebuilt()));
            }
            for (Result r : done.results()) {
                out.print(r.text(current.options()));
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ChainException chain) {
                out.println(chain.render());
            } else if (cause instanceof UsageException usage) {
                out.println("chainrule: " + usage.getMessage());
            } else if (cause instanceof Stopped stopped) {
                out.println(stopped.getMessage());
            } else if (cause instanceof OutOfMemoryError) {
                out.println("chainrule: out of memory: the entry needs more than the " + (Runtime.getRuntime().maxMemory() >> 20)
                        + " MB Java may use; the session goes on without it");
            } else {
                out.println("chainrule: internal error: " + cause + " (the session goes on; please report it)");
            }
        }
    }

    /** The entry's result, waiting through interrupts of the prompt's own thread (they are for the entry). */
    private static <T> T waitFor(java.util.concurrent.Future<T> result) throws java.util.concurrent.ExecutionException {
        while (true) {
            try {
                return result.get();
            } catch (InterruptedException e) {
                // Ctrl-C reaches the entry through interrupt(); the prompt waits for it to stop
            }
        }
    }

    private void meta(String command) {
        String[] words = command.split("\\s+", 2);
        switch (words[0]) {
            case ":help", ":h" -> out.println(HELP);
            case ":reset" -> {
                session = new CellSession(Options.defaults().inlinePlots()).withProgress(progress);
                out.println("a new, empty session");
            }
            case ":vars" -> {
                dev.chainrule.api.Model model = session.model();
                for (String name : session.names()) {
                    Node node = session.scope().lookup(name);
                    String value;
                    try {
                        value = Tensors.format(model.value(node), 9);
                    } catch (ChainException e) {
                        value = "cannot be computed: " + e.getMessage();
                    }
                    out.println(name + " : " + node.shape() + " = " + value);
                }
            }
            case ":load" -> {
                if (words.length < 2) {
                    out.println(":load needs a file name");
                    return;
                }
                String file = words[1].strip();
                String text;
                try {
                    text = dev.chainrule.io.BoundedRead.model(Path.of(file));
                } catch (dev.chainrule.io.FileRefused e) {
                    out.println("chainrule: " + e.getMessage());
                    return;
                }
                // the file replaces the model: nothing of the session before it stays (no stale params)
                session = new CellSession(Options.defaults().inlinePlots()).withProgress(progress);
                out.println("a new session with " + file);
                run(new Source(file, text));
            }
            default -> out.println("unknown command " + words[0] + "; :help lists the commands");
        }
    }
}
