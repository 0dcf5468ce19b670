package dev.chainrule.export;

import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lays a {@link Program} out as what a target's users expect: a NumPy module with
 * {@code value_and_grad}, a PyTorch module (an {@code nn.Module} whose {@code forward} is the loss,
 * and a {@code torch.autograd.Function} that uses chainrule's backward), a Java class, a C99
 * header, a LaTeX document. Each takes the inputs and params as arguments, with the model's values
 * as defaults where the language has them, and returns the value and the gradient of every leaf
 * asked for.
 */
public final class Exporter {
    private final Target target;
    private final Spelling spelling;

    private Exporter(Target target) {
        this.target = target;
        this.spelling = new Spelling(target);
    }

    /**
     * The source of {@code of} and its gradient with respect to {@code wrt}, for {@code target}.
     *
     * @param name   what the code is called (a class or module name): a word of the target
     * @param source where the model came from, for the header comment
     * @throws IllegalArgumentException naming the operation or value the target cannot write
     */
    public static String export(Model model, Node of, String label, List<Node> wrt, Target target, String name, String source) {
        Exporter e = new Exporter(target);
        // the source's name goes into a comment: one line, nothing that ends a comment early
        source = source.replaceAll("[\\p{Cntrl}]", " ").replace("*/", "* /");
        source = source.length() > 80 ? source.substring(0, 77) + "..." : source;
        Program program = Program.of(model, of, label, wrt, e.variables());
        try {
            return switch (target) {
                case NUMPY -> e.numpy(program, source);
                case PYTORCH -> e.pytorch(program, source);
                case JAVA -> e.java(program, name, source);
                case C -> e.c(program, name, source);
                case LATEX -> e.latex(program, source);
            };
        } catch (Spelling.Unsupported u) {
            throw new IllegalArgumentException(u.getMessage(), u);
        }
    }

    /** Model names as variables of the target: dots and brackets become underscores, reserved words get one more. */
    private Program.Variables variables() {
        Map<String, String> byName = new HashMap<>();
        Set<String> taken = new HashSet<>();
        return new Program.Variables() {
            @Override
            public String variable(String modelName) {
                return byName.computeIfAbsent(modelName, n -> fresh(n));
            }

            @Override
            public String fresh(String suggestion) {
                String v = suggestion.replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("_+$", "");
                if (v.isEmpty() || Character.isDigit(v.charAt(0))) {
                    v = "v_" + v;
                }
                if (target.reserved.contains(v) || target == Target.C && v.startsWith("chainrule_") || v.startsWith("_")) {
                    v = v + "_";
                }
                String candidate = v;
                for (int k = 2; !taken.add(candidate); k++) {
                    candidate = v + "_" + k;
                }
                return candidate;
            }
        };
    }

    private static String header(String comment, Program p, String source) {
        return comment + " " + p.label() + " and its gradient, exported by chainrule from " + source + ".\n"
                + comment + " The forward pass, then the reverse sweep: d_x is the derivative of " + p.label()
                + " with respect to x, each\n" + comment + " backward line commented with the chain-rule step it takes.\n";
    }

    // ---- NumPy and PyTorch ----

    private String numpy(Program p, String source) {
        StringBuilder body = new StringBuilder();
        String signature = pythonSignature(p, body);
        StringBuilder out = new StringBuilder();
        out.append(header("#", p, source)).append("import numpy as np\n\n");
        String function = valueAndGrad(p, signature);
        appendPythonHelpers(out);
        out.append(body).append(function).append("\n\n").append(paramsFiles(p, false));
        return out.toString();
    }

    /** {@code def value_and_grad(...)}, its defaults (module constants for tensors, added to {@code constants}). */
    private String pythonSignature(Program p, StringBuilder constants) {
        List<String> arguments = new ArrayList<>();
        for (Program.Leaf l : p.leaves()) {
            String value;
            if (l.value().shape().isScalar()) {
                value = spelling.number(l.value().item()).text();
            } else {
                String constant = "_" + l.variable().toUpperCase(java.util.Locale.ROOT) + "_VALUE";
                constants.append(constant).append(" = ").append(spelling.constant(l.value()).text()).append("\n");
                value = constant;
            }
            arguments.add(l.variable() + "=" + value);
        }
        if (!constants.isEmpty()) {
            constants.append("\n\n");
        }
        return String.join(", ", arguments);
    }

    private String valueAndGrad(Program p, String signature) {
        StringBuilder f = new StringBuilder("def value_and_grad(").append(signature).append("):\n");
        f.append("    \"\"\"").append(p.label()).append(" and a dict of its gradient by name; the defaults are the model's values.\"\"\"\n");
        lines(f, p, new Style("    ", "", "", "# ", ""));
        List<String> entries = new ArrayList<>();
        p.gradients().forEach((leaf, g) -> entries.add("\"" + leaf.name() + "\": " + gradientCode(p, leaf, g)));
        f.append("    return ").append(p.output()).append(", {").append(String.join(", ", entries)).append("}\n");
        return f.toString();
    }

    private String gradientCode(Program p, Program.Leaf leaf, Node g) {
        String variable = p.backwardVariableOf(g);
        return variable != null ? variable : spelling.expression(p, g, true);
    }

    /** How a target writes a statement: its indent, declaration, terminator and comments. */
    private record Style(String indent, String declare, String end, String commentOpen, String commentClose) {
        String comment(String text) {
            return indent + commentOpen + text + commentClose + "\n";
        }
    }

    /** The forward pass and the reverse sweep, one statement a line, each backward step with its comment. */
    private void lines(StringBuilder out, Program p, Style style) {
        out.append(style.comment("forward pass"));
        for (Program.Line line : p.forward()) {
            out.append(style.indent()).append(style.declare()).append(line.variable()).append(" = ")
                    .append(spelling.expression(p, line.node())).append(style.end()).append('\n');
        }
        out.append(style.comment("reverse sweep"));
        for (Program.Line line : p.backward()) {
            if (line.comment() != null) {
                out.append(style.comment(line.comment()));
            }
            out.append(style.indent()).append(style.declare()).append(line.variable()).append(" = ")
                    .append(backwardCode(p, line)).append(style.end()).append('\n');
        }
    }

    /** A backward line's right side: an alias names the forward value; the rest read adjoints by their d_ names. */
    private String backwardCode(Program p, Program.Line line) {
        return line.alias(p) ? p.variableOf(line.node()) : spelling.expression(p, line.node(), true);
    }

    private void appendPythonHelpers(StringBuilder out) {
        boolean torch = target == Target.PYTORCH;
        Map<String, String> defs = new java.util.LinkedHashMap<>();
        defs.put("_t", "def _t(x):\n    return x if torch.is_tensor(x) else torch.tensor(x, dtype=DT)\n");
        defs.put("sigmoid", "def _sigmoid(x):\n    return np.exp(-np.logaddexp(0.0, -x))\n");
        defs.put("mul_no_nan", torch
                ? "def _mul_no_nan(a, b):\n    a, b = _t(a), _t(b)\n    p = a * b\n    return torch.where(b == 0, torch.zeros_like(p), p)\n"
                : "def _mul_no_nan(a, b):\n    with np.errstate(all=\"ignore\"):\n        return np.where(np.asarray(b) == 0, 0.0, np.asarray(a) * b)\n");
        defs.put("softmax", "def _softmax(x, axis):\n    e = np.exp(x - np.max(x, axis=axis, keepdims=True))\n"
                + "    return e / np.sum(e, axis=axis, keepdims=True)\n");
        defs.put("log_softmax", "def _log_softmax(x, axis):\n    m = np.max(x, axis=axis, keepdims=True)\n"
                + "    return x - (m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)))\n");
        defs.put("logsumexp", "def _logsumexp(x, axis):\n    m = np.max(x, axis=axis, keepdims=True)\n"
                + "    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(x - m), axis=axis))\n");
        defs.put("sum_to", torch
                ? "def _sum_to(x, shape):\n    x = _t(x)\n    while x.dim() > len(shape):\n        x = x.sum(dim=0)\n"
                + "    for i, n in enumerate(shape):\n        if n == 1 and x.shape[i] != 1:\n            x = x.sum(dim=i, keepdim=True)\n"
                + "    return x.reshape(shape)\n"
                : "def _sum_to(x, shape):\n    x = np.asarray(x, dtype=float)\n    while x.ndim > len(shape):\n        x = x.sum(axis=0)\n"
                + "    for i, n in enumerate(shape):\n        if n == 1 and x.shape[i] != 1:\n            x = x.sum(axis=i, keepdims=True)\n"
                + "    return x.reshape(shape)\n");
        defs.put("argmax_mask", torch
                ? "def _argmax_mask(x, axis):\n    x = _t(x).detach()\n    if axis < 0:\n        m = torch.zeros(x.numel(), dtype=DT)\n"
                + "        m[torch.argmax(x)] = 1.0\n        return m.reshape(x.shape)\n"
                + "    return torch.zeros_like(x).scatter(axis, torch.argmax(x, dim=axis, keepdim=True), 1.0)\n"
                : "def _argmax_mask(x, axis):\n    x = np.asarray(x, dtype=float)\n    if axis < 0:\n        m = np.zeros(x.size)\n"
                + "        m[np.argmax(x)] = 1.0\n        return m.reshape(x.shape)\n    m = np.zeros_like(x)\n"
                + "    np.put_along_axis(m, np.expand_dims(np.argmax(x, axis=axis), axis), 1.0, axis=axis)\n    return m\n");
        String zeros = torch ? "torch.zeros(shape, dtype=DT)" : "np.zeros(shape)";
        defs.put("pad", "def _pad(x, spec):\n    x = " + (torch ? "_t(x)" : "np.asarray(x, dtype=float)") + "\n"
                + "    shape = tuple(b + a + ((n - 1) * s + 1 if n else 0) for n, (b, a, s) in zip(x.shape, spec))\n"
                + "    out = " + zeros + "\n"
                + "    out[tuple(slice(b, b + ((n - 1) * s + 1 if n else 0), s) for n, (b, a, s) in zip(x.shape, spec))] = x\n"
                + "    return out\n");
        boolean any = false;
        for (Map.Entry<String, String> d : defs.entrySet()) {
            if (spelling.helpers.contains(d.getKey())) {
                out.append(d.getValue()).append("\n\n");
                any = true;
            }
        }
        if (!any) {
            out.append("\n");
        }
    }

    private String pytorch(Program p, String source) {
        StringBuilder constants = new StringBuilder();
        String signature = pythonSignature(p, constants);
        String function = valueAndGrad(p, signature);
        // the module's forward: the same forward lines, the params as nn.Parameters
        StringBuilder module = new StringBuilder();
        String className = "Model";
        module.append("class ").append(className).append("(torch.nn.Module):\n");
        module.append("    \"\"\"forward() returns ").append(p.label())
                .append(": PyTorch's autograd, optimizers, devices and DistributedDataParallel take over from here.\"\"\"\n\n");
        module.append("    def __init__(self):\n        super().__init__()\n");
        for (Program.Leaf l : p.leaves()) {
            String value = l.value().shape().isScalar() ? "torch.tensor(" + spelling.number(l.value().item()).text() + ", dtype=DT)"
                    : "_t(" + "_" + l.variable().toUpperCase(java.util.Locale.ROOT) + "_VALUE).clone()";
            if (l.param()) {
                module.append("        self.").append(l.variable()).append(" = torch.nn.Parameter(").append(value).append(")\n");
            } else {
                module.append("        self.register_buffer(\"").append(l.variable()).append("\", ").append(value).append(")\n");
            }
        }
        List<String> inputArgs = new ArrayList<>();
        for (Program.Leaf l : p.leaves()) {
            if (!l.param()) {
                inputArgs.add(l.variable() + "=None");
            }
        }
        module.append("\n    def forward(self").append(inputArgs.isEmpty() ? "" : ", " + String.join(", ", inputArgs)).append("):\n");
        for (Program.Leaf l : p.leaves()) {
            if (l.param()) {
                module.append("        ").append(l.variable()).append(" = self.").append(l.variable()).append('\n');
            } else {
                module.append("        ").append(l.variable()).append(" = self.").append(l.variable()).append(" if ").append(l.variable())
                        .append(" is None else _t(").append(l.variable()).append(")\n");
            }
        }
        for (Program.Line line : p.forward()) {
            module.append("        ").append(line.variable()).append(" = ").append(spelling.expression(p, line.node())).append('\n');
        }
        module.append("        return _t(").append(p.output()).append(")\n\n\n");
        // the autograd.Function with chainrule's backward
        List<String> all = new ArrayList<>();
        List<String> backward = new ArrayList<>();
        for (Program.Leaf l : p.leaves()) {
            all.add(l.variable());
        }
        Set<String> asked = new HashSet<>();
        p.gradients().keySet().forEach(l -> asked.add(l.variable()));
        module.append("class ValueAndGrad(torch.autograd.Function):\n");
        module.append("    \"\"\"").append(p.label()).append(" with chainrule's derived backward in place of autograd's, to compare the two.\"\"\"\n\n");
        module.append("    @staticmethod\n    def forward(ctx, ").append(String.join(", ", all)).append("):\n");
        module.append("        value, grads = value_and_grad(").append(String.join(", ", all.stream().map(v -> v + "=" + v).toList())).append(")\n");
        module.append("        ctx.save_for_backward(").append(String.join(", ",
                p.gradients().keySet().stream().map(l -> "_t(grads[\"" + l.name() + "\"])").toList())).append(")\n");
        module.append("        return _t(value)\n\n");
        module.append("    @staticmethod\n    def backward(ctx, grad_output):\n");
        module.append("        saved = ctx.saved_tensors\n");
        int k = 0;
        for (Program.Leaf l : p.leaves()) {
            backward.add(asked.contains(l.variable()) ? "grad_output * saved[" + (k++) + "]" : "None");
        }
        module.append("        return ").append(String.join(", ", backward)).append(backward.size() == 1 ? ",\n" : "\n");
        spelling.helpers.add("_t");
        StringBuilder out = new StringBuilder();
        out.append(header("#", p, source)).append("import torch\n\nDT = torch.float64\n\n\n");
        appendPythonHelpers(out);
        out.append(constants).append(function).append("\n\n").append(module).append("\n\n").append(paramsFiles(p, true));
        return out.toString().stripTrailing() + "\n";
    }

    /**
     * Reading and writing chainrule's params files ({@code save params to}, {@code load params
     * from}): a model trained in chainrule continues here, and back.
     */
    private String paramsFiles(Program p, boolean torch) {
        StringBuilder out = new StringBuilder("_ARGUMENTS = {");
        List<String> pairs = new ArrayList<>();
        for (Program.Leaf l : p.leaves()) {
            if (l.param()) {
                pairs.add("\"" + l.name() + "\": \"" + l.variable() + "\"");
            }
        }
        out.append(String.join(", ", pairs)).append("}\n\n\n");
        out.append("def load_params(path):\n");
        out.append("    \"\"\"The params of a chainrule params file (save params to ...), by argument name of value_and_grad.\"\"\"\n");
        out.append("    import json\n    with open(path) as f:\n        saved = json.load(f)\n");
        out.append("    return {_ARGUMENTS[name]: ").append(torch ? "torch.tensor(v, dtype=DT)" : "np.asarray(v, dtype=float)")
                .append(" for name, v in saved.items() if name in _ARGUMENTS}\n");
        if (torch) {
            out.append("\n\ndef save_params(model, path):\n");
            out.append("    \"\"\"Writes the module's params as a chainrule params file (load params from ... reads it).\"\"\"\n");
            out.append("    import json\n    values = {name: getattr(model, argument).detach().tolist() for name, argument in _ARGUMENTS.items()}\n");
            out.append("    with open(path, \"w\") as f:\n        json.dump(values, f, indent=2)\n");
        }
        return out.toString();
    }

    // ---- Java and C ----

    private String java(Program p, String name, String source) {
        StringBuilder out = new StringBuilder(header("//", p, source));
        ScalarArguments arguments = scalarArguments(p);
        List<String> parameters = arguments.parameters();
        List<String> defaults = arguments.defaults();
        StringBuilder body = new StringBuilder();
        lines(body, p, new Style("        ", "double ", ";", "// ", ""));
        body.append("        java.util.Map<String, Double> gradient = new java.util.LinkedHashMap<>();\n");
        p.gradients().forEach((leaf, g) -> body.append("        gradient.put(\"").append(leaf.name()).append("\", ")
                .append(gradientCode(p, leaf, g)).append(");\n"));
        body.append("        return new Result(").append(p.output()).append(", gradient);\n");
        out.append("public final class ").append(name).append(" {\n");
        out.append("    /** The value of ").append(p.label()).append(" and its gradient by name. */\n");
        out.append("    public record Result(double value, java.util.Map<String, Double> gradient) {\n    }\n\n");
        out.append("    private ").append(name).append("() {\n    }\n\n");
        out.append("    /** At the model's values. */\n");
        out.append("    public static Result valueAndGradient() {\n        return valueAndGradient(").append(String.join(", ", defaults))
                .append(");\n    }\n\n");
        out.append("    public static Result valueAndGradient(").append(String.join(", ", parameters)).append(") {\n");
        out.append(body).append("    }\n");
        for (String helper : SCALAR_HELPERS.keySet()) {
            if (spelling.helpers.contains(helper)) {
                out.append('\n').append(scalarHelper(helper, "    private static double _", 4, true));
            }
        }
        return out.append("}\n").toString();
    }

    private String c(Program p, String name, String source) {
        StringBuilder out = new StringBuilder("/*\n" + header(" *", p, source) + " */\n");
        String guard = "CHAINRULE_" + name.toUpperCase(java.util.Locale.ROOT) + "_H";
        ScalarArguments arguments = scalarArguments(p);
        List<String> parameters = arguments.parameters();
        List<String> defaults = arguments.defaults();
        List<String> outs = new ArrayList<>();
        p.gradients().keySet().forEach(l -> outs.add("double *grad_" + l.variable()));
        StringBuilder body = new StringBuilder();
        lines(body, p, new Style("    ", "const double ", ";", "/* ", " */"));
        p.gradients().forEach((leaf, g) -> body.append("    *grad_").append(leaf.variable()).append(" = ").append(gradientCode(p, leaf, g)).append(";\n"));
        body.append("    return ").append(p.output()).append(";\n");
        out.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n#include <math.h>\n\n");
        for (String helper : SCALAR_HELPERS.keySet()) {
            if (spelling.helpers.contains(helper)) {
                // guarded: two exported headers in one program share their helpers
                String defined = "CHAINRULE_" + helper.toUpperCase(java.util.Locale.ROOT) + "_DEFINED";
                out.append("#ifndef ").append(defined).append("\n#define ").append(defined).append('\n')
                        .append(scalarHelper(helper, "static inline double chainrule_", 0, false)).append("#endif\n\n");
            }
        }
        out.append("/* ").append(p.label()).append(", with its gradient written through the pointers; the model's values are ")
                .append(name.toUpperCase(java.util.Locale.ROOT)).append("_DEFAULTS. */\n");
        out.append("#define ").append(name.toUpperCase(java.util.Locale.ROOT)).append("_DEFAULTS ").append(String.join(", ", defaults)).append("\n\n");
        out.append("static inline double ").append(name).append("_value_and_grad(").append(String.join(", ", parameters))
                .append(parameters.isEmpty() || outs.isEmpty() ? "" : ", ").append(String.join(", ", outs)).append(") {\n");
        out.append(body).append("}\n\n#endif\n");
        return out.toString();
    }

    /**
     * The helpers Java and C share, each a parameter list and a body written once in C's words;
     * Java's are the same with Math's names. As chainrule computes them: a sigmoid that never
     * overflows, max and min that give a tie to the first operand, step 0 at 0.
     */
    private static final Map<String, String[]> SCALAR_HELPERS = new java.util.LinkedHashMap<>();

    static {
        SCALAR_HELPERS.put("sigmoid", new String[] {"double x",
            "if (x >= 0) {\n    return 1 / (1 + exp(-x));\n}\ndouble e = exp(x);\nreturn e / (1 + e);"});
        SCALAR_HELPERS.put("softplus", new String[] {"double x", "return fmax(x, 0) + log1p(exp(-fabs(x)));"});
        SCALAR_HELPERS.put("mul_no_nan", new String[] {"double a, double b", "return b == 0 ? 0.0 : a * b;"});
        SCALAR_HELPERS.put("max", new String[] {"double a, double b", "return a >= b ? a : b;"});
        SCALAR_HELPERS.put("min", new String[] {"double a, double b", "return a <= b ? a : b;"});
        SCALAR_HELPERS.put("step", new String[] {"double x", "return x > 0 ? 1.0 : 0.0;"});
        SCALAR_HELPERS.put("sign", new String[] {"double x", "return x > 0 ? 1.0 : x < 0 ? -1.0 : x;"});
    }

    /** One helper as a function: {@code head} before its name, its body indented under a signature indented {@code indent}. */
    private static String scalarHelper(String name, String head, int indent, boolean java) {
        String[] helper = SCALAR_HELPERS.get(name);
        String pad = " ".repeat(indent);
        StringBuilder out = new StringBuilder(head).append(name).append('(').append(helper[0]).append(") {\n");
        for (String line : helper[1].split("\n")) {
            String written = java ? JAVA_MATH.matcher(line).replaceAll(m -> "Math." + (m.group(1).equals("fabs") ? "abs"
                    : m.group(1).equals("fmax") ? "max" : m.group(1)) + "(") : line;
            out.append(pad).append("    ").append(written).append('\n');
        }
        return out.append(pad).append("}\n").toString();
    }

    /** C's math functions the helpers use, which Java calls through Math. */
    private static final java.util.regex.Pattern JAVA_MATH = java.util.regex.Pattern.compile("\\b(exp|log1p|fabs|fmax)\\(");

    /** The arguments of a Java or C function: {@code double x} for each leaf, and the model's values as its defaults. */
    private record ScalarArguments(List<String> parameters, List<String> defaults) {
    }

    /** The leaves as the arguments of a target that writes scalars; a tensor leaf is refused by name. */
    private ScalarArguments scalarArguments(Program p) {
        List<String> parameters = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        for (Program.Leaf l : p.leaves()) {
            if (!l.value().shape().isScalar()) {
                throw Spelling.Unsupported.tensorLeaf(target, l.name(), l.value().shape());
            }
            parameters.add("double " + l.variable());
            defaults.add(spelling.number(l.value().item()).text());
        }
        return new ScalarArguments(parameters, defaults);
    }

    // ---- LaTeX ----

    private String latex(Program p, String source) {
        Map<Integer, String> display = new HashMap<>();
        for (List<Program.Line> lines : List.of(p.forward(), p.backward())) {
            lines.forEach(line -> display.put(line.node().id(), line.display()));
        }
        ExprPrinter printer = new ExprPrinter(p.graph(), Format.LATEX, n -> n.isLeaf() ? null : display.get(n.id()));
        StringBuilder out = new StringBuilder("% ").append(p.label()).append(" and its gradient, exported by chainrule from ")
                .append(source).append(".\n\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n\n");
        out.append("\\section*{The forward pass}\n\\begin{align*}\n");
        List<String> rows = new ArrayList<>();
        for (Program.Line line : p.forward()) {
            rows.add(latexName(line.display()) + " &= " + printer.print(line.node()).expression());
        }
        out.append(String.join(" \\\\\n", rows)).append("\n\\end{align*}\n\n");
        out.append("\\section*{The reverse sweep}\nEach $\\delta_x$ is $\\partial ").append(latexName(p.label()))
                .append(" / \\partial x$; each line is one step of the chain rule.\n\\begin{align*}\n");
        rows.clear();
        for (Program.Line line : p.backward()) {
            rows.add(latexName(line.display()) + " &= " + printer.print(line.node()).expression());
        }
        for (Map.Entry<Program.Leaf, Node> g : p.gradients().entrySet()) {
            String d = ExprPrinter.partial(Format.LATEX, p.label(), g.getKey().name());
            rows.add(d + " &= " + (display.containsKey(g.getValue().id()) ? latexName(display.get(g.getValue().id()))
                    : printer.print(g.getValue()).expression()));
        }
        out.append(String.join(" \\\\\n", rows)).append("\n\\end{align*}\n\n\\end{document}\n");
        return out.toString();
    }

    private static String latexName(String display) {
        return ExprPrinter.name(Format.LATEX, display);
    }
}
