package dev.chainrule.cli;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Diagnostic;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Span;
import dev.chainrule.diag.UsageException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Entry point of {@code java -jar chainrule.jar}. */
public final class Main {
    /** Exit status for a gradient check that failed. */
    public static final int CHECK_FAILED = 1;
    /** Exit status for any mistake in the input: model text, flags, files. */
    public static final int BAD_INPUT = 2;
    /** Exit status for a fault of chainrule itself. */
    public static final int INTERNAL_ERROR = 3;

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs the command line with the given streams and returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = new CommandLine(new Commands.Root());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println(flagDiagnostic(e, a));
            err.println("Try 'chainrule --help'" + (e.getCommandLine().getParent() != null
                    ? " or 'chainrule " + e.getCommandLine().getCommandName() + " --help'" : "") + ".");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            CommandLine c = command;
            if (e instanceof ChainException chain) {
                err.println(chain.render());
            } else if (e instanceof FlagException flag) {
                err.println(onCommandLine(args, valueOf(args, flag.flag()), flag.getMessage()));
                err.println("Try 'chainrule " + c.getCommandName() + " --help'.");
            } else if (e instanceof UsageException usage) {
                err.println("chainrule: " + usage.getMessage());
            } else {
                err.println("chainrule: internal error: " + e);
                if (!debug) {
                    err.println("(run again with --debug for the stack trace, and please report it)");
                }
            }
            if (debug) {
                e.printStackTrace(err);
            }
            return e instanceof ChainException || e instanceof UsageException ? BAD_INPUT : INTERNAL_ERROR;
        });
        int status;
        try {
            status = cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("chainrule: out of memory: the model needs more than the " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB Java may use; give Java more (java -Xmx8g -jar ...) or make the model smaller");
            status = BAD_INPUT;
        }
        out.flush();
        err.flush();
        return status;
    }

    /** A bad flag as a diagnostic on the command line itself, with a caret under the culprit. */
    private static String flagDiagnostic(CommandLine.ParameterException e, String[] args) {
        String culprit = null;
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            culprit = u.getUnmatched().get(0);
        } else {
            for (String arg : args) {
                if (!arg.isEmpty() && e.getMessage().contains("'" + arg + "'")) {
                    culprit = arg;
                    break;
                }
            }
        }
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            boolean command = e.getCommandLine().getParent() == null && args.length > 0 && args[0].equals(culprit);
            String what = culprit != null && culprit.startsWith("-") ? "unknown option '"
                    : command ? "unknown command '" : "unexpected argument '";
            message = what + culprit + "'" + (suggestions.isEmpty() ? "" : "; did you mean '" + suggestions.get(0) + "'?");
        }
        return onCommandLine(args, culprit, message);
    }

    /** A message about the command line, rendered as a diagnostic with a caret under {@code culprit} (or at the end). */
    private static String onCommandLine(String[] args, String culprit, String message) {
        String line = "chainrule " + String.join(" ", args);
        Source source = new Source("command line", line);
        int at = culprit == null ? line.length() : indexOfArg(line, culprit);
        Span span = source.spanAt(at, culprit == null ? 1 : Math.max(1, culprit.length()));
        return new Diagnostic(span, message).render();
    }

    /** What was given for {@code flag}: the argument after it, or the part after '=' (as {@code --digits=0}). */
    private static String valueOf(String[] args, String flag) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(flag) && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith(flag + "=")) {
                return args[i];
            }
        }
        return flag;
    }

    private static int indexOfArg(String line, String arg) {
        int at = line.indexOf(" " + arg);
        return at < 0 ? line.length() : at + 1;
    }
}
