package dev.chainrule.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** "Did you mean": the closest name, and of names as close, the one the typing started as. */
class SuggestionsTest {
    private static final List<String> FUNCTIONS = List.of("sin", "sign", "sigmoid", "sqrt", "sum", "tanh", "exp", "log",
            "mean", "max", "min", "relu", "softmax", "step", "abs", "cos");

    @Test
    void aKeyHeldTooLongIsTheNameItStartedAs() {
        assertEquals(Optional.of("sin"), Suggestions.closest("sinn", FUNCTIONS), "'sign' is as close, but the typing began as 'sin'");
        assertEquals(Optional.of("tanh"), Suggestions.closest("tanhh", FUNCTIONS));
        assertEquals(Optional.of("sigmoid"), Suggestions.closest("sigmoud", FUNCTIONS));
        assertEquals(Optional.of("exp"), Suggestions.closest("EXP", FUNCTIONS), "case does not count");
    }

    @Test
    void equallyCloseAndEquallyBegunTheFirstAlphabeticallyWins() {
        assertEquals(Optional.of("max"), Suggestions.closest("mbx", List.of("mix", "max")));
    }

    @Test
    void aNameReplacedWholeIsNoNearMiss() {
        assertEquals(Optional.empty(), Suggestions.closest("g", List.of("T")));
        assertEquals(Optional.empty(), Suggestions.closest("softplus", FUNCTIONS));
    }

    /** Every single-key typo of a known name gets a suggestion, and never one farther away than another name. */
    @Test
    void aSuggestionIsAlwaysAmongTheClosest() {
        Random random = new Random(23);
        String letters = "abcdefghijklmnopqrstuvwxyz";
        for (int i = 0; i < 2_000; i++) {
            String name = FUNCTIONS.get(random.nextInt(FUNCTIONS.size()));
            StringBuilder typo = new StringBuilder(name);
            int at = random.nextInt(name.length());
            char key = letters.charAt(random.nextInt(letters.length()));
            switch (random.nextInt(3)) {
                case 0 -> typo.insert(at, key);
                case 1 -> typo.setCharAt(at, key);
                default -> typo.deleteCharAt(at);
            }
            String wrong = typo.toString();
            if (wrong.isEmpty() || FUNCTIONS.contains(wrong)) {
                continue;
            }
            Optional<String> suggested = Suggestions.closest(wrong, FUNCTIONS);
            if (wrong.length() >= 3) {
                assertTrue(suggested.isPresent(), wrong + " (from " + name + ") got no suggestion");
            }
            int nearest = FUNCTIONS.stream().mapToInt(f -> Suggestions.distance(wrong, f)).min().orElseThrow();
            suggested.ifPresent(s -> assertEquals(nearest, Suggestions.distance(wrong, s), wrong + " -> " + s));
        }
    }
}
