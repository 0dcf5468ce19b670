package dev.chainrule.lang;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Span;
import dev.chainrule.lang.antlr.ChainParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's first syntax error into a diagnostic that speaks in the language's concepts
 * ("expected an expression, found end of line") rather than in token names.
 */
final class SyntaxErrors extends BaseErrorListener {
    private final Source source;

    SyntaxErrors(Source source) {
        this.source = source;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                            String antlrMessage, RecognitionException e) {
        Token token = (Token) offendingSymbol;
        Span span = spanOf(token, line, column);
        if (token.getType() == ChainParser.UNEXPECTED) {
            throw ChainException.syntax(span, "unexpected character '" + token.getText() + "'");
        }
        IntervalSet expected = e != null && e.getExpectedTokens() != null
                ? e.getExpectedTokens()
                : ((Parser) recognizer).getExpectedTokens();
        if (token.getType() == ChainParser.END && expected.contains(ChainParser.RETURN)) {
            throw ChainException.syntax(span, "a function's block ends with 'return' and its result, then 'end'");
        }
        if (Language.isKeyword(token.getType()) && (expected.contains(ChainParser.NAME) || followedByAssign(token))) {
            throw ChainException.syntax(span, "'" + token.getText() + "' is a keyword and cannot be used as a name");
        }
        if (e instanceof org.antlr.v4.runtime.NoViableAltException choice && choice.getStartToken().getType() == ChainParser.DEF) {
            String header = defHeader(choice.getStartToken(), token);
            if (header != null) {
                throw ChainException.syntax(span, header + ", found " + found(token));
            }
        }
                String closes = expected.contains(ChainParser.END) ? opened(((Parser) recognizer).getContext()) : null;
        if (closes != null) {
            throw ChainException.syntax(span, "expected 'end' to close " + closes + ", found " + found(token));
        }
        throw ChainException.syntax(span, "expected " + describe(expected) + ", found " + found(token));
    }

    /**
     * The innermost block being read that 'end' closes, in words ({@code 'def f' from line 1},
     * {@code 'for t' from line 4}), or null. Its contexts are walked up in a loop: nesting is the
     * user's to make as deep as they like.
     */
    private static String opened(org.antlr.v4.runtime.ParserRuleContext context) {
        for (org.antlr.v4.runtime.ParserRuleContext c = context; c != null; c = c.getParent()) {
            if (c instanceof ChainParser.FunctionBlockStatementContext def) {
                return "'def " + def.NAME().getText() + "' from line " + def.getStart().getLine();
            }
            if (c instanceof ChainParser.ForStatementContext loop && loop.statement() == null) {
                return "'for " + loop.NAME().getText() + "' from line " + loop.getStart().getLine();
            }
        }
        return null;
    }

    private Span spanOf(Token token, int line, int column) {
        if (token.getType() == Token.EOF || token.getType() == ChainParser.NEWLINE) {
            return new Span(source, line, source.line(line).length() + 1, 1);
        }
        return new Span(source, line, column + 1, Math.max(1, token.getText().length()));
    }

    private static String found(Token token) {
        return switch (token.getType()) {
            case Token.EOF -> "end of input";
            case ChainParser.NEWLINE -> "end of line";
            case ChainParser.NUMBER -> "number " + token.getText();
            default -> "'" + token.getText() + "'";
        };
    }

    /** The expected tokens in words, from the most general concept to single symbols. */
    static String describe(IntervalSet expected) {
        List<String> words = new ArrayList<>();
        boolean expression = expected.contains(ChainParser.NUMBER) && expected.contains(ChainParser.NAME);
        boolean statement = expected.contains(ChainParser.PRINT) && expected.contains(ChainParser.INPUT);
        if (statement) {
            words.add("a statement");
        } else if (expression) {
            words.add("an expression");
        }
        boolean operator = false;
        boolean end = false;
        for (int type : expected.toArray()) {
            if (statement && isStatementStart(type) || (expression || statement) && isExpressionStart(type)) {
                continue;
            }
            switch (type) {
                case ChainParser.PLUS, ChainParser.MINUS, ChainParser.STAR, ChainParser.SLASH, ChainParser.CARET -> {
                    if (!operator) {
                        words.add("an operator");
                        operator = true;
                    }
                }
                case Token.EOF, ChainParser.NEWLINE, ChainParser.SEMI -> {
                    if (!end) {
                        words.add("end of statement");
                        end = true;
                    }
                }
                case ChainParser.NAME -> words.add("a name");
                case ChainParser.STRING -> words.add("a file name in quotes");
                case ChainParser.NUMBER -> words.add("a number");
                default -> words.add(ChainParser.VOCABULARY.getLiteralName(type) != null
                        ? ChainParser.VOCABULARY.getLiteralName(type)
                        : ChainParser.VOCABULARY.getDisplayName(type));
            }
        }
        return join(words);
    }

    /**
     * What a def's header lacks where {@code token} stands, its two forms being
     * {@code def f(a, b): ... end} and {@code def f(a, b) = expression}; null when it is not the header.
     */
    private String defHeader(Token def, Token token) {
        String text = source.text();
        int from = Math.min(def.getStartIndex(), text.length());
        int to = Math.max(from, Math.min(token.getStartIndex(), text.length()));
        String before = text.substring(from, to);
        if (before.contains("\n")) {
            return null;
        }
        if (before.strip().equals("def")) {
            return "expected the function's name after 'def'";
        }
        if (precededBy(token, ',') || precededBy(token, '(') && !before.contains(")")) {
            return "expected a parameter's name in 'def'";
        }
        if (precededBy(token, ')')) {
            return "expected ':' (a block of statements, closed by 'end') or '=' (one expression) after the parameters of 'def'";
        }
        if (before.contains("(") && !before.contains(")")) {
            return "expected ',' or ')' between the parameters of 'def'";
        }
        return before.contains("(") ? null : "expected '(' and the parameters after the function's name in 'def'";
    }

    /** Whether the text before {@code token}, spaces aside, ends with {@code c}. */
    private boolean precededBy(Token token, char c) {
        String text = source.text();
        int i = Math.min(token.getStartIndex(), text.length()) - 1;
        while (i >= 0 && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i--;
        }
        return i >= 0 && text.charAt(i) == c;
    }

    /** True for {@code lr = ...}: a keyword where a definition's name would stand. */
    private boolean followedByAssign(Token token) {
        String text = source.text();
        int i = token.getStopIndex() + 1;
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '=';
    }

    private static boolean isStatementStart(int type) {
        return type == ChainParser.INPUT || type == ChainParser.PARAM || type == ChainParser.PRINT
                || type == ChainParser.GRAD || type == ChainParser.DERIVE || type == ChainParser.EXPLAIN
                || type == ChainParser.CHECK || type == ChainParser.TRAIN || type == ChainParser.GRAPH
                || type == ChainParser.DATA || type == ChainParser.PREDICT || type == ChainParser.PLOT
                || type == ChainParser.NAME || type == Token.EOF || type == ChainParser.NEWLINE
                || type == ChainParser.SEMI;
    }

    private static boolean isExpressionStart(int type) {
        return type == ChainParser.NAME || type == ChainParser.NUMBER || type == ChainParser.GRAD
                || type == ChainParser.LPAREN || type == ChainParser.MINUS || type == ChainParser.PLUS
                || type == ChainParser.LBRACKET;
    }

    private static String join(List<String> words) {
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
