package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import dev.chainrule.testing.Golden;
import dev.chainrule.testing.RandomExpressions;
import dev.chainrule.testing.Seeds;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiled tapes give the interpreter's numbers bit for bit, are reused by structure, and stay within the JIT's limits. */
class TapeCompilerTest {

    private static Tape tape(Model model, String root) {
        return Tape.compile(model.graph(), model.scope().lookup(root), model.scope().params());
    }

    /** Values and gradients as raw bits, so that -0.0 and NaN payloads count too. */
    private static long[] bits(double value, double[] gradient) {
        long[] bits = new long[gradient.length + 1];
        bits[0] = Double.doubleToRawLongBits(value);
        for (int k = 0; k < gradient.length; k++) {
            bits[k + 1] = Double.doubleToRawLongBits(gradient[k]);
        }
        return bits;
    }

    @Test
    void compiledSweepsGiveTheInterpretersBits() {
        Seeds.qt()
                .withExamples(300)
                .forAll(RandomExpressions.CHOICES, RandomExpressions.POINTS)
                .checkAssert((choices, at) -> {
                    Model model = RandomExpressions.parse(choices, at, "");
                    Tape interpreted = tape(model, "f").interpreted();
                    Tape compiled = tape(model, "f");
                    assertTrue(compiled.compileNow());
                    String text = RandomExpressions.expression(choices);
                    assertArrayEquals(bits(interpreted.forward(model.scope().leafValues()), interpreted.backward()),
                            bits(compiled.forward(model.scope().leafValues()), compiled.backward()), text);
                    // new leaf values, same code
                    for (int leaf = 0; leaf < 3; leaf++) {
                        interpreted.setLeaf(leaf, at.get(leaf) * 0.5 - 0.25);
                        compiled.setLeaf(leaf, at.get(leaf) * 0.5 - 0.25);
                    }
                    assertArrayEquals(bits(interpreted.forward(), interpreted.backward()),
                            bits(compiled.forward(), compiled.backward()), text);
                });
    }

    /** A zero adjoint skips its slot in both, so an infinite local derivative behind it makes no NaN. */
    @Test
    void aZeroAdjointSkipsTheSlotAsTheInterpreterDoes() {
        Model model = Model.parse("m", "param x = 0, y = 2\nf = relu(x - 1) * sqrt(x) + y\n");
        Tape compiled = tape(model, "f");
        assertTrue(compiled.compileNow());
        assertEquals(2.0, compiled.forward(model.scope().leafValues()));
        assertArrayEquals(new double[] {0, 1}, compiled.backward());
        Tape interpreted = tape(model, "f").interpreted();
        interpreted.forward(model.scope().leafValues());
        assertArrayEquals(new double[] {0, 1}, interpreted.backward());
    }

    /** A long chain is split into methods the JIT accepts (at most 8000 bytes each) and still sweeps right. */
    @Test
    void aLongChainIsSplitIntoMethodsAndGivesTheInterpretersBits() {
        StringBuilder text = new StringBuilder("param x = 0.3\nh0 = x\n");
        for (int i = 1; i <= 3000; i++) {
            text.append("h").append(i).append(" = sin(h").append(i - 1).append(") * 0.999 + tanh(x) / ").append(i).append('\n');
        }
        Model model = Model.parse("chain", text.toString());
        Tape interpreted = tape(model, "h3000").interpreted();
        Tape compiled = tape(model, "h3000");
        assertTrue(compiled.compileNow());
        assertTrue(compiled.size() > 10_000, "size " + compiled.size());
        assertArrayEquals(bits(interpreted.forward(model.scope().leafValues()), interpreted.backward()),
                bits(compiled.forward(model.scope().leafValues()), compiled.backward()));
    }

    @Test
    void tapesOverTheLimitStayInterpreted() {
        StringBuilder text = new StringBuilder("param x = 0.3\nf = x");
        for (int i = 0; i < TapeCompiler.MAX_SLOTS; i++) {
            text.append(" + x*").append(i);
        }
        Model model = Model.parse("wide", text.append('\n').toString());
        Tape tape = tape(model, "f");
        assertFalse(tape.compileNow());
        double value = tape.forward(model.scope().leafValues());
        assertEquals(0.3 * (1 + (TapeCompiler.MAX_SLOTS - 1) * TapeCompiler.MAX_SLOTS / 2.0), value, 1e-6 * value);
    }

    /** Code is made once per structure: a second tape of the same model takes it at its first sweep. */
    @Test
    void codeIsReusedByStructureAndNotAcrossStructures() {
        Model model = Model.parse("m", "param x = 0.3, y = 0.4\nf = sigmoid(x*y + 0.125)\ng = sigmoid(x*y + 0.25)\n");
        Tape first = tape(model, "f");
        assertTrue(first.compileNow());
        TapeCompiler.Compiled code = TapeCompiler.cached(new TapeCompiler.Key(first));
        assertSame(code, TapeCompiler.cached(new TapeCompiler.Key(tape(model, "f"))));
        Tape other = tape(model, "g");
        assertTrue(other.compileNow());
        assertNotSame(code, TapeCompiler.cached(new TapeCompiler.Key(other)));
        assertEquals(1 / (1 + Math.exp(-(0.3 * 0.4 + 0.25))), other.forward(model.scope().leafValues()), 1e-16);
    }

    /** Training compiles after {@link Tape#COMPILE_AFTER} sweeps and ends where the interpreter alone would. */
    @Test
    void trainingGivesTheSameParamsCompiledOrNot() {
        Model model = Golden.exampleModel("backprop-2-2-2", "# The forward pass.");
        Node loss = model.scope().lookup("E");
        List<Node> params = model.scope().params();
        Tape tape = Tape.compile(model.graph(), loss, params).interpreted();
        double[] w = new double[params.size()];
        for (int k = 0; k < w.length; k++) {
            w[k] = model.scope().leafValues()[params.get(k).leafIndex()].item();
        }
        double[] g = new double[w.length];
        tape.forward(model.scope().leafValues());
        for (int step = 0; step < 3 * Tape.COMPILE_AFTER; step++) {
            for (int k = 0; k < w.length; k++) {
                tape.setLeaf(params.get(k).leafIndex(), w[k]);
            }
            tape.forward();
            tape.backward(g);
            for (int k = 0; k < w.length; k++) {
                w[k] -= 0.5 * g[k];
            }
        }
        model.train(loss, "E", params, 0.5, 3 * Tape.COMPILE_AFTER);
        assertNotNull(TapeCompiler.cached(new TapeCompiler.Key(Tape.compile(model.graph(), loss, params))), "compiled in training");
        for (int k = 0; k < w.length; k++) {
            assertEquals(w[k], model.scope().leafValues()[params.get(k).leafIndex()].item(), 0.0, params.get(k).leafName());
        }
    }
}
