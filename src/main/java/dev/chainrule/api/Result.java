package dev.chainrule.api;

import dev.chainrule.check.CheckReport;
import dev.chainrule.check.RuleCheck;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import dev.chainrule.print.Numbers;
import dev.chainrule.print.Tensors;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.train.TrainReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one statement produced. Each result writes itself for people ({@link #text}) and as a
 * JSON-ready map ({@link #json}: strings, numbers, booleans, lists and maps in a fixed order).
 */
public sealed interface Result {

    /** The result for people, in the session's format and digits; ends with a newline. */
    String text(Options options);

    /** The result as a JSON object. */
    Map<String, Object> json();

    /** {@code print e1, e2}: values by label. */
    record Values(Map<String, Tensor> values) implements Result {
        @Override
        public String text(Options options) {
            List<String[]> rows = new ArrayList<>();
            values.forEach((name, v) -> rows.add(new String[] {ExprPrinter.name(options.format(), name), number(v, options)}));
            return lines(options, rows);
        }

        @Override
        public Map<String, Object> json() {
            return object("values", jsonMap(values));
        }
    }

    /** {@code grad E wrt ...}: the value and the gradient by leaf. */
    record Gradient(String of, double value, Map<String, Tensor> gradient) implements Result {
        @Override
        public String text(Options options) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {ExprPrinter.name(options.format(), of), number(Tensor.scalar(value), options)});
            gradient.forEach((leaf, g) -> rows.add(new String[] {ExprPrinter.partial(options.format(), of, leaf), number(g, options)}));
            return lines(options, rows);
        }

        @Override
        public Map<String, Object> json() {
            return object("of", of, "value", value, "gradient", jsonMap(gradient));
        }
    }

    /** A value in the session's format: LaTeX writes 1e-07 as 1 \times 10^{-7}. */
    private static String number(Tensor v, Options options) {
        String text = Tensors.format(v, options.digits(), options.full());
        return options.format().latex() ? Tensors.latex(text) : text;
    }

    /**
     * Lines {@code name = value}: as they are in text; one {@code aligned} block in LaTeX (in
     * {@code $$} in Markdown), so that the whole output is one piece of mathematics.
     */
    private static String lines(Options options, List<String[]> rows) {
        boolean latex = options.format().latex();
        StringBuilder out = new StringBuilder();
        if (latex) {
            out.append(options.format() == Format.MARKDOWN ? "$$\n" : "").append("\\begin{aligned}\n");
        }
        for (int i = 0; i < rows.size(); i++) {
            out.append(rows.get(i)[0]).append(latex ? " &= " : " = ").append(rows.get(i)[1])
                    .append(latex && i + 1 < rows.size() ? " \\\\" : "").append('\n');
        }
        if (latex) {
            out.append("\\end{aligned}\n").append(options.format() == Format.MARKDOWN ? "$$\n" : "");
        }
        return out.toString();
    }

    /** {@code derive E wrt x}: the simplified symbolic derivative and its value. */
    record Derivative(String of, String wrt, String expression, String ascii, String latex, Tensor value, int nodes)
            implements Result {
        @Override
        public String text(Options options) {
            String size = "a graph of " + nodes + (nodes == 1 ? " node" : " nodes");
            String number = Tensors.format(value, options.digits(), options.full());
            return switch (options.format()) {
                // one piece of mathematics; what is not mathematics goes in comments
                case LATEX -> latex + "\n% = " + number + "\n% (" + size + ")\n";
                case MARKDOWN -> "$$\n" + latex + "\n$$\n\n= " + number + " (" + size + ")\n";
                default -> {
                    String lhs = ExprPrinter.partial(options.format(), of, wrt);
                    String pad = " ".repeat(lhs.length() + 1);
                    // a derivative that is a number is written once: ∂E/∂h = 3, not ∂E/∂h = 3 = 3
                    yield lhs + " = " + expression + "\n" + (expression.equals(number) ? "" : pad + "= " + number + "\n")
                            + pad + "  (" + size + ")\n";
                }
            };
        }

        @Override
        public Map<String, Object> json() {
            return object("of", of, "wrt", wrt, "expression", ascii, "value", Tensors.json(value), "nodes", nodes);
        }
    }

    /** {@code export E to numpy}: the value and gradient as source code for a target. */
    record Exported(String target, String code) implements Result {
        @Override
        public String text(Options options) {
            return code;
        }

        @Override
        public Map<String, Object> json() {
            return object("export", target, "code", code);
        }
    }

    /** {@code explain E wrt x}: the chain-rule expansion. */
    record Explained(String of, String wrt, double value, Tensor gradient, String text, String latex)
            implements Result {
        @Override
        public String text(Options options) {
            return text;
        }

        @Override
        public Map<String, Object> json() {
            return object("of", of, "wrt", wrt, "value", value, "gradient", Tensors.json(gradient), "text", text, "latex", latex);
        }
    }

    /** {@code check E}: finite differences against reverse mode. */
    record Checked(CheckReport report) implements Result {
        /** Checks of more elements than this show only the worst ones. */
        static final int SHOWN = 12;

        @Override
        public String text(Options options) {
            StringBuilder out = new StringBuilder("check ").append(report.of())
                    .append(": reverse mode vs extrapolated finite differences (rtol ")
                    .append(Numbers.format(report.rtol(), 3)).append(", atol ").append(Numbers.format(report.atol(), 3)).append(")\n");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"wrt", "analytic", "numeric", "abs error", "rel error", ""});
            List<CheckReport.Entry> shown = report.entries();
            if (shown.size() > SHOWN) {
                shown = new ArrayList<>(shown);
                shown.sort(java.util.Comparator.comparingDouble((CheckReport.Entry e) -> e.ok() ? 0 : 1)
                        .thenComparingDouble(e -> Double.isNaN(e.relError()) ? Double.MAX_VALUE : e.relError()).reversed());
                shown = shown.subList(0, SHOWN);
                out.append("  the ").append(SHOWN).append(" worst of ").append(report.entries().size()).append(" elements:\n");
            }
            for (CheckReport.Entry e : shown) {
                rows.add(new String[] {e.wrt(), Numbers.format(e.analytic(), options.digits()),
                    Numbers.format(e.numeric(), options.digits()), Numbers.format(e.absError(), 2),
                    Numbers.format(e.relError(), 2), e.ok() ? "ok" : "FAIL"});
            }
            int[] widths = new int[6];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder(" ");
                for (int i = 0; i < row.length; i++) {
                    line.append(' ').append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
            for (CheckReport.Entry e : report.entries()) {
                if (e.note() != null) {
                    out.append("  note: ").append(e.wrt()).append(": ").append(e.note()).append('\n');
                }
            }
            long failed = report.entries().stream().filter(e -> !e.ok()).count();
            out.append(failed == 0
                    ? "all " + report.entries().size() + " gradients agree (max rel error "
                        + Numbers.format(report.maxRelError(), 2) + ")\n"
                    : failed + " of " + report.entries().size() + " gradients disagree\n");
            CheckReport.Suspect suspect = report.suspect();
            if (suspect != null) {
                RuleCheck.Finding f = suspect.finding();
                out.append("the first node whose local derivative disagrees: ").append(suspect.text())
                        .append(suspect.place() == null ? "" : " (line " + suspect.place() + ")")
                        .append(", ∂/∂").append(f.op().arity() > 1 ? (f.input() == 0 ? "a" : "b") : "a").append(" at ")
                        .append(f.point()).append(": rule ").append(Numbers.format(f.rule(), options.digits()))
                        .append(", differences ").append(Numbers.format(f.differences(), options.digits())).append('\n');
            } else if (failed > 0) {
                out.append("every node's local derivative agrees with differences at these values\n");
            }
            return out.toString();
        }

        @Override
        public Map<String, Object> json() {
            List<Object> entries = new ArrayList<>();
            for (CheckReport.Entry e : report.entries()) {
                Map<String, Object> entry = object("wrt", e.wrt(), "analytic", e.analytic(), "numeric", e.numeric(),
                        "abs_error", e.absError(), "rel_error", e.relError(), "ok", e.ok());
                entry.put("numeric_error_estimate", e.numericError());
                entry.put("central", e.central());
                if (e.note() != null) {
                    entry.put("note", e.note());
                }
                entries.add(entry);
            }
            Map<String, Object> result = object("of", report.of(), "ok", report.ok(), "max_abs_error", report.maxAbsError(),
                    "max_rel_error", report.maxRelError(), "entries", entries);
            if (report.suspect() != null) {
                RuleCheck.Finding f = report.suspect().finding();
                result.put("suspect", object("text", report.suspect().text(), "place", report.suspect().place(),
                        "op", f.op().name().toLowerCase(java.util.Locale.ROOT), "input", f.input(), "at", f.point(),
                        "rule", f.rule(), "differences", f.differences()));
            }
            return result;
        }
    }

    /**
     * {@code check --rules}: the worst point of each op of the table (its first disagreement, if
     * any), and the ops no probe reached.
     */
    record RulesChecked(List<RuleCheck.Finding> findings, List<dev.chainrule.graph.op.Op> uncovered) implements Result {
        /** The result of a {@link RuleCheck#run} over the table. */
        public static RulesChecked of(Map<dev.chainrule.graph.op.Op, RuleCheck.Finding> findings) {
            return new RulesChecked(List.copyOf(findings.values()), RuleCheck.uncovered(findings));
        }

        /** True when every rule agrees and every op was reached. */
        public boolean ok() {
            return uncovered.isEmpty() && findings.stream().allMatch(RuleCheck.Finding::agrees);
        }

        @Override
        public String text(Options options) {
            StringBuilder out = new StringBuilder();
            for (RuleCheck.Finding f : findings) {
                out.append(String.format(java.util.Locale.ROOT, "%-4s %-13s input %d  rule %-23s differences %-23s at %s%n",
                        f.agrees() ? "ok" : "FAIL", name(f.op()), f.input(), Numbers.format(f.rule(), options.digits()),
                        Numbers.format(f.differences(), options.digits()), f.point()));
            }
            long wrong = findings.stream().filter(f -> !f.agrees()).count();
            return out.append(findings.size()).append(" operations checked (the worst point of each shown), ").append(wrong)
                    .append(" disagree").append(uncovered.isEmpty() ? "" : "; not reached: " + uncovered).append('\n').toString();
        }

        @Override
        public Map<String, Object> json() {
            List<Object> ops = new ArrayList<>();
            for (RuleCheck.Finding f : findings) {
                ops.add(object("op", name(f.op()), "input", f.input(), "at", f.point(), "rule", f.rule(),
                        "differences", f.differences(), "ok", f.agrees()));
            }
            return object("ok", ok(), "ops", ops, "not_reached", uncovered.stream().map(RulesChecked::name).toList());
        }

        private static String name(dev.chainrule.graph.op.Op op) {
            return op.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code train E lr R steps N}: the losses and the values after training. */
    record Trained(TrainReport report, Map<String, Tensor> params, Map<String, Tensor> values) implements Result {
        @Override
        public String text(Options options) {
            StringBuilder out = new StringBuilder("train ").append(report.of()).append(": ")
                    .append(report.steps()).append(report.steps() == 1 ? " step" : " steps")
                    .append(" of gradient descent (").append(report.optimizer().word()).append(")");
            if (report.batch() > 0) {
                out.append(" on batches of ").append(report.batch()).append(" of the ").append(report.rows()).append(" rows");
            }
            out.append(", lr ").append(Numbers.shortest(report.lr())).append(": ").append(report.of())
                    .append(report.batch() > 0 ? " on all rows " : " ")
                    .append(Numbers.format(report.initial(), options.digits()))
                    .append(" -> ").append(Numbers.format(report.last(), options.digits())).append('\n');
            params.forEach((name, v) -> out.append("  ").append(name).append(" = ")
                    .append(Tensors.format(v, options.digits(), options.full())).append('\n'));
            return out.toString();
        }

        @Override
        public Map<String, Object> json() {
            return object("of", report.of(), "steps", report.steps(), "lr", report.lr(), "optimizer", report.optimizer().word(),
                    "batch", report.batch(), "initial", report.initial(), "final", report.last(), "params", jsonMap(params),
                    "values", jsonMap(values));
        }
    }

    /** {@code predict NAME with X = ...}: the value on new inputs. */
    record Predicted(String name, Tensor value) implements Result {
        @Override
        public String text(Options options) {
            return name + " = " + Tensors.format(value, options.digits(), options.full()) + "\n";
        }

        @Override
        public Map<String, Object> json() {
            return object("predict", name, "value", Tensors.json(value));
        }
    }

    /** {@code save params to ...} and {@code load params from ...}: which params went where. */
    record Params(boolean saved, String file, List<String> names) implements Result {
        @Override
        public String text(Options options) {
            return (saved ? "saved " : "loaded ") + names.size() + (names.size() == 1 ? " param" : " params") + " ("
                    + String.join(", ", names) + ") " + (saved ? "to " : "from ") + file + "\n";
        }

        @Override
        public Map<String, Object> json() {
            return object(saved ? "saved" : "loaded", file, "params", names);
        }
    }

    /**
     * {@code plot}: the picture as PNG bytes, and the file it was written to (null when it was
     * only shown, in a notebook).
     */
    record Plotted(String kind, String file, String about, byte[] png) implements Result {
        @Override
        public String text(Options options) {
            return file == null ? "<picture: " + about + ">\n" : "wrote " + file + " (" + about + ")\n";
        }

        @Override
        public Map<String, Object> json() {
            return object("plot", kind, "file", file);
        }
    }

    /** {@code graph E}: Graphviz DOT. */
    record Dot(String of, String dot) implements Result {
        @Override
        public String text(Options options) {
            return dot;
        }

        @Override
        public Map<String, Object> json() {
            return object("of", of, "dot", dot);
        }
    }

    /** Tensors by name as JSON values: numbers for scalars, nested lists otherwise. */
    private static Map<String, Object> jsonMap(Map<String, Tensor> tensors) {
        Map<String, Object> map = new LinkedHashMap<>();
        tensors.forEach((name, t) -> map.put(name, Tensors.json(t)));
        return map;
    }

    /** An ordered map from alternating keys and values. */
    private static Map<String, Object> object(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
