package dev.chainrule.notebook;

import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.diag.ChainException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Results as Jupyter MIME bundles: {@code text/plain} always; explanations also as
 * {@code text/latex}; plots as {@code image/png}.
 */
public final class Outputs {
    private Outputs() {
    }

    /** The MIME bundle of one result. */
    public static Map<String, String> bundle(Result result, Options options) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("text/plain", result instanceof Result.Plotted p ? "<picture: " + p.about() + ">" : result.text(options).stripTrailing());
        if (result instanceof Result.Explained e) {
            data.put("text/latex", "$$\n" + e.latex().stripTrailing() + "\n$$");
        }
        if (result instanceof Result.Derivative d) {
            data.put("text/latex", "$$" + d.latex() + "$$");
        }
        if (result instanceof Result.Dot d) {
            String svg = Graphviz.svg(d.dot());
            if (svg != null) {
                data.put("image/svg+xml", svg);
            }
        }
        if (result instanceof Result.Plotted p) {
            data.put("image/png", Base64.getEncoder().encodeToString(p.png()));
        }
        return data;
    }

    /** The lines a notebook shows for a mistake: the rendered diagnostic, with its caret. */
    public static String[] traceback(ChainException e) {
        return e.render().split("\n");
    }
}
