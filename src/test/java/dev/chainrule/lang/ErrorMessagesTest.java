package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.api.Model;
import dev.chainrule.diag.ChainException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of mistake in a model, with its message, line, column and caret, word for word. */
class ErrorMessagesTest {

    private static ChainException error(String text) {
        return assertThrows(ChainException.class, () -> {
            Model m = Model.parse("m.chain", text);
            new dev.chainrule.api.Session(m, dev.chainrule.api.Options.defaults()).runAll();
        });
    }

    /** Renders as {@code message}, the source line, and {@code carets} carets under the column. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing operand         | y = w1 *                  | m.chain:2:9: expected an expression, found end of line | 1
            unclosed bracket        | y = (w1 + 2               | m.chain:2:12: expected ')', found end of line | 1
            stray character         | y = w1 $ 2                | m.chain:2:8: unexpected character '$' | 1
            two operands            | y = w1 w1                 | m.chain:2:8: expected end of statement, found 'w1' | 2
            keyword as name         | lr = 3                    | m.chain:2:1: 'lr' is a keyword and cannot be used as a name | 2
            unknown name            | y = w9 * 2                | m.chain:2:5: unknown name 'w9'; did you mean 'w1'? | 2
            unknown name, no hint   | y = zeta * 2              | m.chain:2:5: unknown name 'zeta' | 4
            unknown function        | y = sigmod(w1)            | m.chain:2:5: unknown function 'sigmod'; did you mean 'sigmoid'? | 6
            a name used as function | y = w1(2)                 | m.chain:2:5: unknown function 'w1'; 'w1' is a name, not a function | 2
            wrong arity             | y = min(w1)               | m.chain:2:5: min takes 2 arguments, not 1 | 7
            wrong arity, unary      | y = exp(w1, 2)            | m.chain:2:5: exp takes 1 argument, not 2 | 10
            grad of a constant      | y = 3; z = grad(w1, y)    | m.chain:2:21: 'y' is a constant; derivatives are taken with respect to inputs, params and the values computed from them | 1
            fractional steps        | train w1 lr 0.1 steps 1.5 | m.chain:2:23: steps must be a whole number of at least 0 | 3
            number too large        | y = 1e999                 | m.chain:2:5: number 1e999 is too large for a double | 5
            three dimensions        | input t = [[[1]]]         | m.chain:2:13: a literal may have at most 2 dimensions (a matrix) | 3
            """)
    void mistakes(String kind, String line, String message, int carets) {
        ChainException e = error("param w1 = 1\n" + line + "\n");
        int column = Integer.parseInt(message.split(":")[2]);
        String caret = " ".repeat(column - 1) + "^".repeat(carets);
        assertEquals(message + "\n" + line + "\n" + caret, e.render(), kind);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            redefinition        | y = w1; y = 2                  | m.chain:2:9: 'y' is already defined at line 2
            redefine a leaf     | w1 = 2                          | m.chain:2:1: 'w1' is already defined at line 1
            use before definition | y = z * 2; z = 3              | m.chain:2:5: 'z' is used before its definition at line 2
            wrt a constant      | y = 2; explain w1 wrt y         | m.chain:2:23: 'y' is a constant; derivatives are taken with respect to inputs, params and the values computed from them
            explain unknown wrt | y = 2*w1; explain y wrt w2      | m.chain:2:25: unknown name 'w2'; did you mean 'w1'?
            log of a negative   | input a = -1; print log(a)     | m.chain:2:21: log of a negative number: log(-1) is NaN
            log of zero         | input a = 0; print log(a)      | m.chain:2:20: log of zero: log(0) is -inf
            division by zero    | input a = 0; print 1/a         | m.chain:2:20: division by zero: 1 / 0 is inf
            sqrt of a negative  | input a = -4; print sqrt(a)    | m.chain:2:21: square root of a negative number: sqrt(-4) is NaN
            overflow            | input a = 1000; print exp(a)   | m.chain:2:23: exp overflows: exp(1000) is inf
            negative base       | input a = -8; print a^0.5      | m.chain:2:21: fractional power of a negative number: -8 ^ 0.5 is NaN
            """)
    void mistakesFoundAfterParsing(String kind, String line, String message) {
        ChainException e = error("param w1 = 1\n" + line + "\n");
        assertEquals(message, e.render().lines().findFirst().orElseThrow(), kind);
    }

    /** A def's header, wrong anywhere, says what its place needs: the name, a parameter, ',' or ')', ':' or '='. */
    @org.junit.jupiter.api.Test
    void aDefHeaderSaysWhatItsPlaceNeeds() {
        String[][] cases = {
            {"def f(a)", "m.chain:1:9: expected ':' (a block of statements, closed by 'end') or '=' (one expression)"
                    + " after the parameters of 'def', found end of line"},
            {"def f(a) y", "m.chain:1:10: expected ':' (a block of statements, closed by 'end') or '=' (one expression)"
                    + " after the parameters of 'def', found 'y'"},
            {"def f(a b)", "m.chain:1:9: expected ',' or ')' between the parameters of 'def', found 'b'"},
            {"def f a", "m.chain:1:7: expected '(' and the parameters after the function's name in 'def', found 'a'"},
            {"def f(a,", "m.chain:1:9: expected a parameter's name in 'def', found end of line"},
            {"def (a)", "m.chain:1:5: expected the function's name after 'def', found '('"},
            {"def f(3)", "m.chain:1:7: expected a parameter's name in 'def', found number 3"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], error(c[0] + "\n").render().lines().findFirst().orElseThrow(), c[0]);
        }
    }

    /** A block left open is named where the 'end' should have come, with the line it opened at. */
    @org.junit.jupiter.api.Test
    void anUnclosedBlockIsNamedWithTheLineItOpenedAt() {
        assertEquals("m.chain:5:1: expected 'end' to close 'def f' from line 1, found 'param'\nparam a = 1\n^^^^^",
                error("def f(x):\n  y = 2 * x\n  return y\n\nparam a = 1\nE = f(a)\n").render());
        assertEquals("m.chain:4:1: expected 'end' to close 'def f' from line 1, found end of input",
                error("def f(x):\n  y = 2 * x\n  return y\n").render().lines().findFirst().orElseThrow());
        assertEquals("m.chain:4:1: expected 'end' to close 'for t' from line 2, found end of input",
                error("param u = 1\nfor t in 1..3:\n  h[t] = u * t\n").render().lines().findFirst().orElseThrow());
        // the inner of two open blocks is the one the 'end' is missing for
        assertEquals("m.chain:5:1: expected 'end' to close 'for t' from line 3, found end of input",
                error("param u = 1\ndef g(x):\n  for t in 1..3:\n    h[t] = x * t\n").render().lines().findFirst().orElseThrow());
    }

    @org.junit.jupiter.api.Test
    void gradWithoutWrtNeedsAParam() {
        ChainException e = error("input a = 1\ngrad a\n");
        assertEquals("m.chain:2:1: the model has no param to differentiate against; add 'wrt NAME'\ngrad a\n^^^^^^", e.render());
    }
}
