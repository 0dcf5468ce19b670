package dev.chainrule.explore;

import dev.chainrule.api.Model;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Node;
import dev.chainrule.plot.Grid;
import dev.chainrule.print.Numbers;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.train.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * A training run the page steps, plays and pauses. It trains the workspace's model in place
 * through {@link Model#training} (the optimizer's state kept between steps), and after every
 * batch of steps publishes a {@link Frame}: the losses since the last frame, the params with
 * their gradients, and, for a classifier over 2-D data, its output over a grid with the data
 * points. Play runs on a thread of its own, taking the workspace's lock for each batch of steps
 * and each frame, so that the page's other questions are answered between them.
 *
 * <p>A run nobody watches is stopped: when no page has listened for {@link #ABANDONED_MILLIS}
 * (the page was closed), play ends by itself.
 */
public final class LiveTraining {
    /** The boundary is drawn over this many cells a side. */
    public static final int GRID = 50;
    /** Frames are published at most this often while playing. */
    static final long FRAME_MILLIS = 40;
    /** Play stops when no page has listened for this long. */
    public static final long ABANDONED_MILLIS = 5_000;
    /** Play stops after this many steps unless paused before. */
    static final int MAX_PLAY_STEPS = 100_000;
    /** A frame carries at most this many data points. */
    static final int MAX_POINTS = 2_000;

    /** The settings a run trains with; changing them starts a new optimizer from the current params. */
    public record Settings(String optimizer, double lr, int batch) {
    }

    /**
     * The decision boundary: the output over an n×n grid (row 0 at {@code y0}), and the data
     * points (x, y, label). With {@code classes} 0 each value is the output itself (a
     * probability); otherwise the output is a row of {@code classes} scores per point and each
     * value is the class with the largest.
     */
    public record BoundaryFrame(int n, double x0, double x1, double y0, double y1, int classes, double[] values,
                                List<double[]> points) {
    }

    /**
     * What the page draws after some steps. {@code loss} is on all the data after {@code step}
     * steps; {@code losses} are the (step, loss) pairs since the previous frame, each the loss
     * before that step (on that step's mini-batch when {@code batch} rows are taken at a time, 0
     * for all), and with all rows the loss after the last step too, so the curve ends where the
     * status does.
     */
    public record Frame(boolean running, int step, String loss, double lossValue, int batch, List<double[]> losses,
                        List<Workspace.Param> params, BoundaryFrame boundary, String error) {
    }

    /** Whether play is on, and how many steps have been taken since the model was built. */
    public record Status(boolean running, int step) {
    }

    private final Workspace workspace;
    private final Consumer<Frame> publish;
    private final IntSupplier listeners;
    private final long abandonedMillis;
    /**
     * The model the run is about: {@link #step}, {@link #recorded} and {@link #pending} count its
     * steps, and {@link #training}, when there is one, trains it (a look counts before any
     * training). Null when forgotten.
     */
    private Model runOf;
    private Model.Training training;
    private Settings settings;
    /** Rows a step takes, as the run takes them: 0 for all (asked for, or more than the data has). */
    private int batch;
    private int step;
    private List<double[]> pending = new ArrayList<>();
    /** The last step whose loss is in the curve, -1 for none. */
    private int recorded = -1;
    private Thread player;
    private volatile boolean playing;
    /** The player has left its loop and is publishing its last frame: play must start anew. */
    private boolean ending;

    /**
     * @param publish   where frames go (the page's event stream)
     * @param listeners how many pages listen now
     */
    public LiveTraining(Workspace workspace, Consumer<Frame> publish, IntSupplier listeners) {
        this(workspace, publish, listeners, ABANDONED_MILLIS);
    }

    /** A run that stops when no page has listened for {@code abandonedMillis}. */
    LiveTraining(Workspace workspace, Consumer<Frame> publish, IntSupplier listeners, long abandonedMillis) {
        this.workspace = workspace;
        this.publish = publish;
        this.listeners = listeners;
        this.abandonedMillis = abandonedMillis;
    }

    public synchronized Status status() {
        return new Status(playing, step);
    }

    /**
     * Publishes the run as it stands, without a step: a model just built shows its loss and its
     * decision boundary before any training. Nothing while playing (play publishes its own).
     */
    public void look() {
        synchronized (this) {
            if (playing) {
                return;
            }
        }
        Frame frame = workspace.locked(() -> {
            if (workspace.model() == null || workspace.trainingSetup() == null) {
                return null;
            }
            countFor(workspace.model());
            return frame(false, null);
        });
        if (frame != null) {
            publish.accept(frame);
        }
    }

    /** Trains {@code steps} steps now, then publishes a frame. */
    public Status step(Settings with, int steps) {
        pause();
        Frame frame = workspace.locked(() -> {
            try {
                prepare(with);
                for (int i = 0; i < steps; i++) {
                    stepOnce();
                }
                return frame(false, null);
            } catch (ChainException e) {
                return frame(false, e.getMessage());
            }
        });
        publish.accept(frame);
        return status();
    }

    /**
     * Plays: {@code perFrame} steps, a frame, and again, until paused. Asked to play with other
     * settings while playing, it goes on with them from the current params.
     */
    public Status play(Settings with, int perFrame) {
        synchronized (this) {
            if (playing && !ending && with.equals(settings)) {
                return status();
            }
        }
        pause();
        synchronized (this) {
            workspace.locked(() -> {
                prepare(with);
                return null;
            });
            playing = true;
            player = new Thread(() -> run(Math.max(1, perFrame)), "chainrule-training");
            player.setDaemon(true);
            player.start();
            return status();
        }
    }

    /** Stops play (after the step it is in) and waits for it. */
    public void pause() {
        Thread running;
        synchronized (this) {
            playing = false;
            ending = false;
            running = player;
            player = null;
        }
        if (running != null && running != Thread.currentThread()) {
            try {
                running.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Forgets the run: the model was built again (an edit, or reset), and training starts over from it. */
    public void forget() {
        pause();
        workspace.locked(() -> {
            restart(null);
            return null;
        });
    }

    private void run(int perFrame) {
        long unwatchedSince = -1;
        String error = null;
        try {
            while (playing && step < MAX_PLAY_STEPS) {
                long start = System.nanoTime();
                Frame frame = workspace.locked(() -> {
                    if (workspace.model() != runOf) {
                        return null; // the model was built again under the run: it ends
                    }
                    for (int i = 0; i < perFrame && step < MAX_PLAY_STEPS; i++) {
                        stepOnce();
                    }
                    return frame(true, null);
                });
                if (frame == null) {
                    break;
                }
                publish.accept(frame);
                if (listeners.getAsInt() == 0) {
                    long now = System.currentTimeMillis();
                    unwatchedSince = unwatchedSince < 0 ? now : unwatchedSince;
                    if (now - unwatchedSince >= abandonedMillis) {
                        error = "training stopped at step " + step + ": no page was watching it";
                        break;
                    }
                } else {
                    unwatchedSince = -1;
                }
                long left = FRAME_MILLIS - (System.nanoTime() - start) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left);
                }
            }
        } catch (ChainException e) {
            error = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            error = "training stopped: " + e;
        }
        synchronized (this) {
            ending = player == Thread.currentThread();
        }
        // the last frame goes out before the status says the run stopped, so whoever sees it
        // stopped has the frame that says why
        String why = error;
        Frame last = workspace.locked(() -> runOf == workspace.model() ? frame(false, why) : null);
        if (last != null) {
            publish.accept(last);
        }
        synchronized (this) {
            if (player == Thread.currentThread()) {
                playing = false;
                ending = false;
                player = null;
            }
        }
    }

    /** Makes the run about {@code model}, from step 0 when it is about another; callers hold the workspace's lock. */
    private void countFor(Model model) {
        if (runOf != model) {
            restart(model);
        }
    }

    /** A run about {@code model} (null for none) at step 0, untrained; callers hold the workspace's lock. */
    private void restart(Model model) {
        runOf = model;
        training = null;
        step = 0;
        recorded = -1;
        pending = new ArrayList<>();
    }

    /** Makes the run ready to step with {@code with}; callers hold the workspace's lock. */
    private void prepare(Settings with) {
        Model model = workspace.model();
        Workspace.TrainingSetup setup = model == null ? null : workspace.trainingSetup();
        if (setup == null) {
            throw ChainException.semantic(null, "this model has nothing to train: it needs a param and a scalar output");
        }
        if (training != null && runOf == model && with.equals(settings)) {
            return;
        }
        countFor(model);
        Optimizer.Kind kind = Optimizer.Kind.named(with.optimizer());
        if (kind == null) {
            throw ChainException.semantic(null, "unknown optimizer '" + with.optimizer() + "' (sgd, momentum or adam)");
        }
        if (!(with.lr() > 0) || Double.isInfinite(with.lr())) {
            throw ChainException.semantic(null, "the learning rate must be a positive number, not " + Numbers.shortest(with.lr()));
        }
        if (with.batch() < 0 || with.batch() > 0 && setup.x() == null) {
            throw ChainException.semantic(null, with.batch() < 0 ? "the batch size must be 0 (all rows) or more"
                    : "mini-batches take rows of the model's data, and this model has none");
        }
        Node loss = model.scope().lookup(setup.loss());
        Node x = setup.x() == null ? null : model.scope().lookup(setup.x());
        Node y = setup.y() == null ? null : model.scope().lookup(setup.y());
        batch = with.batch() >= setup.rows() ? 0 : with.batch();
        training = model.training(loss, setup.loss(), workspace.trainable(setup.loss()), with.lr(), kind, batch, x, y, null);
        settings = with;
    }

    private void stepOnce() {
        double loss;
        try {
            loss = training.step(step);
        } catch (ChainException e) {
            throw e.suffixed("; Reset puts the params back");
        }
        if (step > recorded) {
            pending.add(new double[] {step, loss});
            recorded = step;
        }
        step++;
    }

    /**
     * The frame of the run as it is now; callers hold the workspace's lock. A model whose params
     * have left the real numbers still gets its frame, with the values that can be had and the
     * error that says why.
     */
    private Frame frame(boolean running, String error) {
        Model model = workspace.model();
        Workspace.TrainingSetup setup = workspace.trainingSetup();
        if (training != null) {
            training.store();
        }
        Node loss = model.scope().lookup(setup.loss());
        int batch = training == null ? 0 : this.batch;
        double value = Double.NaN;
        String problem = error;
        List<Node> leaves = workspace.paramsUnder(loss);
        List<Workspace.Param> params;
        BoundaryFrame boundary = null;
        try {
            // the loss and the params' gradients from one sweep
            Model.ValueAndGradient swept = model.valueAndGradient(loss, leaves);
            value = swept.value();
            params = workspace.params(leaves, swept.gradient());
            boundary = boundary(model, setup.boundary());
        } catch (ChainException e) {
            problem = problem != null ? problem : e.getMessage();
            params = workspace.params(leaves, Map.of());
        }
        if (batch == 0 && Double.isFinite(value) && step > recorded) {
            pending.add(new double[] {step, value});
            recorded = step;
        }
        List<double[]> losses = pending;
        pending = new ArrayList<>();
        return new Frame(running, step, Numbers.format(value, workspace.options().digits()), value, batch, losses,
                params, boundary, problem);
    }

    /** The classifier's output over the grid, with the data points; null without a 2-D classifier. */
    private static BoundaryFrame boundary(Model model, Workspace.Boundary b) {
        if (b == null) {
            return null;
        }
        Tensor x = model.scope().leafValue(model.scope().lookup(b.x()));
        Tensor y = model.scope().leafValue(model.scope().lookup(b.y()));
        if (x.shape().rank() != 2 || x.shape().dim(1) != 2 || y.size() != x.shape().dim(0)) {
            return null;
        }
        Grid grid = Grid.over(x, GRID);
        Tensor out = model.predict(b.out(), Map.of(b.x(), grid.points()), null);
        if (out.size() % (GRID * GRID) != 0) {
            return null;
        }
        double[] cells = grid.cells(out);
        for (int i = 0; i < cells.length; i++) {
            // four decimals are finer than a colour map shows, and keep a frame small
            cells[i] = Math.rint(cells[i] * 1e4) / 1e4;
        }
        List<double[]> points = new ArrayList<>();
        int rows = x.shape().dim(0);
        int every = Math.max(1, (rows + MAX_POINTS - 1) / MAX_POINTS);
        for (int i = 0; i < rows; i += every) {
            points.add(new double[] {x.get(2 * i), x.get(2 * i + 1), y.get(i)});
        }
        int perCell = out.size() / (GRID * GRID);
        return new BoundaryFrame(GRID, grid.x0(), grid.x1(), grid.y0(), grid.y1(), perCell == 1 ? 0 : perCell, cells, points);
    }
}
