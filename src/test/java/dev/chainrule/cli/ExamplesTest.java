package dev.chainrule.cli;

import static dev.chainrule.testing.Cli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.testing.Cli;
import dev.chainrule.testing.Golden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of functions and loops print what the lessons print: the 2-2-2 tutorial's numbers
 * from a network of def layers, with the hidden nets' deltas; backpropagation through time over
 * five steps; a three-class classifier that learns its blobs. Their sources are shown as they are.
 */
class ExamplesTest {
    @TempDir
    Path dir;

    private String out(String example) {
        Cli.Run r = run("run", "--example", example, "--out", dir.toString());
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    @Test
    void theTutorialNetworkOfFunctionsPrintsTheTutorialsNumbers() {
        String out = out("mlp-functions");
        for (String line : new String[] {
            "E = 0.298371109\n",
            "∂E/∂W1 = [[0.000438567734, 0.000877135469], [0.000497712735, 0.000995425471]]\n",
            "∂E/∂W2 = [[0.0821670406, 0.0826676278], [-0.0226025405, -0.0227402422]]\n",
            "∂E/∂out.net = [0.138498562, -0.0380982365]\n",
            "∂E/∂W1[0, 0] = ∂E/∂h[0] · ∂h[0]/∂h.net[0] · ∂h.net[0]/∂W1[0, 0]\n",
            "∂E/∂h[0] = ∂E/∂out.net[0] · ∂out.net[0]/∂h[0] + ∂E/∂out.net[1] · ∂out.net[1]/∂h[0]\n",
            "all 12 gradients agree",
            "E 0.298371109 -> 0.280471447\n"}) {
            assertTrue(out.contains(line), line + " in\n" + out);
        }
    }

    @Test
    void backpropagationThroughTimeOverFiveSteps() {
        String out = out("rnn-bptt");
        for (String line : new String[] {
            "∂E/∂u = -0.0870811737\n",
            "∂E/∂u = Σ_t ∂E/∂h[t] · ∂h[t]/∂u   (t = 1 to 5)\n",
            "∂E/∂h[1] = ∂E/∂h[5] · ∂h[5]/∂h[4] · ∂h[4]/∂h[3] · ∂h[3]/∂h[2] · ∂h[2]/∂h[1]\n",
            "all 4 gradients agree"}) {
            assertTrue(out.contains(line), line + " in\n" + out);
        }
    }

    @Test
    void aThreeClassClassifierLearnsItsBlobs() {
        String out = out("classifier-blobs");
        assertTrue(out.contains("train L: 300 steps of gradient descent (adam), lr 0.05: L 0.907884162 -> 0.0174683605\n"), out);
        assertTrue(out.contains("accuracy = 0.99\n"), out);
        assertTrue(out.contains("(Z over a 120×120 grid, with the 300 points)"), out);
    }

    @Test
    void anExamplesSourceIsShownAsItIs() {
        Cli.Run shown = run("examples", "--show", "rnn-bptt");
        assertEquals(0, shown.status());
        assertEquals(Golden.example("rnn-bptt"), shown.out());
        Cli.Run unknown = run("examples", "--show", "rnn-bpt");
        assertEquals("chainrule: no example named 'rnn-bpt'; did you mean 'rnn-bptt'? (see 'chainrule examples')\n", unknown.err());
    }
}
