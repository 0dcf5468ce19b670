package dev.chainrule.testing;

import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.api.Model;
import java.util.List;
import org.quicktheories.core.Gen;

/**
 * Random well-formed expressions over the params {@code p0, p1, p2}, built from a list of
 * choices so that QuickTheories shrinks a failing case by shortening the list and lowering its
 * numbers: fewer choices give a smaller expression. Arguments that have a restricted domain are
 * wrapped so the expression is defined everywhere ({@code log(1.5 + a^2)}, {@code a/(1.5 + b^2)}).
 * Every operation of the language appears.
 */
public final class RandomExpressions {
    public static final String PARAMS = "param p0 = 0, p1 = 0, p2 = 0\n";
    /** The choices an expression is read from. */
    public static final Gen<List<Integer>> CHOICES = lists().of(integers().between(0, 999)).ofSizeBetween(1, 40);
    /** Values of p0, p1, p2. */
    public static final Gen<List<Double>> POINTS = lists().of(doubles().between(-2, 2)).ofSize(3);

    private static final int MAX_DEPTH = 6;
    private static final String[] CONSTANTS = {"0.5", "2", "3", "1.5", "0.25"};

    private final List<Integer> choices;
    private int next;

    private RandomExpressions(List<Integer> choices) {
        this.choices = choices;
    }

    /** The expression the choices describe. */
    public static String expression(List<Integer> choices) {
        return new RandomExpressions(choices).expr(0);
    }

    /** A model defining {@code f} as that expression, with the params declared as 0. */
    public static String model(List<Integer> choices) {
        return PARAMS + "f = " + expression(choices) + "\n";
    }

    /** That model, followed by {@code extra} statements, parsed, with p0, p1, p2 set to {@code at}. */
    public static Model parse(List<Integer> choices, List<Double> at, String extra) {
        Model model = Model.parse("random", model(choices) + extra);
        for (int i = 0; i < at.size(); i++) {
            model.set("p" + i + "=" + at.get(i));
        }
        return model;
    }

    private int take() {
        return next < choices.size() ? choices.get(next++) : 0;
    }

    private String expr(int depth) {
        int k = take();
        if (depth >= MAX_DEPTH || k % 10 < 3) {
            return k % 7 == 6 ? CONSTANTS[(k / 7) % CONSTANTS.length] : "p" + (k % 3);
        }
        int op = (k / 10) % 22;
        String a = expr(depth + 1);
        return switch (op) {
            case 0 -> "(" + a + " + " + expr(depth + 1) + ")";
            case 1 -> "(" + a + " - " + expr(depth + 1) + ")";
            case 2 -> "(" + a + " * " + expr(depth + 1) + ")";
            case 3 -> "(" + a + " / (1.5 + (" + expr(depth + 1) + ")^2))";
            case 4 -> "(" + a + ")^" + (2 + k % 2);
            case 5 -> "pow(1 + (" + a + ")^2, sin(" + expr(depth + 1) + "))";
            case 6 -> "max(" + a + ", " + expr(depth + 1) + ")";
            case 7 -> "min(" + a + ", " + expr(depth + 1) + ")";
            case 8 -> "-(" + a + ")";
            case 9 -> "sigmoid(" + a + ")";
            case 10 -> "tanh(" + a + ")";
            case 11 -> "relu(" + a + ")";
            case 12 -> "exp(tanh(" + a + "))";
            case 13 -> "log(1.5 + (" + a + ")^2)";
            case 14 -> "sqrt(1 + (" + a + ")^2)";
            case 15 -> "abs(" + a + ")";
            case 16 -> "sin(" + a + ")";
            case 17 -> "cos(" + a + ")";
            case 18 -> "softplus(" + a + ")";
            case 19 -> "(" + a + " * " + a + ")";
            case 20 -> "step(" + a + ") * " + expr(depth + 1);
            default -> "sign(" + a + ") * " + expr(depth + 1);
        };
    }
}
