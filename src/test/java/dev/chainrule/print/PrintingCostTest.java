package dev.chainrule.print;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Printing costs memory in proportion to what is printed: the derivative of sin∘…∘sin, printed at
 * depth 2,000 and 4,000, allocates about twice as much at twice the depth (it allocated the
 * square: 3.6 GB at depth 10,000). Bytes allocated by this thread are counted, not time.
 */
class PrintingCostTest {
    private static long bytesToPrint(int depth) {
        Model model = Model.parse("m.chain", "param x = 0.5\nE = " + "sin(".repeat(depth) + "x" + ")".repeat(depth) + "\n");
        Node d = model.derivative(model.scope().lookup("E"), model.scope().lookup("x"), model.source().whole());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        new ExprPrinter(model.graph(), Format.TEXT, model.scope()::nameOf).inline(d);
        long before = threads.getCurrentThreadAllocatedBytes();
        String printed = new ExprPrinter(model.graph(), Format.TEXT, model.scope()::nameOf).inline(d);
        long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(printed.length() < 40L * depth, "the text itself is linear: " + printed.length() + " characters");
        return bytes;
    }

    @Test
    void memoryGrowsLinearlyWithDepth() {
        long half = bytesToPrint(2000);
        long full = bytesToPrint(4000);
        assertTrue(full < 3 * half, "twice the depth took " + (double) full / half + " times the memory (" + half + ", " + full + " bytes)");
    }
}
