package dev.chainrule.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import dev.chainrule.testing.Seeds;
import dev.chainrule.testing.TensorExpressions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Printed expressions read back as the trees they print: random expressions (scalars with every
 * level of precedence, unary minus and powers in every position; tensors with {@code @},
 * transposes, indexing and reductions) are built, printed in ASCII and in text (text read with its
 * symbols {@code · ⊙ ᵀ} as {@code * * '}), parsed back in the same model, and must be the very
 * same node: graphs are hash-consed, so the same node means the same tree.
 */
class PrintParseProperties {

    /** Expressions over a, b, c with every tree written out in brackets; the printer chooses which to keep. */
    static final class Scalars {
        private static final String[] BINARY = {" + ", " - ", " * ", " / ", " ^ "};
        private static final String[] ATOMS = {"a", "b", "c", "2", "0.5", "-2", "-b", "1e-7"};
        private final List<Integer> choices;
        private int at;

        Scalars(List<Integer> choices) {
            this.choices = choices;
        }

        private int pick(int bound) {
            return at < choices.size() ? Math.floorMod(choices.get(at++), bound) : 0;
        }

        String expr(int depth) {
            int kind = depth > 5 ? 0 : pick(8);
            return switch (kind) {
                case 0 -> ATOMS[pick(ATOMS.length)];
                case 1, 2, 3 -> "(" + expr(depth + 1) + BINARY[pick(BINARY.length)] + expr(depth + 1) + ")";
                case 4 -> "(-(" + expr(depth + 1) + "))";
                case 5 -> "sin(" + expr(depth + 1) + ")";
                case 6 -> "max(" + expr(depth + 1) + ", " + expr(depth + 1) + ")";
                default -> "pow(" + expr(depth + 1) + ", " + expr(depth + 1) + ")";
            };
        }
    }

    private static String textAsAscii(String text) {
        return text.replace("·", "*").replace("⊙", "*").replace("ᵀ", "'").replace("≠", "!=").replace("≤", "<=").replace("≥", ">=");
    }

    /**
     * Builds {@code e = expression}, prints it both ways, reads each back: ASCII is the very same
     * node; text, which leaves out the broadcasts that broadcasting does anyway, the same value.
     */
    private static void readsBack(String params, String expression) {
        Model model = Model.parse("m.chain", params + "e = " + expression + "\n");
        Node e = model.scope().lookup("e");
        // a definition of a node that exists already (e = a) names a copy of it: the expression is what it copies
        readsBack(model, e.op() == dev.chainrule.graph.op.Op.COPY ? e.input(0) : e, expression);
    }

    private static void readsBack(Model model, Node e, String what) {
        if (!new ExprPrinter(model.graph(), Format.ASCII, n -> null).print(e).bindings().isEmpty()) {
            return; // an expression too long to write in one piece gets temporaries, listed after it ("where _1 = ...")
        }
        String ascii = new ExprPrinter(model.graph(), Format.ASCII, n -> null).inline(e);
        assertSame(e, model.node("--of", ascii), what + " printed in ASCII as " + ascii);
        ExprPrinter.Printed printed = new ExprPrinter(model.graph(), Format.TEXT, n -> null).print(e);
        if (!printed.bindings().isEmpty()) {
            return; // text names the parts it repeats ("where _1 = ..."): not one expression to read back
        }
        String text = printed.expression();
        if (text.contains("⊗")) {
            return; // u ⊗ v is notation for a column times a row, not a word of the language
        }
        Node read = model.node("--of", textAsAscii(text));
        dev.chainrule.tensor.Tensor value;
        try {
            value = model.value(e);
        } catch (dev.chainrule.diag.ChainException notFinite) {
            return; // the same text with no value to compare (a power of a negative number, say)
        }
        assertEquals(value, model.value(read), what + " printed in TEXT as " + text);
    }

    @Test
    void scalarExpressionsReadBackAsTheirTrees() {
        Seeds.qt().withExamples(500).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 40)
                        .describedAs(c -> new Scalars(c).expr(0)))
                .checkAssert(c -> readsBack("param a = 0.7, b = 1.3, c = 2\n", new Scalars(c).expr(0)));
    }

    @Test
    void tensorExpressionsReadBackAsTheirTrees() {
        // derivatives written with grad(...) print as what they compute, not as grad: left to their own property
        Seeds.qt().withExamples(300).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 30)
                        .describedAs(c -> new TensorExpressions(c).scalar(0)))
                .assuming(c -> !new TensorExpressions(c).scalar(0).contains("grad("))
                .checkAssert(c -> readsBack(MatrixBackpropTestModels.PARAMS, new TensorExpressions(c).scalar(0)));
    }

    /**
     * Every operation a derivative is made of has a name in the language: the symbolic gradient of
     * a random tensor expression with respect to each param, printed, reads back as the same
     * graph (and its text as the same value).
     */
    @Test
    void scalarDerivativesReadBackAsTheirTrees() {
        // the derivative's ASCII, read inside the same model, is the very node: equal at every point, not only at one
        Seeds.qt().withExamples(300).forAll(dev.chainrule.testing.RandomExpressions.CHOICES)
                .checkAssert(c -> {
                    Model model = dev.chainrule.testing.RandomExpressions.parse(c, List.of(0.3, -0.7, 1.1), "");
                    Node f = model.scope().lookup("f");
                    for (Node p : model.scope().params()) {
                        Node d = model.derivative(f, p, null);
                        if (!d.isConstant()) {
                            readsBack(model, d, "d/d" + p.leafName() + " of " + dev.chainrule.testing.RandomExpressions.expression(c));
                        }
                    }
                });
    }

    @Test
    void derivativesReadBackAsTheirTrees() {
        Seeds.qt().withExamples(200).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 30)
                        .describedAs(c -> new TensorExpressions(c).scalar(0)))
                .assuming(c -> !new TensorExpressions(c).scalar(0).contains("grad("))
                .checkAssert(c -> {
                    String expression = new TensorExpressions(c).scalar(0);
                    Model model = Model.parse("m.chain", MatrixBackpropTestModels.PARAMS + "e = " + expression + "\n");
                    Node e = model.scope().lookup("e");
                    for (Node p : model.scope().params()) {
                        Node d = model.derivative(e, p, null);
                        if (!d.isConstant()) {
                            readsBack(model, d, "d/d" + p.leafName() + " of " + expression);
                        }
                    }
                });
    }
}
