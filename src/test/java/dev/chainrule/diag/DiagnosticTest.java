package dev.chainrule.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.testing.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Diagnostics render every place the same way: short, printable, with the caret under the place. */
class DiagnosticTest {

    @Test
    void aControlCharacterIsShownAsItsPicture() {
        Source s = new Source("m.chain", "x = 1 \u0000 2");
        assertEquals("m.chain:1:7: unexpected character '\u2400'\nx = 1 \u2400 2\n      ^",
                new Diagnostic(s.spanAt(6, 1), "unexpected character '\u0000'").render());
    }

    @Test
    void aLongLineIsShownAsAWindowAroundThePlace() {
        String line = "E = " + "x + ".repeat(1000) + "oops";
        Source s = new Source("m.chain", line);
        String rendered = new Diagnostic(s.spanAt(line.length() - 4, 4), "unknown name 'oops'").render();
        String[] lines = rendered.split("\n");
        assertEquals("m.chain:1:4005: unknown name 'oops'", lines[0]);
        assertEquals("..." + line.substring(line.length() - 64), lines[1]);
        assertEquals(" ".repeat(63) + "^^^^", lines[2]);
    }

    /**
     * For any line (any length, with control characters and tabs) and any place on it, the
     * rendering has three lines, none much wider than {@link Diagnostic#WIDEST}, no control
     * character but tab, and the caret under the first character of the place.
     */
    @Test
    void everyRenderingIsShortPrintableAndPointsAtThePlace() {
        Seeds.qt().withExamples(500).forAll(lists().of(integers().between(0, 130)).ofSizeBetween(0, 700), integers().between(0, 1000),
                        integers().between(1, 50))
                .checkAssert((codes, at, length) -> {
                    StringBuilder text = new StringBuilder();
                    codes.forEach(c -> text.append((char) (c == 10 || c == 13 ? 'n' : c)));
                    String line = text.toString();
                    int offset = Math.min(at, line.length());
                    Source s = new Source("m.chain", line);
                    String[] out = new Diagnostic(s.spanAt(offset, length), "a message with a \u0001 in it").render().split("\n", -1);
                    assertEquals(3, out.length, String.join("|", out));
                    for (String l : out) {
                        assertTrue(l.length() <= Diagnostic.WIDEST + 70, l);
                        assertTrue(l.chars().allMatch(c -> c >= 0x20 || c == '\t'), l);
                    }
                    int caret = out[2].indexOf('^');
                    if (offset < line.length()) {
                        assertEquals(Diagnostic.visible(String.valueOf(line.charAt(offset))).charAt(0), out[1].charAt(caret), String.join("\n", out));
                    }
                });
    }
}
