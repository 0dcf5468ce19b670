package dev.chainrule.lang;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.lang.antlr.ChainLexer;
import dev.chainrule.lang.antlr.ChainParser;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The parser facade: source text in, {@link Ast.Program} out, or a {@link ChainException} at the
 * first syntax error. This class and {@link AstBuilder} are the only ones that use ANTLR.
 *
 * <p>Parsing is two-stage, as ANTLR recommends: the fast SLL mode first, and full LL only if SLL
 * fails. ANTLR's recursive-descent parser recurses once per level of bracket nesting, so parsing
 * runs on a thread of its own with a large stack: deeply nested input parses without the user
 * having to enlarge the Java stack.
 */
public final class SourceParser {
    /** Stack for the parsing thread: room for roughly 10^5 levels of nested brackets. */
    private static final long PARSER_STACK_BYTES = 1L << 30;

    private SourceParser() {
    }

    /** Parses a whole source. */
    public static Ast.Program parse(Source source) {
        return onParserThread(() -> parseHere(source));
    }

    /** Parses a source that holds one expression (a command-line flag such as {@code --of}). */
    public static Ast.Expr parseExpression(Source source) {
        return entry(source, parser -> new AstBuilder(source).standalone(parser.standaloneExpr()));
    }

    /** Parses a list of targets, as {@code --wrt} gives them: {@code w1, W2[0, 1], h1.net}. */
    public static List<Ast.Target> parseTargets(Source source) {
        return entry(source, parser -> new AstBuilder(source).standalone(parser.standaloneTargets()));
    }

    /** Parses one assignment, as {@code --set} gives it: {@code x=[1, 2]}. */
    public static Ast.Binding parseAssignment(Source source) {
        return entry(source, parser -> new AstBuilder(source).standalone(parser.standaloneAssignment()));
    }

    /** Text typed on the command line, read by one of the grammar's entry rules. */
    private static <T> T entry(Source source, java.util.function.Function<ChainParser, T> rule) {
        return onParserThread(() -> {
            ChainParser parser = parser(source);
            parser.removeErrorListeners();
            parser.addErrorListener(new SyntaxErrors(source));
            return rule.apply(parser);
        });
    }

    private static <T> T onParserThread(java.util.function.Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(work.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "chainrule-parser", PARSER_STACK_BYTES);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    /**
     * Heap a token of model text takes while it is parsed and built, at most (measured: a one-line
     * sum of 2·10^7 tokens fails in 4 GB and parses in 6 GB).
     */
    static final long HEAP_BYTES_PER_TOKEN = 256;

    /**
     * Refuses, before parsing, a model whose tokens would not fit the heap: counted by a lexer pass
     * that keeps nothing, and reported at the token where the budget runs out.
     */
    private static void requireRoom(Source source) {
        long budget = Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_TOKEN;
        ChainLexer lexer = new ChainLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        long count = 0;
        for (org.antlr.v4.runtime.Token t = lexer.nextToken(); t.getType() != org.antlr.v4.runtime.Token.EOF; t = lexer.nextToken()) {
            if (++count > budget) {
                throw ChainException.semantic(new dev.chainrule.diag.Span(source, t.getLine(), t.getCharPositionInLine() + 1, 1),
                        "this model is too large for the " + (Runtime.getRuntime().maxMemory() >> 20) + " MB of Java heap: it reaches "
                                + budget + " tokens here (give Java more memory, as in java -Xmx16g -jar ..., or split the model)");
            }
        }
    }

    private static Ast.Program parseHere(Source source) {
        requireRoom(source);
        ChainParser.ProgramContext tree;
        ChainParser parser = parser(source);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        parser.removeErrorListeners();
        try {
            tree = parser.program();
        } catch (ParseCancellationException sllFailed) {
            parser = parser(source);
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            parser.setErrorHandler(new DefaultErrorStrategy());
            parser.removeErrorListeners();
            parser.addErrorListener(new SyntaxErrors(source));
            tree = parser.program();
        }
        return new AstBuilder(source).program(tree);
    }

    private static ChainParser parser(Source source) {
        ChainLexer lexer = new ChainLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        return new ChainParser(new CommonTokenStream(lexer));
    }
}
