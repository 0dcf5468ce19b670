package dev.chainrule.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Brackets by precedence, in each format; temporaries for expressions that would swell. */
class ExprPrinterTest {

    private static String print(String expression, Format format) {
        Model model = Model.parse("m", "param x = 1, y = 2, z = 3, c = 2, A = [[1, 2], [3, 4]], v = [1, -1]\ne = " + expression + "\n");
        Node e = model.scope().lookup("e");
        return new ExprPrinter(model.graph(), format, n -> null).inline(e);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -x^2            | -x^2
            (-x)^2          | (-x)^2
            x^y^z           | x^y^z
            (x^y)^z         | (x^y)^z
            x - (y - z)     | x - (y - z)
            (x - y) - z     | x - y - z
            x - (y + z)     | x - (y + z)
            x + (y + z)     | x + (y + z)
            x + y + z       | x + y + z
            x * (y * z)     | x*(y*z)
            2 * c * (A @ v) | 2*c*(A @ v)
            (2 * c * A) @ v | 2*c*A @ v
            x / (y * z)     | x/(y*z)
            (x / y) * z     | x/y*z
            x * -y          | x*(-y)
            2^-x            | 2^(-x)
            -(x * y)        | -(x*y)
            --x             | -(-x)
            sigmoid(x + y)  | sigmoid(x + y)
            pow(x, 2)       | x^2
            max(x, -1.5)    | max(x, -1.5)
            x - -1.5        | x - (-1.5)
            0.001 * x       | 0.001*x
            1e-7 * x        | 1e-07*x
            """)
    void asciiParsesBackWithTheFewestBrackets(String source, String ascii) {
        assertEquals(ascii, print(source, Format.ASCII));
    }

    @Test
    void textUsesTheMiddleDot() {
        assertEquals("x·(1 - x)", print("x*(1 - x)", Format.TEXT));
    }

    @Test
    void latex() {
        assertEquals("\\frac{x + y}{z}", print("(x + y)/z", Format.LATEX));
        assertEquals("\\left(x + y\\right)^{2}", print("(x + y)^2", Format.LATEX));
        assertEquals("\\sigma\\left(x\\right) \\cdot \\sqrt{y}", print("sigmoid(x)*sqrt(y)", Format.LATEX));
        assertEquals("\\left|x\\right| \\cdot 10^{-7}".replace("10^{-7}", "1 \\times 10^{-7}"), print("abs(x)*1e-7", Format.LATEX));
    }

    @Test
    void namesInLatex() {
        assertEquals("w_{1}", ExprPrinter.latexName("w1"));
        assertEquals("\\mathrm{out}_{h1}", ExprPrinter.latexName("out_h1"));
        assertEquals("E", ExprPrinter.latexName("E"));
        assertEquals("\\mathrm{loss}", ExprPrinter.latexName("loss"));
    }

    @Test
    void sharedSubexpressionsOfAHugeExpressionBecomeTemporaries() {
        Model model = Model.parse("m", "param x = 0.5\ny = " + "sin(".repeat(40) + "x*x" + ")".repeat(40) + "\n");
        Node y = model.scope().lookup("y");
        Node d = model.derivative(y, model.scope().lookup("x"), null);
        ExprPrinter.Printed printed = model.print(d, Format.ASCII);
        assertTrue(printed.bindings().size() > 0);
        assertTrue(printed.inline().length() < 20_000, "length " + printed.inline().length());
        assertTrue(printed.bindings().get(0).name().equals("_1"));
    }
}
