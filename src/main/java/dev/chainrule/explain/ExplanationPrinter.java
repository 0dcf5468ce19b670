package dev.chainrule.explain;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import dev.chainrule.print.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Writes an {@link Explanation}: each equation symbolically, then with numbers, then its value;
 * then the table of local derivatives, each as an expression in the user's names with its value.
 */
public final class ExplanationPrinter {
    /** Expressions longer than this are not padded to line up the values after them. */
    private static final int ALIGNED = 48;

    private final Format format;
    private final int digits;
    private final ExprPrinter expressions;

    /** Which names are families ({@code h} of {@code h[1]}, {@code h[2]}, ...): sums over their members are written Σ_t. */
    private final java.util.function.Predicate<String> families;

    public ExplanationPrinter(Graph graph, Function<Node, String> names, Format format, int digits) {
        this(graph, names, format, digits, name -> false);
    }

    /** A printer that writes a sum over the members of a family (the steps of a loop) as one Σ_t first. */
    public ExplanationPrinter(Graph graph, Function<Node, String> names, Format format, int digits,
                              java.util.function.Predicate<String> families) {
        this.format = format;
        this.digits = digits;
        this.expressions = new ExprPrinter(graph, format, names);
        this.families = families;
    }

    public String print(Explanation e) {
        return switch (format) {
            case LATEX -> latex(e);
            case MARKDOWN -> markdown(e);
            default -> text(e);
        };
    }

    private String text(Explanation e) {
        StringBuilder out = new StringBuilder();
        if (e.independent()) {
            return out.append(e.of()).append(" does not depend on ").append(e.wrt()).append(": ")
                    .append(d(e.of(), e.wrt())).append(" = 0\n").toString();
        }
        for (Explanation.Equation eq : e.equations()) {
            String lhs = d(e.of(), eq.node());
            String pad = " ".repeat(lhs.length());
            List<String> sides = sides(e, eq);
            for (int i = 0; i < sides.size(); i++) {
                out.append(i == 0 ? lhs : pad).append(" = ").append(sides.get(i)).append('\n');
            }
            if (eq.consumers().size() > 1) {
                out.append(pad).append("   (").append(eq.node()).append(" feeds ")
                        .append(listing(eq.consumers())).append(": one term per path)\n");
            }
            if (ambiguous(e, e.of(), eq.node()) && eq.consumers().contains(e.of())) {
                out.append(pad).append("   (").append(local(e, e.of(), eq.node())).append(" is ").append(e.of())
                        .append("'s own use of ").append(eq.node()).append(", the other names held fixed)\n");
            }
        }
        if (!e.factors().isEmpty() && !(e.equations().size() == 1 && direct(e, e.equations().get(0)))) {
            out.append('\n').append("local derivatives:").append('\n');
            List<String[]> rows = new ArrayList<>();
            for (Explanation.Factor f : e.factors()) {
                rows.add(new String[] {local(e, f), expressions.reference(f.expression()), number(f.value())});
            }
            int w0 = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
            int w1 = rows.stream().mapToInt(r -> r[1].length()).filter(w -> w <= ALIGNED).max().orElse(0);
            for (String[] r : rows) {
                // a local derivative that is a number is written once: ∂E/∂h = 3, not ∂E/∂h = 3 = 3
                out.append("  ").append(padRight(r[0], w0)).append(" = ")
                        .append(r[1].equals(r[2]) ? r[2] : padRight(r[1], w1) + " = " + r[2]).append('\n');
            }
        }
        return out.toString();
    }

    private String latex(Explanation e) {
        StringBuilder out = new StringBuilder("\\begin{aligned}\n");
        if (e.independent()) {
            out.append(d(e.of(), e.wrt())).append(" &= 0\n");
            return out.append("\\end{aligned}\n").toString();
        }
        List<String> lines = new ArrayList<>();
        for (Explanation.Equation eq : e.equations()) {
            List<String> sides = sides(e, eq);
            for (int i = 0; i < sides.size(); i++) {
                lines.add((i == 0 ? d(e.of(), eq.node()) + " " : "") + "&= " + sides.get(i));
            }
        }
        boolean single = e.equations().size() == 1 && direct(e, e.equations().get(0));
        for (Explanation.Factor f : single ? List.<Explanation.Factor>of() : e.factors()) {
            String expression = expressions.reference(f.expression());
            String value = number(f.value());
            lines.add(local(e, f) + " &= " + (expression.equals(value) ? value : expression + " = " + value));
        }
        out.append(String.join(" \\\\\n", lines)).append('\n');
        return out.append("\\end{aligned}\n").toString();
    }

