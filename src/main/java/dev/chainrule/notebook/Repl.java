package dev.chainrule.notebook;

import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.diag.ChainException;
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
            Statements and definitions as in a model file, one entry at a time; a name may be defined again.
              :load FILE   run a model file into this session
              :vars        every name with its shape and value
              :reset       start a new, empty session
              :help        this text
              :quit        leave (or Ctrl-D)""";

    private final PrintWriter out;
    private CellSession session = new CellSession(Options.defaults());

    private Repl(PrintWriter out) {
        this.out = out;
    }

    /** The prompt on the process's terminal, with JLine's line editing, history and completion. */
    public static void interactive() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Repl repl = new Repl(terminal.writer());
            DefaultParser parser = new DefaultParser();
            parser.setEofOnUnclosedBracket(DefaultParser.Bracket.ROUND, DefaultParser.Bracket.SQUARE);
            parser.setEscapeChars(new char[0]);
            parser.setQuoteChars(new char[] {'"'});
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                    .completer((r, line, candidates) -> repl.session.completions(line.word().substring(0, line.wordCursor()))
                            .forEach(word -> candidates.add(new org.jline.reader.Candidate(word))))
                    .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".chainrule_history"))
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "   ... ")
                    .build();
            repl.banner();
            while (true) {
                String entry;
                try {
                    entry = reader.readLine("chain> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                if (!repl.accept(entry)) {
                    break;
                }
            }
            repl.out.flush();
        }
    }

    /**
     * The prompt over plain streams (a pipe, a test): the same entries, read a line at a time,
     * with further lines joined while a bracket is open.
     */
    public static void on(InputStream in, OutputStream output) throws IOException {
        PrintWriter writer = new PrintWriter(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8), true);
        Repl repl = new Repl(writer);
        repl.banner();
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        StringBuilder entry = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            entry.append(entry.length() > 0 ? "\n" : "").append(line);
            if (CellSession.openBrackets(entry) > 0) {
                continue;
            }
            boolean more = repl.accept(entry.toString());
            entry.setLength(0);
            if (!more) {
                break;
            }
        }
        writer.flush();
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

    private void run(String cell) {
        try {
            CellSession.CellResult result = session.execute(cell);
            if (!result.rebuilt().isEmpty()) {
                out.println("rebuilt on the new definitions: " + String.join(", ", result.rebuilt()));
            }
            for (Result r : result.results()) {
                out.print(r.text(session.options()));
            }
        } catch (ChainException e) {
            out.println(e.render());
        } catch (UsageException e) {
            out.println("chainrule: " + e.getMessage());
        }
    }

    private void meta(String command) {
        String[] words = command.split("\\s+", 2);
        switch (words[0]) {
            case ":help", ":h" -> out.println(HELP);
            case ":reset" -> {
                session = new CellSession(Options.defaults());
                out.println("a new, empty session");
            }
            case ":vars" -> {
                dev.chainrule.api.Model model = dev.chainrule.api.Model.of(session.scope());
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
                try {
                    run(Files.readString(Path.of(words[1].strip()), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    out.println("chainrule: " + words[1].strip() + ": cannot read: " + e.getMessage());
                }
            }
            default -> out.println("unknown command " + words[0] + "; :help lists the commands");
        }
    }
}
