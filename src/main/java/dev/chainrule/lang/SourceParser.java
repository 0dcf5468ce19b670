package dev.chainrule.lang;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.lang.antlr.ChainLexer;
import dev.chainrule.lang.antlr.ChainParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.UnbufferedTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The parser facade: source text in, {@link Ast.Program} out, or a {@link ChainException} at the
 * first syntax error. This class, {@link AstBuilder} and {@link ParseContext} are the only ones
 * that use ANTLR.
 *
 * <p>Parsing is two-stage, as ANTLR recommends: the fast SLL mode first, and full LL only if SLL
 * fails. ANTLR's recursive-descent parser recurses once per level of bracket nesting, so a text
 * that can nest deeply is parsed on a thread of its own with a large stack (a short one, where it
 * is asked for): deeply nested input parses without the user having to enlarge the Java stack.
 */
public final class SourceParser {
    /** Stack for the parsing thread: room for roughly 10^5 levels of nested brackets. */
    private static final long PARSER_STACK_BYTES = 1L << 30;

    private SourceParser() {
    }

    /** Parses a whole source. */
    public static Ast.Program parse(Source source) {
        return reading(source, statements -> {
            List<Ast.Stmt> all = new ArrayList<>();
            for (Ast.Stmt s = statements.next(); s != null; s = statements.next()) {
                all.add(s);
            }
            return new Ast.Program(all);
        });
    }

    /** The top-level statements of a source, read one at a time as they are asked for. */
    public interface Statements {
        /** The next statement, or null at the end of the source; a syntax error is thrown as a ChainException. */
        Ast.Stmt next();
    }

    /**
     * Reads {@code source} a statement at a time while {@code use} asks for them, so that a model
     * can be built as it is read and no statement needs to be held once it is built. {@code use}
     * runs on the calling thread. A text that can nest deeply is parsed on a thread of its own with
     * a large stack, a little ahead of {@code use} ({@link Pipeline}): a large model is parsed on
     * one core while it is built on the other.
     */
    public static <T> T reading(Source source, java.util.function.Function<Statements, T> use) {
        if (shallow(source)) {
            return use.apply(new Reader(source));
        }
        Pipeline pipeline = new Pipeline(source);
        try {
            return use.apply(pipeline);
        } finally {
            pipeline.close();
        }
    }

    /**
     * The statements of a source parsed on the parser's thread, in batches handed over through a
     * bounded queue, so that the parser runs ahead of the builder by a few thousand statements at
     * most. A syntax error is handed over in its place, after the statements before it: the
     * builder meets it where it would have met it reading alone.
     */
    private static final class Pipeline implements Statements {
        private static final int BATCH = 256;
        private static final Object END = new Object();
        private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(16);
        private final Thread parser;
        private List<Ast.Stmt> batch = List.of();
        private int at;
        private boolean ended;

        Pipeline(Source source) {
            parser = new Thread(null, () -> produce(source), "chainrule-parser", PARSER_STACK_BYTES);
            parser.setDaemon(true);
            parser.start();
        }

        private void produce(Source source) {
            List<Ast.Stmt> statements = new ArrayList<>(BATCH);
            try {
                try {
                    Reader reader = new Reader(source);
                    for (Ast.Stmt s = reader.next(); s != null; s = reader.next()) {
                        statements.add(s);
                        if (statements.size() == BATCH) {
                            queue.put(statements);
                            statements = new ArrayList<>(BATCH);
                        }
                    }
                    queue.put(statements);
                    queue.put(END);
                } catch (RuntimeException | Error failure) {
                    queue.put(statements);
                    queue.put(failure);
                }
            } catch (InterruptedException builderStopped) {
                // the builder needs no more statements (it failed, or it read as many as it wanted)
            }
        }

        @Override
        public Ast.Stmt next() {
            while (at == batch.size()) {
                if (ended) {
                    return null;
                }
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while parsing", e);
                }
                if (item == END) {
                    ended = true;
                    return null;
                }
                if (item instanceof Throwable failure) {
                    ended = true;
                    throw unchecked(failure);
                }
                @SuppressWarnings("unchecked")
                List<Ast.Stmt> next = (List<Ast.Stmt>) item;
                batch = next;
                at = 0;
            }
            return batch.get(at++);
        }