    private String markdown(Explanation e) {
        StringBuilder out = new StringBuilder();
        out.append("**Chain rule for $").append(d(e.of(), e.wrt())).append("$**\n\n");
        if (e.independent()) {
            return out.append(e.of()).append(" does not depend on ").append(e.wrt()).append(", so $")
                    .append(d(e.of(), e.wrt())).append(" = 0$.\n").toString();
        }
        for (Explanation.Equation eq : e.equations()) {
            String lhs = d(e.of(), eq.node());
            if (eq.terms().isEmpty()) {
                out.append("$$").append(lhs).append(" = 1$$\n\n");
                continue;
            }
            List<String> sides = sides(e, eq);
            out.append("$$\n\\begin{aligned}\n").append(lhs).append(" &= ").append(String.join(" \\\\\n&= ", sides))
                    .append("\n\\end{aligned}\n$$\n\n");
            if (eq.consumers().size() > 1) {
                out.append("`").append(eq.node()).append("` feeds ").append(listing(eq.consumers()))
                        .append(": one term per path.\n\n");
            }
            if (ambiguous(e, e.of(), eq.node()) && eq.consumers().contains(e.of())) {
                out.append("$").append(local(e, e.of(), eq.node())).append("$ is `").append(e.of())
                        .append("`'s own use of `").append(eq.node()).append("`, the other names held fixed.\n\n");
            }
        }
        if (!e.factors().isEmpty()) {
            out.append("| local derivative | expression | value |\n|---|---|---|\n");
            for (Explanation.Factor f : e.factors()) {
                out.append("| $").append(local(e, f)).append("$ | $")
                        .append(expressions.reference(f.expression()).replace("|", "\\vert ")).append("$ | ")
                        .append(number(f.value())).append(" |\n");
            }
        }
        return out.toString();
    }

