package dev.chainrule.print;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Notation;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Indexing;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a node as an expression, in the user's names and in one {@link Format}.
 *
 * <p>Named nodes, leaves and constants are printed as atoms; everything else is written out from
 * the op table's {@link Notation} with the fewest brackets the grammar needs to read the text back
 * as the same tree: its levels of precedence ({@code + -} below {@code * / @} below unary minus
 * below {@code ^}), left grouping for every level but {@code ^}, right grouping for {@code ^}.
 * {@code a + (b + c)} keeps its brackets: it is another tree than {@code a + b + c}, and in
 * floating point another number. The printer
 * works bottom-up over node ids, so it never recurses. A DAG written as a tree can grow
 * exponentially; when the written-out expression would exceed {@link #INLINE_LIMIT} operations,
 * subexpressions used more than once are bound to temporaries {@code _1, _2, ...} listed before
 * the expression.
 */
public final class ExprPrinter {
    /** Largest expression, in operations, written out without temporaries. */
    public static final int INLINE_LIMIT = 400;

    /**
     * An expression whose tree is more than this many times its graph repeats itself: its shared
     * parts are bound to temporaries, so that the text grows with the graph, not with its paths.
     */
    static final int REPEATS = 2;
    /** Expressions of at most this many operations are always written out whole. */
    static final int SMALL = 40;

    private static final int NEGATIVE = 3;

    /** A temporary bound to a shared subexpression. */
    public record Binding(String name, String expression) {
    }

    /** An expression with the temporaries it uses, in the order they must be read. */
    public record Printed(List<Binding> bindings, String expression, boolean latex) {
        /**
         * The expression, followed by {@code where} and its temporaries if it has any: on lines
         * of their own in text, an {@code aligned} block in LaTeX.
         */
        public String inline() {
            return bindings.isEmpty() ? expression : latex ? aligned("", expression) : expression + where();
        }

        /** {@code lhs = expression}, with its temporaries after it: one piece of mathematics in LaTeX. */
        public String equation(String lhs) {
            return !latex ? lhs + " = " + inline() : bindings.isEmpty() ? lhs + " = " + expression : aligned(lhs, expression);
        }

        private String where() {
            StringBuilder s = new StringBuilder("\n  where");
            for (Binding b : bindings) {
                s.append("\n    ").append(b.name()).append(" = ").append(b.expression());
            }
            return s.toString();
        }

        private String aligned(String lhs, String rhs) {
            StringBuilder s = new StringBuilder("\\begin{aligned}\n").append(lhs.isEmpty() ? "& " : lhs + " &= ").append(rhs).append(" \\\\\n")
                    .append("&\\text{where} \\\\\n");
            for (int i = 0; i < bindings.size(); i++) {
                Binding b = bindings.get(i);
                s.append(b.name()).append(" &= ").append(b.expression()).append(i + 1 < bindings.size() ? " \\\\\n" : "\n");
            }
            return s.append("\\end{aligned}").toString();
        }
    }

    private final Graph graph;
    private final Format format;
    private final Function<Node, String> names;

    /**
     * @param names the user's name for a node, or null for unnamed nodes (leaves need not be
     *              included: they print by their declared name)
     */
    public ExprPrinter(Graph graph, Format format, Function<Node, String> names) {
        this.graph = graph;
        this.format = format == Format.MARKDOWN ? Format.LATEX : format;
        this.names = names;
    }

    /** The expression of {@code root} (its definition, even when it has a name), with temporaries. */
    public Printed print(Node root) {
        int[] ids = subexpressions(root);
        Map<Integer, Integer> uses = new HashMap<>();
        Map<Integer, Long> size = new HashMap<>();
        for (int i = ids.length - 1; i >= 0; i--) {
            Node node = graph.get(ids[i]);
            long s = 1;
            if (node == root || !isAtom(node)) {
                for (int k = 0; k < node.arity(); k++) {
                    int input = node.input(k).id();
                    uses.merge(input, 1, Integer::sum);
                    s = Math.min(Long.MAX_VALUE / 4, s + size.get(input));
                }
            }
            size.put(node.id(), s);
        }
        // written out as a tree, shared parts repeat: bound to temporaries once the tree is long, or
        // when it repeats more than it says (sin(sin(...)) and its cosines would grow with the square of the depth)
        long tree = size.get(root.id());
        int dag = 0;
        for (int id : ids) {
            dag += graph.get(id) == root || !isAtom(graph.get(id)) ? 1 : 0;
        }
        // ASCII is for reading back: one expression, temporaries only past the limit
        boolean bind = tree > INLINE_LIMIT || format != Format.ASCII && tree > REPEATS * dag && tree > SMALL;
        absorbed = absorbed(ids, root);
        Map<Integer, Text> text = new HashMap<>();
        Map<Integer, Integer> precedence = new HashMap<>();
        List<Binding> bindings = new ArrayList<>();
        for (int i = ids.length - 1; i >= 0; i--) {
            Node node = graph.get(ids[i]);
            int id = node.id();
            if ((node != root || node.arity() == 0) && isAtom(node)) {
                text.put(id, Text.of(atom(node)));
                precedence.put(id, node.isScalarConstant() && node.constantValue() < 0 ? NEGATIVE : Notation.ATOM);
                continue;
            }
            Text written = write(node, text, precedence);
            for (int k = 0; k < node.arity(); k++) {
                // an operand used once is now part of this text; its entry goes, so the map holds only what is still needed
                int input = node.input(k).id();
                if (uses.merge(input, -1, Integer::sum) == 0) {
                    text.remove(input);
                }
            }
            if (bind && node != root && uses.getOrDefault(id, 0) > 1) {
                String name = temporary(node, bindings.size() + 1);
                bindings.add(new Binding(name, written.toString()));
                text.put(id, Text.of(name));
                precedence.put(id, Notation.ATOM);
            } else {
                text.put(id, written);
                precedence.put(id, precedenceOf(node.op()));
            }
        }
        return new Printed(bindings, text.get(root.id()).toString(), format == Format.LATEX);
    }

    /** The broadcasts left out of this expression (text and LaTeX), by id; see {@link #absorbed(int[], Node)}. */
    private java.util.Set<Integer> absorbed = java.util.Set.of();

    /**
     * The broadcasts ({@code broadcast_to}, and reshapes that only add axes of 1) that the text
     * may leave out, as broadcasting notation does: those whose every use in the expression is an
     * operand of an element-wise operation of two operands that broadcasting alone brings to the
     * same shape. A broadcast used any other way ({@code sigmoid(broadcast_to(v, 2, 3))} summed) is
     * written, so the text never means another value.
     */
    private java.util.Set<Integer> absorbed(int[] ids, Node root) {
        java.util.Set<Integer> yes = new java.util.HashSet<>();
        java.util.Set<Integer> no = new java.util.HashSet<>();
        if (root.op() == Op.BROADCAST_TO || root.op() == Op.RESHAPE) {
            no.add(root.id());
        }
        for (int id : ids) {
            Node node = graph.get(id);
            if (node != root && isAtom(node)) {
                continue;
            }
            for (int k = 0; k < node.arity(); k++) {
                Node input = node.input(k);
                if (!(input.op() == Op.BROADCAST_TO || input.op() == Op.RESHAPE) || isAtom(input)) {
                    continue;
                }
                Node other = node.arity() == 2 ? node.input(1 - k) : null;
                // the other operand may be left out too: count it at the shape it is written with
                Shape otherShape = other == null ? null : broadcasting(other) && !isAtom(other) ? other.input(0).shape() : other.shape();
                boolean fits = node.op().kind() == Op.Kind.ELEMENTWISE && other != null && broadcasting(input)
                        && fitsWithout(input.input(0).shape(), otherShape, node.shape())
                        // a column times a row is written u ⊗ v, of the vectors
                        || node.op() == Op.MATMUL && isColumn(node.input(0)) && isRow(node.input(1))
                        // axes of 1 put in front of what is broadcast: the broadcast puts them there anyway
                        || node.op() == Op.BROADCAST_TO && input.op() == Op.RESHAPE && onlyOnes(input);
                (fits ? yes : no).add(input.id());
            }
        }
        yes.removeAll(no);
        return yes;
    }

    private static boolean fitsWithout(Shape inner, Shape other, Shape result) {
        try {
            return result.equals(Shape.broadcast(inner, other)); // null when they do not broadcast
        } catch (dev.chainrule.tensor.ShapeException e) {
            return false;
        }
    }

    /**
     * The ids of the nodes written out for {@code root}, in descending order: the root and what
     * it is made of, down to atoms. Found by a work list, so the cost is that of the expression,
     * not of the graph it lives in.
     */
    private int[] subexpressions(Node root) {
        return Graph.below(root, node -> !isAtom(node), input -> true);
    }

    /** The expression of {@code root} as one string, temporaries (if any) listed after it. */
    public String inline(Node root) {
        return print(root).inline();
    }

    /** As {@link #inline}, but a named root is written as its name. */
    public String reference(Node root) {
        return isAtom(root) ? atom(root) : inline(root);
    }

    /** How a name is written in this format ({@code out_h1} is {@code \mathrm{out}_{h1}} in LaTeX). */
    public String name(String name) {
        return name(format, name);
    }

    /**
     * A name as this format writes it: {@code out_h1} in text, {@code \mathrm{out}_{h1}} in LaTeX;
     * an adjoint {@code δ_net_o1} as {@code delta_net_o1} in ASCII and {@code \delta_{...}} in
     * LaTeX; a temporary of exported code {@code τ_1} as {@code \tau_{1}} in LaTeX.
     */
    public static String name(Format format, String name) {
        boolean latex = format.latex();
        if (name.startsWith("δ_")) {
            String of = name.substring(2);
            return format == Format.ASCII ? "delta_" + of : latex ? "\\delta_{" + latexName(of) + "}" : name;
        }
        if (name.startsWith("τ_") && latex) {
            return "\\tau_{" + name.substring(2) + "}";
        }
        return latex ? latexName(name) : name;
    }

    /** {@code ∂y/∂x} in a format: {@code dy/dx} in ASCII, a {@code \frac} of partials in LaTeX. */
    public static String partial(Format format, String y, String x) {
        return switch (format) {
            case ASCII -> "d" + y + "/d" + x;
            case LATEX, MARKDOWN -> "\\frac{\\partial " + latexName(y) + "}{\\partial " + latexName(x) + "}";
            default -> "∂" + y + "/∂" + x;
        };
    }

    /** How a number is written in this format. */
    public String number(String formatted) {
        if (format != Format.LATEX) {
            return formatted;
        }
        int e = formatted.indexOf('e');
        if (e < 0) {
            return formatted;
        }
        int exponent = Integer.parseInt(formatted.substring(e + 1));
        return formatted.substring(0, e) + " \\times 10^{" + exponent + "}";
    }

    private boolean isAtom(Node node) {
        return node.isConstant() || node.isLeaf() || names.apply(node) != null;
    }

    private String atom(Node node) {
        if (node.isScalarConstant()) {
            return number(constant(node.constantValue()));
        }
        if (node.isConstant()) {
            return literal(node.constantTensor());
        }
        String name = names.apply(node);
        if (name == null) {
            name = node.leafName();
        }
        return name(name);
    }

    /** A tensor constant as the literal that writes it: {@code [[1, 2], [3, 4]]}. */
    private String literal(Tensor t) {
        if (format != Format.ASCII && t.size() > Tensors.WHOLE) {
            // for reading, not for reading back: a large constant by its shape and edges, as values are
            String summary = Tensors.format(t, Numbers.DEFAULT_DIGITS);
            return format == Format.LATEX ? Tensors.latex(summary).replace("[", "\\left[").replace("]", "\\right]") : summary;
        }
        boolean latex = format == Format.LATEX;
        return Tensors.nested(t, v -> number(constant(v)), latex ? "\\left[" : "[", latex ? "\\right]" : "]");
    }

    /** A number of a constant, in full: -0 keeps its sign, so that the constant reads back as itself. */
    private static String constant(double v) {
        return Double.doubleToRawLongBits(v) == Long.MIN_VALUE ? "-0" : Numbers.shortest(v);
    }

    /**
     * What a temporary is called: {@code δ_net_o1} when it is the adjoint of a named node (the
     * δ of backpropagation), else {@code _1}, {@code _2}, ...
     */
    private String temporary(Node node, int index) {
        String of = adjoints.apply(node);
        return of != null ? name("δ_" + of) : temporary(index);
    }

    /**
     * The same printer naming a temporary that is the adjoint of a named node after that node:
     * {@code adjoints} gives the name of the node whose δ a node is, or null.
     */
    public ExprPrinter namingAdjoints(Function<Node, String> adjoints) {
        ExprPrinter p = new ExprPrinter(graph, format, names);
        p.adjoints = adjoints;
        return p;
    }

    private Function<Node, String> adjoints = node -> null;

    private String temporary(int index) {
        return format == Format.LATEX ? "\\tau_{" + index + "}" : "_" + index;
    }

    private int precedenceOf(Op op) {
        if (format == Format.LATEX && op.notation().latexIsTemplate() && op != Op.POW) {
            return Notation.ATOM;
        }
        return op.notation().precedence();
    }

    private String symbol(Notation notation) {
        return switch (format) {
            case ASCII -> notation.ascii();
            case LATEX -> notation.latex();
            default -> notation.text();
        };
    }

    private Text write(Node node, Map<Integer, Text> text, Map<Integer, Integer> precedence) {
        Op op = node.op();
        Notation notation = op.notation();
        Text[] operands = new Text[node.arity()];
        int[] operandPrecedence = new int[node.arity()];
        for (int k = 0; k < node.arity(); k++) {
            operands[k] = text.get(node.input(k).id());
            operandPrecedence[k] = precedence.get(node.input(k).id());
        }
        if (format != Format.ASCII && op == Op.MATMUL && isColumn(node.input(0)) && isRow(node.input(1))) {
            // the column and the row are written as their vectors (bracketed when compound): u ⊗ v
            return Text.of(operands[0], format == Format.LATEX ? " \\otimes " : " ⊗ ", operands[1]);
        }
        if (format != Format.ASCII && op == Op.COPY) {
            // a copy is the value it copies; only the language's own form writes it
            return bracketIf(operands[0], operandPrecedence[0] < Notation.ATOM);
        }
        if (format != Format.ASCII && absorbed.contains(node.id())) {
            return bracketIf(operands[0], operandPrecedence[0] < Notation.ATOM);
        }
        if (format == Format.TEXT && op == Op.TRANSPOSE) {
            return Text.of(bracketIf(operands[0], operandPrecedence[0] < Notation.ATOM), "ᵀ");
        }
        if (format != Format.ASCII && op == Op.MUL && !node.input(0).shape().isScalar() && !node.input(1).shape().isScalar()) {
            int p = notation.precedence();
            Text left = bracketIf(operands[0], operandPrecedence[0] < p);
            Text right = bracketIf(operands[1], operandPrecedence[1] <= p || startsNegative(operands[1]));
            return Text.of(left, format == Format.LATEX ? " \\odot " : " ⊙ ", right);
        }
        if (op == Op.INDEX) {
            StringBuilder index = new StringBuilder(format == Format.LATEX ? "\\left[" : "[");
            index.append(Indexing.text(node.attrs(), node.input(0).shape()));
            index.append(format == Format.LATEX ? "\\right]" : "]");
            return Text.of(bracketIf(operands[0], operandPrecedence[0] < Notation.ATOM), index.toString());
        }
        if (format == Format.LATEX && notation.latexIsTemplate()) {
            return template(notation, operands, operandPrecedence);
        }
        String symbol = symbol(notation);
        int p = notation.precedence();
        return switch (notation.fixity()) {
            case PREFIX -> Text.of(symbol, bracketIf(operands[0], operandPrecedence[0] < p || startsNegative(operands[0])));
            case CALL -> {
                List<Object> parts = new ArrayList<>();
                parts.add(symbol + open());
                for (int k = 0; k < operands.length; k++) {
                    if (k > 0) {
                        parts.add(", ");
                    }
                    parts.add(operands[k]);
                }
                parts.add(attributes(node) + close());
                yield Text.of(parts.toArray());
            }
            case INFIX_LEFT -> {
                // the grammar groups a run of one level from the left: a right operand of that level is bracketed,
                // even for + and ·, so that the text reads back as this very tree (floating point is not associative)
                Text left = bracketIf(operands[0], operandPrecedence[0] < p);
                Text right = bracketIf(operands[1], operandPrecedence[1] <= p || startsNegative(operands[1]));
                yield Text.of(left, infix(symbol, op), right);
            }
            case INFIX_RIGHT -> {
                Text left = bracketIf(operands[0], operandPrecedence[0] <= p);
                Text right = bracketIf(operands[1], operandPrecedence[1] < p || startsNegative(operands[1]));
                yield Text.of(left, infix(symbol, op), right);
            }
            case NONE -> throw new IllegalStateException("atoms are written by atom()");
        };
    }

    /** LaTeX that ends in a superscript ({@code W^{\top}}, {@code x^{2}}), which another superscript cannot follow. */
    private static final java.util.regex.Pattern SUPERSCRIPT_AT_END = java.util.regex.Pattern.compile("\\^(\\{(?:[^{}]|\\{[^{}]*\\})*\\}|\\w)$");

    private Text template(Notation notation, Text[] operands, int[] operandPrecedence) {
        String latex = notation.latex();
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < latex.length(); i++) {
            char c = latex.charAt(i);
            if (c == '#' && i + 1 < latex.length() && Character.isDigit(latex.charAt(i + 1))) {
                int k = latex.charAt(i + 1) - '1';
                boolean grouped = i > 0 && (latex.charAt(i - 1) == '{' || latex.charAt(i - 1) == '|');
                boolean compound = operandPrecedence[k] < Notation.ATOM || startsNegative(operands[k]);
                parts.add(literal.toString());
                literal.setLength(0);
                Text operand = bracketIf(operands[k], !grouped && compound);
                if (i + 2 < latex.length() && latex.charAt(i + 2) == '^' && SUPERSCRIPT_AT_END.matcher(operand.toString()).find()) {
                    // W^{\top}^{\top} is a double superscript: the inner one goes in a group, {W^{\top}}^{\top}
                    operand = Text.of("{", operand, "}");
                }
                parts.add(operand);
                i++;
            } else {
                literal.append(c);
            }
        }
        parts.add(literal.toString());
        return Text.of(parts.toArray());
    }

    /** A node that broadcasting notation leaves out: a broadcast, or a reshape that only puts axes of 1 in front. */
    private static boolean broadcasting(Node node) {
        return node.op() == Op.BROADCAST_TO || node.op() == Op.RESHAPE && onlyOnes(node);
    }

    /**
     * A reshape that only adds (or drops) axes of 1 in front: broadcasting adds those itself, so
     * leaving it out keeps the value. Axes of 1 anywhere else are not: a vector made a column
     * broadcasts along the other axis.
     */
    private static boolean onlyOnes(Node reshape) {
        return java.util.Arrays.equals(withoutLeadingOnes(reshape.shape()), withoutLeadingOnes(reshape.input(0).shape()));
    }

    private static int[] withoutLeadingOnes(Shape shape) {
        int[] dims = shape.dims();
        int k = 0;
        while (k < dims.length && dims[k] == 1) {
            k++;
        }
        return java.util.Arrays.copyOfRange(dims, k, dims.length);
    }

    /** {@code reshape(v, n, 1)} of a vector: a column. */
    private static boolean isColumn(Node node) {
        return node.op() == Op.RESHAPE && node.input(0).shape().rank() == 1 && node.shape().rank() == 2
                && node.shape().dim(1) == 1;
    }

    /** {@code reshape(v, 1, n)} of a vector: a row. */
    private static boolean isRow(Node node) {
        return node.op() == Op.RESHAPE && node.input(0).shape().rank() == 1 && node.shape().rank() == 2
                && node.shape().dim(0) == 1;
    }

    /** An axis or a target shape, written after the operands: {@code sum(x, 0)}, {@code reshape(x, 3, 1)}. */
    private static String attributes(Node node) {
        return node.op().attributes(node.attrs(), node.arity() > 0 ? node.input(0).shape() : null);
    }

    private String infix(String symbol, Op op) {
        if (format == Format.LATEX) {
            return " " + symbol + " ";
        }
        return op == Op.ADD || op == Op.SUB || op == Op.MATMUL ? " " + symbol + " " : symbol;
    }

    private static boolean startsNegative(Text text) {
        return text.first() == '-';
    }

    private Text bracketIf(Text text, boolean bracket) {
        return bracket ? Text.of(open(), text, close()) : text;
    }

    private String open() {
        return format == Format.LATEX ? "\\left(" : "(";
    }

    private String close() {
        return format == Format.LATEX ? "\\right)" : ")";
    }

    /** Text inside {@code \\text{...}}: the characters LaTeX reads as commands, escaped. */
    private static String textEscaped(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\textbackslash{}");
                case '{', '}', '$', '&', '#', '_', '%' -> out.append('\\').append(c);
                case '^' -> out.append("\\textasciicircum{}");
                case '~' -> out.append("\\textasciitilde{}");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A name with an index after it: a member of a family {@code h[3]}, or one element {@code W1[0, 1]}. */
    private static final java.util.regex.Pattern INDEXED = java.util.regex.Pattern.compile("([A-Za-z_][A-Za-z_0-9.]*)\\[([^\\]]*)\\](.*)");

    /** {@code w1} as {@code w_{1}}, {@code out_h1} as {@code \mathrm{out}_{h1}}, {@code E} as is. */
    static String latexName(String name) {
        java.util.regex.Matcher member = INDEXED.matcher(name);
        if (member.matches()) {
            // h[3] is h_{3}; W1[0, 1], whose name has a subscript already, is W_{1}[0, 1]
            String head = latexName(member.group(1));
            String position = member.group(2).replace(" ", "");
            String rest = member.group(3);
            String written = head.contains("_{") ? head + "[" + position + "]" : head + "_{" + position + "}";
            return written + (rest.isEmpty() ? "" : rest.startsWith("[") ? rest.replace(" ", "")
                    : "." + latexName(rest.substring(1)));
        }
        if (!name.matches("[A-Za-z_][A-Za-z_0-9.]*")) {
            // not a name (an expression given as --of, say): written as the text it is
            return "\\text{" + textEscaped(name) + "}";
        }
        String base = name;
        String subscript = null;
        int underscore = name.indexOf('_');
        if (underscore > 0) {
            base = name.substring(0, underscore);
            subscript = name.substring(underscore + 1);
        } else {
            int digits = name.length();
            while (digits > 0 && Character.isDigit(name.charAt(digits - 1))) {
                digits--;
            }
            if (digits > 0 && digits < name.length()) {
                base = name.substring(0, digits);
                subscript = name.substring(digits);
            }
        }
        String head = base.length() == 1 ? base : "\\mathrm{" + base.replace("_", "\\_") + "}";
        if (underscore == 0) {
            head = "\\mathrm{" + name.replace("_", "\\_") + "}";
            subscript = null;
        }
        return subscript == null || subscript.isEmpty() ? head : head + "_{" + subscript.replace("_", "\\_") + "}";
    }
}
