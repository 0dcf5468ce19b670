package dev.chainrule.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.diag.ChainException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A cell that runs out of memory is that cell's error: in a kernel given 64 MB, a cell making a
 * 200 MB matrix fails with a message, and the next cell runs in the same session.
 */
class OutOfMemoryInACellTest {

    /** Run in a JVM of its own with a small heap: the big cell, then a small one using what was defined before. */
    public static void main(String[] args) {
        ChainKernel kernel = ChainKernel.create();
        kernel.evalRaw("param w = 3");
        try {
            kernel.evalRaw("param W = zeros(5000, 5000)\nprint sum(W + 1)");
            System.out.println("no error");
        } catch (ChainException e) {
            System.out.println(e.render());
        }
        kernel.evalRaw("print w * 2");
        System.out.println("the session goes on");
    }

    @Test
    void theCellFailsAndTheKernelGoesOn() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), OutOfMemoryInACellTest.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertEquals("chainrule: out of memory: the cell needs more than the 64 MB Java may use; the kernel goes on without it\n"
                + "the session goes on\n", output);
    }
}