    /**
     * The right-hand sides of one equation, in order: the chain in symbols (a Σ_t first for a
     * family), in numbers, the sum of the terms' values, the value; a local derivative of the
     * target itself is its expression and its value. A side that says what the one before it
     * said is left out: no {@code ∂h/∂y = ∂h/∂y}, no {@code 3 = 3}.
     */
    private List<String> sides(Explanation e, Explanation.Equation eq) {
        List<String> sides = new ArrayList<>();
        if (eq.terms().isEmpty()) {
            sides.add("1");
            return sides;
        }
        if (direct(e, eq)) {
            Explanation.Factor f = ((Explanation.Local) eq.terms().get(0).parts().get(0)).factor();
            sides.add(expressions.reference(f.expression()));
        } else {
            String overFamily = sumOverFamily(e, eq);
            if (overFamily != null) {
                sides.add(overFamily);
            }
            sides.add(join(eq.terms(), t -> symbols(e, t)));
            sides.add(join(eq.terms(), t -> numbers(t)));
            if (eq.terms().size() > 1) {
                sides.add(sumOfValues(eq.terms()));
            }
        }
        sides.add(number(eq.value()));
        List<String> distinct = new ArrayList<>();
        for (String side : sides) {
            if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(side)) {
                distinct.add(side);
            }
        }
        return distinct;
    }

    /** True when an equation is one local derivative of the target itself: nothing to chain. */
    private static boolean direct(Explanation e, Explanation.Equation eq) {
        if (eq.terms().size() != 1 || eq.terms().get(0).parts().size() != 1) {
            return false;
        }
        return eq.terms().get(0).parts().get(0) instanceof Explanation.Local l && l.factor().numerator().equals(e.of())
                && l.factor().denominator().equals(eq.node());
    }

    /** The local derivative {@code f}, written so that it cannot be taken for a total; see {@link #ambiguous}. */
    private String local(Explanation e, Explanation.Factor f) {
        return local(e, f.numerator(), f.denominator());
    }

    private String local(Explanation e, String y, String x) {
        String plain = d(y, x);
        if (!ambiguous(e, y, x)) {
            return plain;
        }
        return switch (format) {
            case LATEX, MARKDOWN -> "\\left." + plain + "\\right\\vert_{\\text{direct}}";
            default -> plain + "|direct";
        };
    }

    /**
     * Whether the local derivative {@code ∂y/∂x} would read as the total of the same name: {@code y}
     * is the target, which uses {@code x} itself, and {@code x} reaches it along other paths too,
     * so that the total {@code ∂y/∂x} (an equation of its own) is more than this one term.
     */
    private static boolean ambiguous(Explanation e, String y, String x) {
        if (!y.equals(e.of())) {
            return false;
        }
        for (Explanation.Equation eq : e.equations()) {
            if (eq.node().equals(x)) {
                return !direct(e, eq);
            }
        }
        return false;
    }

    /** {@code ∂y/∂x} in this format. */
    private String d(String y, String x) {
        return ExprPrinter.partial(format, y, x);
    }

    private String times() {
        return switch (format) {
            case ASCII -> " * ";
            case LATEX, MARKDOWN -> " \\cdot ";
            default -> " · ";
        };
    }

    private String symbols(Explanation e, Explanation.Term term) {
        return symbols(e, term, null, null);
    }

    /** A term in symbols, with the name {@code from} written {@code to} (null for none). */
    private String symbols(Explanation e, Explanation.Term term, String from, String to) {
        List<String> parts = new ArrayList<>();
        for (Explanation.Part part : term.parts()) {
            if (part instanceof Explanation.Local local) {
                String y = local.factor().numerator();
                String x = local.factor().denominator();
                parts.add(ambiguous(e, y, x) ? local(e, local.factor()) : d(renamed(y, from, to), renamed(x, from, to)));
            } else {
                parts.add(d(e.of(), renamed(((Explanation.Total) part).node(), from, to)));
            }
        }
        return String.join(times(), parts);
    }

    private static String renamed(String name, String from, String to) {
        return name.equals(from) ? to : name;
    }

    /** A member of a family, {@code h[3]} or {@code h[3][0]}: the family, the position, and what follows. */
    private static final java.util.regex.Pattern MEMBER = java.util.regex.Pattern.compile("(.+?)\\[(-?[0-9]+)\\](.*)");

    /**
     * {@code Σ_t ∂E/∂h[t] · ∂h[t]/∂u (t = 1 to 5)}: an equation whose terms go through the members
     * of one family (the steps of a loop), each term alike but for the member, written as one sum
     * over the member's position; null for any other equation.
     */
    private String sumOverFamily(Explanation e, Explanation.Equation eq) {
        if (eq.consumers().size() < 2 || eq.consumers().size() != eq.terms().size()) {
            return null;
        }
        String family = null;
        String rest = null;
        List<Long> positions = new ArrayList<>();
        String alike = null;
        for (int i = 0; i < eq.consumers().size(); i++) {
            java.util.regex.Matcher m = MEMBER.matcher(eq.consumers().get(i));
            if (!m.matches() || !families.test(m.group(1)) || family != null && (!family.equals(m.group(1)) || !rest.equals(m.group(3)))) {
                return null;
            }
            family = m.group(1);
            rest = m.group(3);
            positions.add(Long.parseLong(m.group(2)));
            String term = symbols(e, eq.terms().get(i), eq.consumers().get(i), family + "[t]" + rest);
            if (alike != null && !alike.equals(term)) {
                return null;
            }
            alike = term;
        }
        long first = positions.get(0);
        long last = positions.get(positions.size() - 1);
        boolean run = last - first + 1 == positions.size();
        String range = run ? first + " to " + last : positions.toString().replace("[", "").replace("]", "");
        return switch (format) {
            case LATEX, MARKDOWN -> run ? "\\sum_{t=" + first + "}^{" + last + "} " + alike
                    : "\\sum_{t \\in \\{" + range + "\\}} " + alike;
            case ASCII -> "sum over t of " + alike + " (t = " + range + ")";
            default -> "Σ_t " + alike + "   (t = " + range + ")";
        };
    }

    private String numbers(Explanation.Term term) {
        List<String> parts = new ArrayList<>();
        for (Explanation.Part part : term.parts()) {
            String n = number(part.value());
            parts.add(n.startsWith("-") && term.parts().size() > 1 ? open() + n + close() : n);
        }
        return String.join(times(), parts);
    }

    private String sumOfValues(List<Explanation.Term> terms) {
        StringBuilder s = new StringBuilder(number(terms.get(0).value()));
        for (int i = 1; i < terms.size(); i++) {
            double v = terms.get(i).value();
            s.append(v < 0 ? " - " : " + ").append(number(Math.abs(v)));
        }
        return s.toString();
    }

    private String join(List<Explanation.Term> terms, Function<Explanation.Term, String> each) {
        List<String> parts = new ArrayList<>();
        for (Explanation.Term t : terms) {
            parts.add(each.apply(t));
        }
        return String.join(" + ", parts);
    }

    private String number(double value) {
        return expressions.number(Numbers.format(value, digits));
    }

    private String open() {
        return format.latex() ? "\\left(" : "(";
    }

    private String close() {
        return format.latex() ? "\\right)" : ")";
    }

    private static String listing(List<String> names) {
        if (names.size() == 2) {
            return names.get(0) + " and " + names.get(1);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    private static String padRight(String s, int width) {
        int len = s.codePointCount(0, s.length());
        return len >= width ? s : s + " ".repeat(width - len);
    }
}
