package dev.chainrule.lang;

import dev.chainrule.graph.op.Op;
import dev.chainrule.lang.antlr.ChainLexer;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The words of the language, for completion and for "did you mean": its keywords, read from the
 * grammar's vocabulary, and its function names, the op table's plus those the {@link Library}
 * defines.
 */
public final class Language {
    private static final SortedSet<String> KEYWORDS = keywordsOfTheGrammar();
    private static final SortedSet<String> FUNCTIONS = functionsOfTheLibrary();

    private Language() {
    }

    /** {@code input}, {@code param}, {@code print}, ... {@code to}. */
    public static SortedSet<String> keywords() {
        return KEYWORDS;
    }

    /** Every function a call may name. */
    public static SortedSet<String> functions() {
        return FUNCTIONS;
    }

    /**
     * Blocks an entry opens and does not close: a line that starts with {@code def} or {@code for}
     * and ends with {@code :} opens one, {@code end} closes one. An entry with an open block is
     * not finished yet, at the prompt as in a notebook kernel.
     */
    public static int openBlocks(String text) {
        ChainLexer lexer = new ChainLexer(org.antlr.v4.runtime.CharStreams.fromString(text));
        lexer.removeErrorListeners();
        int depth = 0;
        int first = -1;
        int last = -1;
        for (org.antlr.v4.runtime.Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
            int type = t.getType();
            if (type == ChainLexer.NEWLINE || type == ChainLexer.SEMI || type == org.antlr.v4.runtime.Token.EOF) {
                if ((first == ChainLexer.DEF || first == ChainLexer.FOR) && last == ChainLexer.COLON) {
                    depth++;
                }
                first = -1;
                last = -1;
                if (type == org.antlr.v4.runtime.Token.EOF) {
                    return depth;
                }
                continue;
            }
            if (type == ChainLexer.END) {
                depth--;
            }
            if (first < 0) {
                first = type;
            }
            last = type;
        }
    }

    /** True for the token type of a keyword. */
    static boolean isKeyword(int type) {
        return type >= ChainLexer.INPUT && type <= ChainLexer.TO;
    }

    private static SortedSet<String> keywordsOfTheGrammar() {
        SortedSet<String> words = new TreeSet<>();
        for (int type = ChainLexer.INPUT; type <= ChainLexer.TO; type++) {
            String literal = ChainLexer.VOCABULARY.getLiteralName(type);
            words.add(literal.substring(1, literal.length() - 1));
        }
        return Collections.unmodifiableSortedSet(words);
    }

    private static SortedSet<String> functionsOfTheLibrary() {
        SortedSet<String> names = new TreeSet<>(Library.NAMES);
        for (Op op : Op.values()) {
            if (op.functionName() != null && !op.internal()) {
                names.add(op.functionName());
            }
        }
        return Collections.unmodifiableSortedSet(names);
    }
}
