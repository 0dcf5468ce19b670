package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainrule.testing.Cli;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve command's mistakes: said in one line each, exit status 2, no stack trace, no server left running. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void aPortOutOfRangeIsRefused() {
        Cli.Run r = run("serve", "--port", "70000");
        assertEquals(2, r.status());
        assertEquals("chainrule: --port takes a port from 0 to 65535, not 70000\n", r.err());
    }

    @Test
    void aFileAndAnExampleAtOnceAreRefused() {
        Cli.Run r = run("serve", Cli.file(dir, "m.chain", "param a = 1\n"), "--example", "backprop-2-2-2");
        assertEquals(2, r.status());
        assertEquals("chainrule: serve opens a FILE or --example NAME, not both\n", r.err());
    }

    @Test
    void anUnknownExampleGetsADidYouMean() {
        Cli.Run r = run("serve", "--example", "backprop-2-2");
        assertEquals(2, r.status());
        assertEquals("chainrule: no example named 'backprop-2-2'; did you mean 'backprop-2-2-2'? (see 'chainrule examples')\n", r.err());
    }

    @Test
    void aMissingFileIsSaidSo() {
        Cli.Run r = run("serve", dir.resolve("none.chain").toString());
        assertEquals(2, r.status());
        assertEquals("chainrule: " + dir.resolve("none.chain") + ": no such file\n", r.err(), "as run says it");
    }

    @Test
    void aTakenPortIsSaidSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Run r = run("serve", "--example", "backprop-2-2-2", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(2, r.status());
            assertEquals("chainrule: port " + taken.getLocalPort() + " on 127.0.0.1 is taken; choose another with --port N"
                    + " (0 takes any free one)\n", r.err());
        }
    }
}
