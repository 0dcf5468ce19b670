package dev.chainrule.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.api.Examples;
import dev.chainrule.api.Model;
import dev.chainrule.train.Optimizer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Training that steps, plays and pauses: the same numbers as training in one go, frames as it runs, and no run left behind. */
class LiveTrainingTest {
    private final List<LiveTraining.Frame> frames = new CopyOnWriteArrayList<>();

    @Test
    void stepByStepIsTrainingInOneGo() {
        Workspace workspace = WorkspaceTest.tutorial();
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        LiveTraining.Settings adam = new LiveTraining.Settings("adam", 0.05, 0);
        live.step(adam, 3);
        live.step(adam, 4);
        assertEquals(7, live.status().step());
        Model once = Model.parse("once", Examples.source("backprop-2-2-2").text());
        // what the model's own train statement moves: the weights, not the biases
        once.train(once.scope().lookup("E"), "E", once.leaves("wrt", "w1, w2, w3, w4, w5, w6, w7, w8"), 0.05, 7, Optimizer.Kind.ADAM);
        LiveTraining.Frame last = last();
        assertEquals(dev.chainrule.print.Numbers.format(once.value(once.scope().lookup("E")).item(), 9), last.loss(),
                "the optimizer's state carries over between steps");
        List<Double> steps = new java.util.ArrayList<>();
        frames.forEach(f -> f.losses().forEach(point -> steps.add(point[0])));
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0), steps,
                "one loss per step, and the loss after the last one, each once");
        double[] end = last.losses().get(last.losses().size() - 1);
        assertEquals(last.loss(), dev.chainrule.print.Numbers.format(end[1], 9), "the curve ends where the status does");
        assertEquals(0, last.batch());
        assertNull(last.boundary());
        assertNull(last.error());
    }

    @Test
    void playingTheClassifierLowersItsLossAndRedrawsItsBoundary() throws Exception {
        Workspace workspace = WorkspaceTest.built("classifier-circles");
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.play(new LiveTraining.Settings("sgd", 1, 0), 20);
        await(() -> live.status().step() >= 500, "500 steps played");
        live.pause();
        assertFalse(live.status().running());
        assertTrue(live.status().step() >= 500);
        LiveTraining.Frame first = frames.get(0);
        LiveTraining.Frame last = last();
        assertFalse(last.running());
        assertTrue(last.lossValue() < first.lossValue(), first.loss() + " then " + last.loss());
        assertNotNull(first.boundary());
        assertEquals(LiveTraining.GRID * LiveTraining.GRID, last.boundary().values().length);
        assertEquals(0, last.boundary().classes(), "one probability per point");
        assertEquals(200, last.boundary().points().size());
        double changed = 0;
        for (int i = 0; i < first.boundary().values().length; i++) {
            changed = Math.max(changed, Math.abs(first.boundary().values()[i] - last.boundary().values()[i]));
        }
        assertTrue(changed > 0.05, "the boundary moved by " + changed);
    }

    @Test
    void aClassifierOfSeveralClassesColoursEachCellByItsBestClass() {
        Workspace workspace = WorkspaceTest.built("classifier-blobs");
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.step(new LiveTraining.Settings("adam", 0.05, 0), 50);
        LiveTraining.BoundaryFrame boundary = last().boundary();
        assertEquals(3, boundary.classes());
        java.util.Set<Double> seen = new java.util.TreeSet<>();
        for (double v : boundary.values()) {
            seen.add(v);
        }
        assertEquals(java.util.Set.of(0.0, 1.0, 2.0), seen, "every cell is a class, and each of the three has a region");
    }

    /** A model just built shows its loss and its boundary before any step; a look while playing adds nothing. */
    @Test
    void aLookShowsTheStartingBoundaryWithoutAStep() throws Exception {
        Workspace workspace = WorkspaceTest.built("classifier-circles");
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.look();
        assertEquals(1, frames.size());
        LiveTraining.Frame first = frames.get(0);
        assertEquals(0, first.step());
        assertFalse(first.running());
        assertEquals("0.743459371", first.loss(), "the loss of the untrained model");
        assertEquals(LiveTraining.GRID * LiveTraining.GRID, first.boundary().values().length);
        assertEquals(List.of(0.0), first.losses().stream().map(point -> point[0]).toList(), "the curve starts at step 0");
        assertEquals(0, live.status().step(), "a look takes no step");
        live.step(new LiveTraining.Settings("sgd", 1, 0), 2);
        List<Double> steps = new java.util.ArrayList<>();
        frames.forEach(f -> f.losses().forEach(point -> steps.add(point[0])));
        assertEquals(List.of(0.0, 1.0, 2.0), steps, "step 0's loss once, though the look showed it before training began");
        live.play(new LiveTraining.Settings("sgd", 1, 0), 5);
        await(() -> live.status().step() >= 10, "some steps played");
        int before = frames.size();
        live.look();
        live.pause();
        assertTrue(frames.stream().skip(before).allMatch(f -> f.step() > 0), "no frame of step 0 while playing");
    }

    @Test
    void trainingThatDivergesStopsAndSaysWhereInItsLastFrame() {
        Workspace workspace = WorkspaceTest.built("classifier-xor");
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.step(new LiveTraining.Settings("sgd", 1000, 0), 20);
        LiveTraining.Frame last = last();
        assertFalse(last.running());
        // the command line's words (the page and the command line tell a stop alike; see below), and the page's hint
        assertEquals("training stopped at step 2: log of zero: log(0) is -inf at [0]; it depends on W1, b1, W2, b2,"
                + " which step 1 moved there (a smaller learning rate may help); Reset puts the params back", last.error());
        assertFalse(last.params().isEmpty(), "the params are still shown");
    }

    @Test
    void miniBatchLossesAreTheBatchesOwnAndTheCurveSaysSo() {
        Workspace workspace = WorkspaceTest.built("classifier-circles");
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.step(new LiveTraining.Settings("sgd", 1, 20), 3);
        LiveTraining.Frame last = last();
        assertEquals(20, last.batch());
        assertEquals(3, last.losses().size(), "one loss per mini-batch, none of all rows mixed in");
    }

    @Test
    void newSettingsWhilePlayingGoOnFromTheCurrentParams() throws Exception {
        Workspace workspace = WorkspaceTest.tutorial();
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.play(new LiveTraining.Settings("sgd", 0.5, 0), 1);
        await(() -> live.status().step() >= 3, "some steps played");
        int before = live.status().step();
        live.play(new LiveTraining.Settings("adam", 0.01, 0), 1);
        await(() -> live.status().step() > before + 3, "more steps played");
        live.pause();
        assertTrue(live.status().step() > before, "the step count goes on: " + before + " then " + live.status().step());
    }

    @Test
    void aRunNobodyWatchesStopsByItself() throws Exception {
        Workspace workspace = WorkspaceTest.tutorial();
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 0, 200);
        live.play(new LiveTraining.Settings("sgd", 0.5, 0), 1);
        await(() -> !live.status().running(), "the run stopped");
        LiveTraining.Frame last = last();
        assertFalse(last.running());
        assertTrue(last.error().matches("training stopped at step \\d+: no page was watching it"), last.error());
    }

    /**
     * However a run ends (abandoned, diverged, paused, at once or after some frames), once the
     * status says it stopped, the last frame published says so, with why, and no frame follows.
     */
    @Test
    void whenTheStatusSaysStoppedTheLastFrameHasAlreadySaidWhy() throws Exception {
        Workspace tutorial = WorkspaceTest.tutorial();
        Workspace xor = WorkspaceTest.built("classifier-xor");
        java.util.Random random = new java.util.Random(16);
        for (int run = 0; run < 60; run++) {
            frames.clear();
            int end = run % 3;
            // the tutorial's sigmoids saturate at any rate; xor's rate of 1000 leaves the real numbers
            Workspace workspace = end == 1 ? xor : tutorial;
            workspace.analyze(workspace.text());
            LiveTraining live = new LiveTraining(workspace, frames::add, () -> 0, end == 0 ? random.nextInt(3) : 60_000);
            live.play(new LiveTraining.Settings("sgd", end == 1 ? 1000 : 0.5, 0), 1 + random.nextInt(3));
            if (end == 2) {
                Thread.sleep(random.nextInt(5));
                live.pause();
            }
            // watched without sleeping, so the moment the status changes is seen
            long until = System.nanoTime() + 60_000_000_000L;
            while (live.status().running() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertFalse(live.status().running(), "run " + run + " stopped");
            int published = frames.size();
            LiveTraining.Frame last = frames.get(published - 1);
            assertFalse(last.running(), "run " + run);
            String why = switch (end) {
                case 0 -> "training stopped at step \\d+: no page was watching it";
                case 1 -> "training stopped at step \\d+: .*\\(a smaller learning rate may help\\); Reset puts the params back";
                default -> null;
            };
            if (why == null) {
                assertNull(last.error(), "run " + run);
            } else {
                assertTrue(last.error() != null && last.error().matches(why), "run " + run + ": " + last.error());
            }
            Thread.sleep(2);
            assertEquals(published, frames.size(), "run " + run + ": nothing after the last frame");
            live.forget();
        }
    }

    /**
     * Every example trains on the page as it trains on the command line, at its own learning rate
     * and at one far too large: the same loss after the same steps, or the same words for why
     * training stopped, with the page's hint after them.
     */
    @Test
    void everyExampleTrainsAndStopsOnThePageAsOnTheCommandLine() {
        int trained = 0;
        int stopped = 0;
        for (String name : Examples.list().keySet()) {
            Workspace page = WorkspaceTest.built(name);
            Workspace.TrainingSetup setup = page.trainingSetup();
            if (setup == null) {
                continue;
            }
            for (double lr : new double[] {setup.lr(), 1000}) {
                page.analyze(page.text());
                frames.clear();
                LiveTraining live = new LiveTraining(page, frames::add, () -> 1);
                live.step(new LiveTraining.Settings("sgd", lr, 0), 25);
                LiveTraining.Frame last = last();
                Model cli = Model.parse(name, Examples.source(name).text());
                List<dev.chainrule.graph.Node> wrt = page.trainable(setup.loss()).stream()
                        .map(leaf -> cli.scope().lookup(leaf.leafName())).toList();
                dev.chainrule.graph.Node loss = cli.scope().lookup(setup.loss());
                String expected = null;
                try {
                    cli.train(loss, setup.loss(), wrt, lr, 25, Optimizer.Kind.SGD);
                } catch (dev.chainrule.diag.ChainException e) {
                    expected = e.getMessage() + "; Reset puts the params back";
                }
                String where = name + " at lr " + lr;
                assertEquals(expected, last.error(), where);
                if (expected == null) {
                    assertEquals(dev.chainrule.print.Numbers.format(cli.value(loss).item(), 9), last.loss(), where);
                    trained++;
                } else {
                    stopped++;
                }
            }
        }
        assertTrue(trained >= 10 && stopped >= 3, trained + " trained, " + stopped + " stopped");
    }

    /** The frame published last. */
    private LiveTraining.Frame last() {
        return frames.get(frames.size() - 1);
    }

    /** Waits (up to a minute, for a busy machine) until {@code done} holds. */
    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited a minute and still not: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void anEditEndsTheRunAndTrainingStartsOverFromTheNewModel() throws Exception {
        Workspace workspace = WorkspaceTest.tutorial();
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.play(new LiveTraining.Settings("sgd", 0.5, 0), 1);
        Thread.sleep(100);
        live.forget();
        workspace.analyze(workspace.text());
        assertFalse(live.status().running());
        assertEquals(0, live.status().step());
    }

    @Test
    void badSettingsAreRefusedInWords() {
        Workspace workspace = WorkspaceTest.tutorial();
        LiveTraining live = new LiveTraining(workspace, frames::add, () -> 1);
        live.step(new LiveTraining.Settings("rmsprop", 0.5, 0), 1);
        assertEquals("unknown optimizer 'rmsprop' (sgd, momentum or adam)", last().error());
        live.step(new LiveTraining.Settings("sgd", -1, 0), 1);
        assertEquals("the learning rate must be a positive number, not -1", last().error());
        live.step(new LiveTraining.Settings("sgd", 0.5, 4), 1);
        assertEquals("mini-batches take rows of the model's data, and this model has none", last().error());
        assertEquals(0, live.status().step());
    }
}
