package dev.chainrule.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.api.Model;
import dev.chainrule.diag.Source;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/** Helpers for golden numbers and the embedded example models. */
public final class Golden {
    private Golden() {
    }

    /**
     * Asserts that {@code actual}, rounded to as many decimals as {@code printed} shows, is
     * {@code printed}: the tutorial's number "to the printed digit".
     */
    public static void assertPrinted(String printed, double actual) {
        BigDecimal expected = new BigDecimal(printed);
        BigDecimal rounded = new BigDecimal(actual).setScale(expected.scale(), RoundingMode.HALF_EVEN);
        assertEquals(0, expected.compareTo(rounded), () -> "expected " + printed + " to the printed digits, got " + actual);
    }

    /**
     * Logistic regression with cross-entropy, the textbook case whose derivative by the net input
     * is {@code p - y}: the model the symbolic-output tests derive.
     */
    public static final String LOGISTIC_REGRESSION = """
            input x1 = 0.5, x2 = -1.2
            input y = 1
            param w1 = 0.3, w2 = -0.1, b = 0.2
            z = w1*x1 + w2*x2 + b
            p = sigmoid(z)
            L = -(y*log(p) + (1 - y)*log(1 - p))
            """;

    /** The text of an embedded example, as the jar ships it. */
    public static String example(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/examples/" + name + ".chain")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the embedded examples, from the jar's index. */
    public static java.util.List<String> exampleNames() {
        try (InputStream in = Golden.class.getResourceAsStream("/examples/index.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The definitions of an embedded example, without the statements that follow {@code marker}. */
    public static Model exampleModel(String name, String marker) {
        String text = example(name);
        int cut = text.indexOf(marker);
        return Model.parse(new Source(name + ".chain", cut < 0 ? text : text.substring(0, cut)));
    }
}
