package dev.chainrule.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.diag.Progress;
import dev.chainrule.diag.Stopped;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A long check says how far it is, says when a sample would be quicker, and stops when asked. */
class CheckProgressTest {
    private static Model model(int params) {
        StringBuilder text = new StringBuilder("param ");
        for (int i = 0; i < params; i++) {
            text.append(i > 0 ? ", " : "").append("p").append(i).append(" = ").append(0.01 * i);
        }
        text.append("\nE = ");
        for (int i = 0; i < params; i++) {
            text.append(i > 0 ? " + " : "").append("sin(p").append(i).append(" * p").append((i + 1) % params).append(")");
        }
        return Model.parse("m.chain", text + "\n");
    }

    @Test
    void everyElementIsReportedAndALongCheckIsToldOfSamples() {
        Model m = model(40);
        List<Integer> done = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Progress progress = new Progress() {
            @Override
            public void step(int d, int total, double loss) {
                assertTrue(Double.isNaN(loss));
                done.add(total * 1000 + d);
            }

            @Override
            public void note(String remark) {
                notes.add(remark);
            }
        };
        GradientCheck check = new GradientCheck(m.graph(), m.scope().leafValues());
        check.longSeconds = 0;
        CheckReport report = check.check(m.scope().lookup("E"), "E", m.scope().params(), 1e-6, 1e-9, 0, progress);
        assertTrue(report.ok());
        assertEquals(40, done.size());
        assertEquals(40_040, done.get(39));
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).matches("checking all 40 elements takes about [0-9]+ s; --samples N checks a seeded sample of N of them"),
                notes.get(0));
        done.clear();
        notes.clear();
        new GradientCheck(m.graph(), m.scope().leafValues()).check(m.scope().lookup("E"), "E", m.scope().params(), 1e-6, 1e-9, 10, progress);
        assertTrue(notes.isEmpty(), "a sample is not told to sample");
        assertEquals(List.of(10_001, 10_002, 10_003, 10_004, 10_005, 10_006, 10_007, 10_008, 10_009, 10_010), done);
    }

    @Test
    void anInterruptedCheckStopsAndLeavesTheValuesAsTheyWere() {
        Model m = model(30);
        double before = m.scope().leafValue(m.scope().lookup("p3")).item();
        Thread.currentThread().interrupt();
        Stopped e = assertThrows(Stopped.class, () -> m.check(m.scope().lookup("E"), "E", m.scope().params(), 1e-6, 1e-9));
        assertEquals("check stopped after 0 of 30 elements", e.getMessage());
        assertEquals(before, m.scope().leafValue(m.scope().lookup("p3")).item());
    }
}
