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

    /** {@code chainrule ARGS} exits with 2 and says {@code err} on standard error. */
    private static void refused(String err, String... args) {
        Cli.Run r = run(args);
        assertEquals(2, r.status(), String.join(" ", args));
        assertEquals(err, r.err(), String.join(" ", args));
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        refused("chainrule: --port takes a port from 0 to 65535, not 70000\n", "serve", "--port", "70000");
    }

    @Test
    void aFileAndAnExampleAtOnceAreRefused() {
        refused("chainrule: serve opens a FILE or --example NAME, not both\n",
                "serve", Cli.file(dir, "m.chain", "param a = 1\n"), "--example", "backprop-2-2-2");
    }

    @Test
    void anUnknownExampleGetsADidYouMean() {
        refused("chainrule: no example named 'backprop-2-2'; did you mean 'backprop-2-2-2'? (see 'chainrule examples')\n",
                "serve", "--example", "backprop-2-2");
    }

    @Test
    void aMissingFileIsSaidSo() {
        // as run says it
        refused("chainrule: " + dir.resolve("none.chain") + ": no such file\n", "serve", dir.resolve("none.chain").toString());
    }

    @Test
    void aTakenPortIsSaidSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused("chainrule: port " + taken.getLocalPort() + " on 127.0.0.1 is taken; choose another with --port N"
                    + " (0 takes any free one)\n", "serve", "--example", "backprop-2-2-2", "--port",
                    String.valueOf(taken.getLocalPort()));
        }
    }
}