        /** Stops the parser if it is still reading. */
        void close() {
            parser.interrupt();
        }
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
        return onParserThread(source, () -> {
            ChainParser parser = parser(source);
            parser.removeErrorListeners();
            parser.addErrorListener(new SyntaxErrors(source));
            return rule.apply(parser);
        });
    }

    /**
     * Characters that can each add a level to the parser's recursion: brackets, the operators that
     * nest ({@code ^} to its right, a sign before its operand) and the {@code :} of a block.
     */
    private static final String NESTING = "([^-+:";

    /** Text with at most this many of them is parsed on the calling thread: a few hundred frames fit any thread's stack. */
    static final int SHALLOW = 256;

    /** True when the source has at most {@link #SHALLOW} characters that can add a level of recursion. */
    private static boolean shallow(Source source) {
        String text = source.text();
        int nesting = 0;
        for (int i = 0; i < text.length() && nesting <= SHALLOW; i++) {
            if (NESTING.indexOf(text.charAt(i)) >= 0) {
                nesting++;
            }
        }
        return nesting <= SHALLOW;
    }

    /**
     * Runs {@code work} on a thread with a stack for any nesting, unless the source is too small to
     * nest deeply: starting a thread costs more than parsing a short model (about 0.2 ms against
     * 0.1 ms here), and sessions, flags and tests parse many short texts.
     */
    private static <T> T onParserThread(Source source, java.util.function.Supplier<T> work) {
        if (shallow(source)) {
            return work.get();
        }
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
        if (failure.get() != null) {
            throw unchecked(failure.get());
        }
        return result.get();
    }

    /** What the parser's thread threw, to throw again on the caller's: only unchecked throwables get there. */
    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (RuntimeException) t;
    }

    /**
     * Reads the program a statement at a time from an unbuffered token stream ({@code nextStatement}
     * of the grammar, which is {@code program} cut at its statements): each statement's tokens and
     * tree are let go once its AST is built, so memory follows the model and not the text. Each
     * statement is tried in SLL mode; if that fails, the same statement is read again in full LL
     * mode, which either parses it (SLL's answer was only too weak) or reports the first syntax
     * error in the words of {@link SyntaxErrors}.
     */
    private static final class Reader implements Statements {
        private final Source source;
        private final Tokens tokens;
        private final AstBuilder builder;
        private ChainParser fast;
        private boolean done;

        Reader(Source source) {
            this.source = source;
            ChainLexer lexer = new ChainLexer(CharStreams.fromString(source.text(), source.name()));
            lexer.removeErrorListeners();
            this.tokens = new Tokens(lexer, source);
            this.builder = new AstBuilder(source);
            this.fast = fastParser(tokens);
        }

        @Override
        public Ast.Stmt next() {
            if (done) {
                return null;
            }
            int mark = tokens.mark();
            int start = tokens.index();
            tokens.statementStarts(start);
            ChainParser.NextStatementContext next;
            try {
                next = fast.nextStatement();
            } catch (ParseCancellationException sllFailed) {
                tokens.seek(start);
                ChainParser full = new ChainParser(tokens);
                full.getInterpreter().setPredictionMode(PredictionMode.LL);
                full.removeErrorListeners();
                full.addErrorListener(new SyntaxErrors(source));
                next = full.nextStatement();
                fast = fastParser(tokens);
            } finally {
                tokens.release(mark);
            }
            if (next.statement() == null) {
                done = true;
                return null;
            }
            return builder.topLevel(next.statement());
        }
    }

    /**
     * Heap a token of model text takes while its statement is parsed and built, at most (measured:
     * a one-line sum of 2·10^7 tokens fails in 4 GB and parses in 6 GB).
     */
    static final long HEAP_BYTES_PER_TOKEN = 256;

    /**
     * The token stream of a {@link Reader}: it holds the tokens of one statement at most, and
     * refuses a statement whose tokens would not fit the heap, at the token where the budget runs
     * out (a statement's tokens and tree are all held while it is parsed).
     */
    private static final class Tokens extends UnbufferedTokenStream<Token> {
        private final Source source;
        private final long budget;
        private int statementStart;

        Tokens(ChainLexer lexer, Source source) {
            super(lexer, 256); // reads the first token, before the fields below are set: it is not counted
            this.source = source;
            this.budget = Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_TOKEN;
        }

        /** The statement being read starts at the token of index {@code start}. */
        void statementStarts(int start) {
            statementStart = start;
        }

        @Override
        protected void add(Token t) {
            if (source != null && (long) getBufferStartIndex() + n - statementStart + 1 > budget) {
                throw ChainException.semantic(new dev.chainrule.diag.Span(source, t.getLine(), t.getCharPositionInLine() + 1, 1),
                        "this statement is too large for the " + (Runtime.getRuntime().maxMemory() >> 20) + " MB of Java heap: it reaches "
                                + budget + " tokens here (give Java more memory, as in java -Xmx16g -jar ..., or split the statement)");
            }
            super.add(t);
        }
    }

    private static ChainParser fastParser(TokenStream tokens) {
        ChainParser parser = new ChainParser(tokens);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        parser.removeErrorListeners();
        return parser;
    }

    private static ChainParser parser(Source source) {
        ChainLexer lexer = new ChainLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        return new ChainParser(new CommonTokenStream(lexer));
    }
}
