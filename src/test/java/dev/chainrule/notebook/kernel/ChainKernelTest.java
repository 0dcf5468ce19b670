package dev.chainrule.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's answers that need no connection: completion, inspection, completeness, errors, the kernelspec. */
class ChainKernelTest {
    @TempDir
    Path dir;

    @Test
    void completesNamesFunctionsAndKeywords() throws Exception {
        ChainKernel kernel = ChainKernel.create();
        var options = kernel.complete("print sig", 9);
        // a function completes with its opening bracket
        assertEquals(List.of("sigmoid(", "sign("), options.getReplacements());
        assertEquals(6, options.getSourceStart());
        assertEquals(9, options.getSourceEnd());
        assertTrue(kernel.complete("exp", 3).getReplacements().contains("explain"));
    }

    @Test
    void isCompleteWaitsForOpenBrackets() throws Exception {
        ChainKernel kernel = ChainKernel.create();
        assertEquals(BaseKernel.IS_COMPLETE_YES, kernel.isComplete("y = sigmoid(x)"));
        assertEquals("    ", kernel.isComplete("y = sigmoid(x +"));
        assertEquals(BaseKernel.IS_COMPLETE_BAD, kernel.isComplete("y = x)"));
    }

    @Test
    void errorsAreDiagnosticsNotStackTraces() throws Exception {
        ChainKernel kernel = ChainKernel.create();
        ChainException e = ChainException.semantic(new Source("cell 1", "y = xx").spanAt(4, 2), "unknown name 'xx'");
        assertEquals(List.of("cell 1:1:5: unknown name 'xx'", "y = xx", "    ^^"), kernel.formatError(e));
    }

    @Test
    void installsAKernelspecThatStartsThisJar() throws Exception {
        Path folder = KernelSpec.install(dir);
        assertEquals(dir.resolve("share/jupyter/kernels/chainrule"), folder);
        String json = Files.readString(folder.resolve("kernel.json"));
        assertTrue(json.contains("\"-jar\""), json);
        assertTrue(json.contains("\"kernel\", \"{connection_file}\"]"), json);
        assertTrue(Files.size(folder.resolve("logo-64x64.png")) > 100);
    }

    @Test
    void inspectShowsDefinitionShapeValueAndTheLastGradient() throws Exception {
        ChainKernel kernel = ChainKernel.create();
        kernel.evalRawForTest("param w = 3\ninput x = 2\nE = (w*x - 1)^2");
        assertEquals("E = (w·x - 1)^2\nshape: scalar\nvalue: 25", kernel.inspect("print E", 7, false).getData(
                org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
        kernel.evalRawForTest("grad E");
        assertEquals("w: param\nshape: scalar\nvalue: 3\ngradient: ∂E/∂w = 20", kernel.inspect("w", 1, false).getData(
                org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
    }
}
