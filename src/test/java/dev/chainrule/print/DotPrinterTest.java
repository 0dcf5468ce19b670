package dev.chainrule.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DOT of a graph: narrow labels whatever the sizes, and edges that say which operand is which. */
class DotPrinterTest {
    private static String dot(String model, String of) {
        Model m = Model.parse("m.chain", model);
        return m.dot(m.node("--of", of), Numbers.DEFAULT_DIGITS);
    }

    /** The label of the node whose record starts with {@code name}. */
    private static String label(String dot, String name) {
        Matcher m = Pattern.compile("n\\d+ \\[label=\"(" + Pattern.quote(name) + " \\|[^\"]*)\"").matcher(dot);
        assertTrue(m.find(), name + " in\n" + dot);
        return m.group(1);
    }

    /** Every edge line, as written. */
    private static List<String> edges(String dot) {
        return dot.lines().filter(l -> l.contains(" -> ")).map(String::strip).toList();
    }

    @Test
    void aMatrixNodeShowsItsShapeAndASummaryNotItsElements() {
        String dot = dot("param W = [[1, 2, 3], [4, 5, 6]]\ninput x = [1, 1, 1]\nE = sum(W @ x)\n", "E");
        assertEquals("W | param | value (2×3)\\nmin 1\\nmean 3.5\\nmax 6 | grad (2×3)\\nmin 1\\nmean 1\\nmax 1", label(dot, "W"));
        assertFalse(dot.contains("[1, 2, 3]"), dot);
        assertFalse(dot.contains("[["), dot);
    }

    @Test
    void aSliceIsWrittenAsTheUserWritesItNotByItsInternalOp() {
        String dot = dot("param v = [1, 2, 3]\nparam W = [[1, 2], [3, 4]]\nE = sum(v[0:2]) + W[1, 0]\n", "E");
        assertTrue(dot.contains("label=\"[:2] | value (2)"), dot);
        assertTrue(dot.contains("label=\"[1, 0] | value 3"), dot);
        for (dev.chainrule.graph.op.Op op : dev.chainrule.graph.op.Op.values()) {
            if (op.internal()) {
                assertFalse(dot.contains(op.name().toLowerCase(java.util.Locale.ROOT) + " |"), op + " in\n" + dot);
            }
        }
    }

    @Test
    void scalarsKeepTheirNumbersAndTinyTensorsTheirElements() {
        String dot = dot("param w = 0.5\ninput x = [1, 2]\nE = sum(w * x)\n", "E");
        assertEquals("w | param | value 0.5 | grad 3", label(dot, "w"));
        assertEquals("x | input | value (2)\\n1\\n2 | grad (2)\\n0.5\\n0.5", label(dot, "x"));
    }

    @Test
    void summariesTakeTheDigitsAskedFor() {
        Model m = Model.parse("m.chain", "param W = [[0.123456, 1, 1], [1, 1, 1]]\nE = sum(W)\n");
        String dot = m.dot(m.node("--of", "E"), 3);
        assertTrue(dot.contains("min 0.123\\nmean 0.854\\nmax 1"), dot);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            a - b  | left       | right
            a / b  | numerator  | denominator
            a ^ b  | base       | exponent
            """)
    void theOperandsOfAnOperationThatDoesNotCommuteAreLabelled(String expression, String first, String second) {
        String dot = dot("param a = 2, b = 3\ny = " + expression + "\n", "y");
        assertEquals(List.of("n0 -> n2 [label=\"" + first + "\"];", "n1 -> n2 [label=\"" + second + "\"];"), edges(dot));
    }

    @Test
    void theFactorsOfAMatrixProductAreLabelled() {
        String dot = dot("param A = [[1, 2], [3, 4]], B = [[0, 1], [1, 0]]\nY = A @ B\n", "Y");
        assertEquals(List.of("n0 -> n2 [label=\"left\"];", "n1 -> n2 [label=\"right\"];"), edges(dot));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a + b", "a * b", "max(a, b)", "min(a, b)"})
    void theOperandsOfAnOperationThatCommutesAreNot(String expression) {
        String dot = dot("param a = 2, b = 3\ny = " + expression + "\n", "y");
        assertEquals(List.of("n0 -> n2;", "n1 -> n2;"), edges(dot));
    }

    @Test
    void aBriefTensorIsItsShapeAndEitherItsElementsOrItsRange() {
        assertEquals(List.of("2.5"), Tensors.brief(Tensor.scalar(2.5), 9));
        assertEquals(List.of("(3)", "1", "2", "3"), Tensors.brief(Tensor.of(Shape.of(3), 1, 2, 3), 9));
        assertEquals(List.of("(2×2)", "[1, 2]", "[3, 4]"), Tensors.brief(Tensor.of(Shape.of(2, 2), 1, 2, 3, 4), 9));
        assertEquals(List.of("(2×3)", "min -1", "mean 0.5", "max 2"),
                Tensors.brief(Tensor.of(Shape.of(2, 3), -1, 0, 1, 2, 0.5, 0.5), 9));
        assertEquals(List.of("(5)", "min 0.333", "mean 0.333", "max 0.333"),
                Tensors.brief(Tensor.of(Shape.of(5), 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0, 1 / 3.0), 3));
    }
}
