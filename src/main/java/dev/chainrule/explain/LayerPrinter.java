package dev.chainrule.explain;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import dev.chainrule.print.Tensors;
import java.util.function.Function;

/** Writes a {@link LayerExplainer.Derivation}: each delta as an expression, then its numbers. */
public final class LayerPrinter {
    private final Format format;
    private final int digits;
    private final ExprPrinter expressions;

    public LayerPrinter(Graph graph, Function<Node, String> names, Format format, int digits) {
        this.format = format;
        this.digits = digits;
        this.expressions = new ExprPrinter(graph, format, names);
    }

    public String print(LayerExplainer.Derivation d) {
        return switch (format) {
            case LATEX -> latex(d, false);
            case MARKDOWN -> latex(d, true);
            default -> text(d);
        };
    }

    private String lhs(LayerExplainer.Derivation d, LayerExplainer.Step step) {
        if (step.isLeaf()) {
            return ExprPrinter.partial(format, d.of(), step.node());
        }
        return ExprPrinter.name(format, "δ_" + step.node());
    }

    private String text(LayerExplainer.Derivation d) {
        boolean ascii = format == Format.ASCII;
        StringBuilder out = new StringBuilder(ExprPrinter.partial(format, d.of(), d.wrt()))
                .append(", layer by layer from ").append(d.of()).append(" down (")
                .append(ascii ? "delta_N = dE/dN" : "δ_N = ∂" + d.of() + "/∂N")
                .append(ascii ? ")" : "; ⊙ element-wise, ⊗ outer product)").append(":\n");
        int width = 0;
        for (LayerExplainer.Step step : d.steps()) {
            width = Math.max(width, lhs(d, step).length());
        }
        for (LayerExplainer.Step step : d.steps()) {
            String lhs = lhs(d, step);
            out.append("  ").append(lhs).append(" ".repeat(width - lhs.length())).append(" = ")
                    .append(expressions.inline(step.expression())).append('\n');
            out.append("  ").append(" ".repeat(width)).append(" = ").append(Tensors.format(step.value(), digits)).append('\n');
        }
        return out.toString();
    }

    private String latex(LayerExplainer.Derivation d, boolean markdown) {
        StringBuilder out = new StringBuilder(markdown ? "$$\n" : "").append("\\begin{aligned}\n");
        int i = 0;
        for (LayerExplainer.Step step : d.steps()) {
            out.append(lhs(d, step)).append(" &= ").append(expressions.inline(step.expression()))
                    .append(" = ").append(Tensors.format(step.value(), digits));
            out.append(++i < d.steps().size() ? " \\\\\n" : "\n");
        }
        return out.append("\\end{aligned}\n").append(markdown ? "$$\n" : "").toString();
    }
}
