package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.api.MatrixBackpropTestModels;
import dev.chainrule.api.Model;
import dev.chainrule.autodiff.Forward;
import dev.chainrule.autodiff.Gradients;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.chainrule.testing.Seeds;

/**
 * Random tensor programs have the values and gradients of the same programs unrolled into
 * scalars ({@link Unrolled}), element by element: matrix products, transposes, reductions with and
 * without an axis, softmax and friends, indexing and broadcasting, composed at random.
 */
class UnrolledProperties {
    private static final String[] UNARY = {"sigmoid", "tanh", "sin", "cos", "softplus"};

    /** Well-typed expressions over W (2×3), M (3×2), v (3) and u (2), read off a list of choices. */
    static final class Typed {
        private final List<Integer> choices;
        private int at;

        Typed(List<Integer> choices) {
            this.choices = choices;
        }

        private int pick(int bound) {
            return at < choices.size() ? Math.floorMod(choices.get(at++), bound) : 0;
        }

        /** A scalar. */
        String scalar(int depth) {
            if (depth > 3) {
                return pick(2) == 0 ? "v[1]" : "W[1, 2]";
            }
            return switch (pick(9)) {
                case 0 -> "sum(" + matrix23(depth + 1) + ")";
                case 1 -> "mean(" + vector3(depth + 1) + ")";
                case 2 -> "(" + vector3(depth + 1) + " @ " + vector3(depth + 1) + ")";
                case 3 -> "(" + vector2(depth + 1) + " @ " + matrix23(depth + 1) + " @ " + vector3(depth + 1) + ")";
                case 4 -> pick(2) == 0 ? "max(" + matrix23(depth + 1) + ")" : "sum(grad(max(" + matrix23(depth + 1) + "), W) * W)";
                case 5 -> "logsumexp(" + vector2(depth + 1) + ")";
                case 6 -> "(" + scalar(depth + 1) + " * " + scalar(depth + 1) + ")";
                case 7 -> UNARY[pick(UNARY.length)] + "(" + scalar(depth + 1) + ")";
                default -> "(" + matrix23(depth + 1) + ")[" + pick(2) + ", " + (pick(4) - 1) + "]";
            };
        }

        String matrix23(int depth) {
            if (depth > 3) {
                return "W";
            }
            return switch (pick(9)) {
                case 0 -> "W";
                case 1 -> UNARY[pick(UNARY.length)] + "(" + matrix23(depth + 1) + ")";
                case 2 -> "(" + matrix23(depth + 1) + (pick(2) == 0 ? " + " : " * ") + matrix23(depth + 1) + ")";
                case 3 -> "(" + matrix23(depth + 1) + " * " + vector3(depth + 1) + ")";
                case 4 -> "softmax(" + matrix23(depth + 1) + (pick(2) == 0 ? "" : ", 0") + ")";
                case 5 -> "log_softmax(" + matrix23(depth + 1) + ")";
                case 6 -> "(" + matrix32(depth + 1) + ")'";
                case 7 -> "(" + matrix23(depth + 1) + " - " + scalar(depth + 1) + ")";
                default -> "((" + matrix23(depth + 1) + ")')'";
            };
        }

        String matrix32(int depth) {
            if (depth > 3) {
                return "M";
            }
            return switch (pick(4)) {
                case 0 -> "M";
                case 1 -> "(" + matrix23(depth + 1) + ")'";
                case 2 -> "tanh(" + matrix32(depth + 1) + " * " + vector2(depth + 1) + ")";
                default -> "(" + matrix32(depth + 1) + " @ " + "(" + matrix23(depth + 1) + " @ " + matrix32(depth + 1) + "))";
            };
        }

        String vector3(int depth) {
            if (depth > 3) {
                return "v";
            }
            return switch (pick(8)) {
                case 0 -> "v";
                case 1 -> "(" + vector2(depth + 1) + " @ " + matrix23(depth + 1) + ")";
                case 2 -> "sum(" + matrix23(depth + 1) + ", 0)";
                case 3 -> "softmax(" + vector3(depth + 1) + ")";
                case 4 -> "(" + matrix23(depth + 1) + ")[" + pick(2) + ", :]";
                case 5 -> "(" + matrix32(depth + 1) + " @ " + vector2(depth + 1) + ")";
                case 6 -> UNARY[pick(UNARY.length)] + "(" + vector3(depth + 1) + " * " + scalar(depth + 1) + ")";
                default -> "(" + vector3(depth + 1) + " - " + vector3(depth + 1) + ")";
            };
        }

        String vector2(int depth) {
            if (depth > 3) {
                return "u";
            }
            return switch (pick(6)) {
                case 0 -> "u";
                case 1 -> "(" + matrix23(depth + 1) + " @ " + vector3(depth + 1) + ")";
                case 2 -> "mean(" + matrix23(depth + 1) + ", 1)";
                case 3 -> "logsumexp(" + matrix23(depth + 1) + ")";
                case 4 -> "(" + matrix23(depth + 1) + ")[:, " + (pick(4) - 1) + "]";
                default -> "log_softmax(" + vector2(depth + 1) + ")";
            };
        }
    }

    @Test
    void randomTensorProgramsEqualTheirScalarViews() {
        Seeds.qt().withExamples(120).forAll(lists().of(integers().between(0, 1000)).ofSizeBetween(1, 30)
                        .describedAs(c -> new Typed(c).scalar(0)))
                .checkAssert(c -> sameAsUnrolled(new Typed(c).scalar(0)));
    }

    /**
     * Asserts that {@code E = loss} over the test params has its scalar view's value and gradient,
     * to 1e-12, and that the view of each param element's paths alone ({@link Unrolled#around})
     * gives that element's gradient too.
     */
    static void sameAsUnrolled(String loss) {
        Model model = Model.parse("m.chain", MatrixBackpropTestModels.PARAMS + "E = " + loss + "\n");
        Scope tensors = model.scope();
        Node e = tensors.lookup("E");
        Unrolled view = Unrolled.of(tensors, e);
        Scope scalars = view.scope();
        Node se = view.element(e, 0);
        Tensor[] values = Forward.values(scalars.graph(), scalars.leafValues(), se);
        double value = model.value(e).item();
        assertEquals(value, values[se.id()].item(), 1e-12 * Math.max(1, Math.abs(value)), loss);
        var gradient = model.gradient(e, tensors.params());
        for (Node p : tensors.params()) {
            for (int i = 0; i < p.shape().size(); i++) {
                String element = dev.chainrule.print.Tensors.element(p.leafName(), p.shape(), i);
                Node leaf = scalars.lookup(element);
                double g = leaf == null ? 0 : Gradients.numeric(scalars.graph(), values, se, List.of(leaf))[0].item();
                double expected = gradient.get(p.leafName()).get(i);
                assertEquals(expected, g, 1e-12 * Math.max(1, Math.abs(expected)), loss + " d/d" + element);
                Unrolled paths = Unrolled.around(tensors, e, p, i);
                Node root = paths.element(e, 0);
                Node weight = paths.element(p, i);
                Tensor[] pathValues = Forward.values(paths.scope().graph(), paths.scope().leafValues(), root);
                assertEquals(value, pathValues[root.id()].item(), 1e-12 * Math.max(1, Math.abs(value)), loss + " around " + element);
                double around = Gradients.numeric(paths.scope().graph(), pathValues, root, List.of(weight))[0].item();
                assertEquals(expected, around, 1e-12 * Math.max(1, Math.abs(expected)), loss + " d/d" + element + " around it");
            }
        }
    }
}
