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

    @Test
    void linesTypedInsideBracketsAreOneEntry() {
        assertEquals("y = sigmoid(x + 1)", Repl.joinBracketed("y = sigmoid(x +\n1)"));
        assertEquals("a = 1\nb = 2", Repl.joinBracketed("a = 1\nb = 2"));
    }
}
