package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.chainrule.api.Model;
import dev.chainrule.diag.ChainException;
import dev.chainrule.fuzz.Programs;
import dev.chainrule.testing.Seeds;
import org.junit.jupiter.api.Test;

/**
 * A source is read on the calling thread when it is too shallow to nest deeply, and on the
 * parser's thread a batch ahead of the builder otherwise (SourceParser's Pipeline). Both paths
 * give the same model and the same first diagnostic: a program of the fuzz generator built as it
 * is and with a trailing comment of brackets (which sends it down the other path) agrees in every
 * name's value, or fails with the same message at the same place.
 */
class ReadingPathsTest {
    /** A comment that makes any source deep enough for the pipeline, without changing a line of it. */
    private static final String DEEP = "\n# " + "(".repeat(SourceParser.SHALLOW + 1) + "\n";

    @Test
    void bothPathsBuildTheSameModelOrReportTheSameError() {
        Seeds.qt().withExamples(300).forAll(lists().of(integers().between(0, 10_000)).ofSizeBetween(0, 160))
                .checkAssert(choices -> {
                    String program = Programs.wellFormed(choices);
                    assertEquals(outcome(program), outcome(program + DEEP), program);
                });
    }

    /** The model's values by name, or the first diagnostic rendered (the source's line and caret included). */
    private static String outcome(String text) {
        try {
            Model model = Model.parse("m.chain", text);
            StringBuilder values = new StringBuilder();
            for (String name : model.scope().names()) {
                values.append(name).append(" = ").append(model.value(model.scope().lookup(name))).append('\n');
            }
            return values.toString();
        } catch (ChainException e) {
            return e.render();
        }
    }

    @Test
    void aSyntaxErrorFarIntoALargeFileIsReportedAfterEverythingBeforeItIsBuilt() {
        assertEquals("big.chain:5001:12: expected an expression, found '*'", firstError("", "y = x4999 +* 2\n"));
    }

    @Test
    void anErrorInAStatementBeforeASyntaxErrorIsTheOneReported() {
        assertEquals("big.chain:2:5: unknown name 'nope'", firstError("y = nope + 1\n", "z = x4999 +* 2\n"));
    }

    /** The first diagnostic of a 5,000-line model (read on the pipeline) with {@code before} and {@code after} around its chain. */
    private static String firstError(String before, String after) {
        StringBuilder text = new StringBuilder("param x0 = 0.5\n").append(before);
        for (int i = 1; i < 5000; i++) {
            text.append('x').append(i).append(" = sin(x").append(i - 1).append(") + 1\n");
        }
        text.append(after);
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("big.chain", text.toString()));
        dev.chainrule.diag.Span at = e.diagnostic().span();
        return at.source().name() + ":" + at.line() + ":" + at.column() + ": " + e.getMessage();
    }
}
