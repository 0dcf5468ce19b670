package dev.chainrule.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The prompt over plain streams: entries, continuation while brackets are open, commands, errors. */
class ReplTest {
    private static String session(String typed) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Repl.on(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void entriesCommandsAndErrors() throws Exception {
        assertEquals("""
                chainrule 0.1.0 — type :help for help, :quit to leave
                y = 0.952574127
                cell 4:1:7: unknown name 'yy'; did you mean 'y'?
                print yy
                      ^^
                x : scalar = 2
                y : scalar = 0.952574127
                rebuilt on the new definitions: y
                y = 9
                a new, empty session
                cell 1:1:7: unknown name 'y'
                print y
                      ^
                """, session("param x = 2\ny = sigmoid(x +\n 1)\nprint y\nprint yy\n:vars\nz = x^2\n"
                + "param x = 3\ny = z\nz = x^2 + 0\nprint y\n:reset\nprint y\n:quit\nprint x\n"));
    }

    /** Loading a file replaces the session: nothing of what was typed before stays to be checked or trained. */
    @Test
    void loadingAFileReplacesTheSession(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path model = dir.resolve("m.chain");
        java.nio.file.Files.writeString(model, "param w = 1\nE = (w - 2)^2\n");
        assertEquals("""
                chainrule 0.1.0 — type :help for help, :quit to leave
                a new session with M
                E = 1
                ∂E/∂w = -2
                cell 2:1:7: unknown name 'v'
                print v
                      ^
                """.replace("M", model.toString()), session("param v = 5\nL = v^2\n:load " + model + "\ngrad E\nprint v\n"));
    }

    @Test
    void helpShowsTheStatementsAndFunctionsCompleteWithABracket() throws Exception {
        String help = session(":help\n");
        for (String statement : new String[] {"def dense(x, W, b)", "for t in 1..T", "include \"layers.chain\"",
            "save params to \"w.json\"", "explain E wrt W1[0, 1] [expand]", ":load FILE"}) {
            org.junit.jupiter.api.Assertions.assertTrue(help.contains(statement), statement + " in\n" + help);
        }
        org.jline.reader.Candidate sigmoid = Repl.candidate("sigmoid(");
        assertEquals("sigmoid(", sigmoid.value());
        assertEquals("sigmoid", sigmoid.displ());
        org.junit.jupiter.api.Assertions.assertFalse(sigmoid.complete());
        org.junit.jupiter.api.Assertions.assertTrue(Repl.candidate("print").complete());
    }

    @Test
    void aBlockIsTypedOverSeveralLines() throws Exception {
        assertEquals("""
                chainrule 0.1.0 — type :help for help, :quit to leave
                y = 6
                """, session("def triple(x):\n  y = 3 * x\n  return y\nend\ny = triple(2)\nprint y\n"));
    }

    /**
     * Ctrl-C during a long training stops the training, not the prompt: the next entries run in
     * the same session, whose param holds the value of the last step done.
     */
    @Test
    void anInterruptStopsTheStatementAndKeepsTheSession() throws Exception {
        java.io.PipedOutputStream typing = new java.io.PipedOutputStream();
        java.io.PipedInputStream in = new java.io.PipedInputStream(typing);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Repl repl = new Repl(new java.io.PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                dev.chainrule.diag.Progress.NONE);
        Thread prompt = new Thread(() -> {
            try {
                repl.read(in);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        prompt.start();
        typing.write("param w = 5\nE = w^2\nprint w\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        long until = System.nanoTime() + 60_000_000_000L;
        while (!out.toString(StandardCharsets.UTF_8).contains("w = 5\n") && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        // the prompt has nothing else to run now: the entry an interrupt reaches is the training
        typing.write("train E lr 0.0000001 steps 1000000000\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        Thread.sleep(200);
        while (!repl.interrupt() && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        typing.write("print E\n:quit\n".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        prompt.join(60_000);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertEquals("w = 5", lines[1]);
        org.junit.jupiter.api.Assertions.assertTrue(lines[2].matches("training stopped at step [0-9]+ of 1000000000 \\(loss [-+0-9.e]+\\);"
                + " the params keep the values of step [0-9]+"), lines[2]);
        // w after n steps of w -= 1e-7 * 2w is 5 (1 - 2e-7)^n, whenever the interrupt came
        java.util.regex.Matcher kept = java.util.regex.Pattern.compile("the params keep the values of step ([0-9]+)").matcher(lines[2]);
        org.junit.jupiter.api.Assertions.assertTrue(kept.find(), lines[2]);
        int steps = Integer.parseInt(kept.group(1));
        double w = 5 * Math.pow(1 - 2e-7, steps);
        double loss = Double.parseDouble(lines[3].substring("E = ".length()));
        // E is printed to 9 significant digits; each step may round its last bit
        double printed = Math.pow(10, Math.floor(Math.log10(loss)) - 8) / 2;
        assertEquals(w * w, loss, printed + steps * 1e-15 * loss, lines[2] + "\n" + lines[3]);
    }

    @Test
    void linesTypedInsideBracketsAreOneEntry() {
        assertEquals("y = sigmoid(x + 1)", Repl.joinBracketed("y = sigmoid(x +\n1)"));
        assertEquals("a = 1\nb = 2", Repl.joinBracketed("a = 1\nb = 2"));
    }
}
