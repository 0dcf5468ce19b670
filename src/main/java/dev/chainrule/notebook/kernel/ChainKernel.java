package dev.chainrule.notebook.kernel;

import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.diag.ChainException;
import dev.chainrule.graph.Node;
import dev.chainrule.model.Scope;
import dev.chainrule.notebook.CellSession;
import dev.chainrule.notebook.Outputs;
import dev.chainrule.print.ExprPrinter;
import dev.chainrule.print.Format;
import dev.chainrule.print.Tensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/** The chainrule kernel: one {@link CellSession} per kernel, cells as they come. */
public final class ChainKernel extends BaseKernel {
    private final CellSession session;
    /** The thread running a cell, while one runs. */
    private volatile Thread running;

    private ChainKernel(Builder b, Path folder) {
        super(b.name(), b.version(), new LanguageInfo.Builder("chainrule").version(b.version()).mimetype("text/x-chainrule")
                        .fileExtension(".chain").pygments("text").codemirror("text/plain").build(),
                List.of(), b.history(), b.io(), b.comms(), b.renderer(), null, b.magics(), false, b.styler());
        this.session = new CellSession(Options.defaults().inlinePlots().withOut(folder));
    }

    /**
     * Runs the kernel on the connection file Jupyter gives; returns when Jupyter shuts it down.
     * Its shell and control channels are {@link GuardedChannel}s: a message that is not signed
     * with the key, a replay, or a malformed frame is dropped and the kernel keeps serving.
     *
     * @throws dev.chainrule.diag.UsageException for a connection file that is not safe or not
     *         usable, or a port already taken
     */
    public static void run(Path connectionFile) throws Exception {
        GuardedConnection connection = listen(connectionFile);
        connection.waitUntilClose();
    }

    /** The kernel bound to the ports of the connection file and serving, for {@link #run} and tests. */
    static GuardedConnection listen(Path connectionFile) throws Exception {
        KernelConnectionProperties properties = connection(connectionFile);
        GuardedConnection connection = new GuardedConnection(properties);
        ChainKernel kernel = create();
        kernel.becomeHandlerForConnection(connection);
        try {
            connection.connect();
        } catch (org.zeromq.ZMQException | IllegalArgumentException e) {
            connection.close();
            throw new dev.chainrule.diag.UsageException("the kernel cannot listen on the ports of " + connectionFile + ": "
                    + e.getMessage() + " (is another kernel using them?)");
        }
        return connection;
    }

    /**
     * The connection Jupyter asks for, refused unless it is safe: the kernel listens on the loopback
     * address only, and every message must carry an HMAC-SHA256 signature made with a non-empty key
     * (jjava checks each one and drops a message whose signature is wrong).
     *
     * @throws dev.chainrule.diag.UsageException for a file that cannot be read or asks for anything else
     */
    public static KernelConnectionProperties connection(Path connectionFile) {
        KernelConnectionProperties properties;
        try {
            String text = Files.readString(connectionFile, StandardCharsets.UTF_8);
            if (dev.chainrule.io.JsonNesting.tooDeep(text, dev.chainrule.io.JsonNesting.MAX)) {
                // reported as the other unreadable files are, below
                throw new IllegalArgumentException("it nests more than " + dev.chainrule.io.JsonNesting.MAX + " deep");
            }
            properties = KernelConnectionProperties.parse(text);
        } catch (IOException e) {
            throw new dev.chainrule.diag.UsageException("cannot read the connection file " + connectionFile + ": " + e.getMessage());
        } catch (RuntimeException e) {
            throw new dev.chainrule.diag.UsageException("the connection file " + connectionFile + " is not Jupyter's JSON: " + e.getMessage());
        }
        if (properties == null || properties.getIp() == null) {
            throw new dev.chainrule.diag.UsageException("the connection file " + connectionFile + " names no ip");
        }
        if (!List.of("127.0.0.1", "localhost").contains(properties.getIp())) {
            throw new dev.chainrule.diag.UsageException("the kernel listens on 127.0.0.1 only; the connection file asks for "
                    + properties.getIp());
        }
        if (!"tcp".equals(properties.getTransport())) {
            throw new dev.chainrule.diag.UsageException("the kernel listens over tcp only; the connection file asks for "
                    + properties.getTransport());
        }
        int[] ports = {properties.getShellPort(), properties.getControlPort(), properties.getStdinPort(),
            properties.getHbPort(), properties.getIopubPort()};
        String[] names = {"shell_port", "control_port", "stdin_port", "hb_port", "iopub_port"};
        java.util.Set<Integer> distinct = new java.util.HashSet<>();
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] < 1 || ports[i] > 65535) {
                throw new dev.chainrule.diag.UsageException("the connection file gives " + names[i] + " " + ports[i]
                        + "; a port is a number from 1 to 65535");
            }
            if (!distinct.add(ports[i])) {
                throw new dev.chainrule.diag.UsageException("the connection file gives port " + ports[i] + " twice");
            }
        }
        if (properties.getKey() == null || properties.getKey().isEmpty()
                || !"hmac-sha256".equals(properties.getSignatureScheme())) {
            throw new dev.chainrule.diag.UsageException("the kernel needs messages signed with hmac-sha256 and a key; "
                    + "the connection file gives " + (properties.getKey() == null || properties.getKey().isEmpty() ? "no key"
                    : "the scheme " + properties.getSignatureScheme()));
        }
        return properties;
    }

    /**
     * A kernel not yet connected (tests drive it directly). Plots are shown in the notebook; one a
     * cell names a file for is written in the working folder (Jupyter starts a kernel in the
     * notebook's folder).
     */
    public static ChainKernel create() {
        return new ChainKernel(new Builder(), Path.of("").toAbsolutePath());
    }

    @Override
    public String getBanner() {
        return "chainrule: symbolic autodiff for model expressions";
    }

    /** Runs a cell; each result is displayed, so nothing is returned as the cell's value. */
    @Override
    public DisplayData eval(String code) {
        evalRaw(code);
        return null;
    }

    /**
     * Runs a cell. Running out of memory in it is the cell's error, not the kernel's end: the
     * session keeps what it had before the cell.
     */
    @Override
    public Object evalRaw(String code) {
        CellSession.CellResult result;
        running = Thread.currentThread();
        try {
            result = session.execute(code);
        } catch (OutOfMemoryError e) {
            throw ChainException.runtime(null, "out of memory: the cell needs more than the "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB Java may use; the kernel goes on without it");
        } finally {
            running = null;
            Thread.interrupted();
        }
        if (!result.rebuilt().isEmpty()) {
            getIO().out.println("rebuilt on the new definitions: " + String.join(", ", result.rebuilt()));
        }
        for (Result r : result.results()) {
            DisplayData data = new DisplayData();
            Outputs.bundle(r, session.options()).forEach(data::putData);
            display(data);
        }
        return null;
    }

    /** Runs a cell without displaying its results (there is no Jupyter connection in tests). */
    void evalRawForTest(String code) {
        session.execute(code);
    }

    /**
     * Jupyter's interrupt (the kernel's stop button, {@code interrupt_mode: message}): the cell
     * running stops where it is, training keeping the params of its last step.
     */
    @Override
    public void interrupt() {
        Thread t = running;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The lines shown for an error: a chainrule diagnostic with its caret, never a Java stack trace. */
    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof ChainException chain) {
            return List.of(Outputs.traceback(chain));
        }
        if (e instanceof dev.chainrule.diag.Stopped stopped) {
            return List.of(stopped.getMessage());
        }
        return List.of("chainrule: internal error: " + e);
    }

    /** Names, functions and keywords that start with the word before the cursor. */
    @Override
    public ReplacementOptions complete(String code, int at) {
        int start = wordStart(code, at);
        String prefix = code.substring(start, at);
        return new ReplacementOptions(new ArrayList<>(session.completions(prefix)), start, at);
    }

    /** The name under the cursor: what defines it, its shape and its current value. */
    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        int start = wordStart(code, at);
        int end = at;
        while (end < code.length() && (Character.isLetterOrDigit(code.charAt(end)) || code.charAt(end) == '_')) {
            end++;
        }
        String name = code.substring(start, end);
        Scope scope = session.scope();
        Node node = scope.lookup(name);
        if (node == null) {
            return null;
        }
        StringBuilder text = new StringBuilder(name);
        if (node.isLeaf()) {
            text.append(": ").append(node.leafKind().keyword());
        } else {
            text.append(" = ").append(new ExprPrinter(scope.graph(), Format.TEXT, scope::nameOf).inline(node));
        }
        text.append("\nshape: ").append(node.shape());
        try {
            text.append("\nvalue: ").append(Tensors.format(session.model().value(node), 9));
        } catch (ChainException e) {
            text.append("\nvalue: cannot be computed: ").append(e.getMessage());
        }
        if (session.lastGradient(name) != null) {
            text.append("\ngradient: ").append(session.lastGradient(name));
        }
        return new DisplayData(text.toString());
    }

    /** Complete when every bracket is closed; otherwise Jupyter waits for more lines. */
    @Override
    public String isComplete(String code) {
        int depth = CellSession.openBrackets(code);
        int blocks = dev.chainrule.lang.Language.openBlocks(code);
        if (depth < 0 || blocks < 0) {
            return IS_COMPLETE_BAD;
        }
        return depth == 0 && blocks == 0 ? IS_COMPLETE_YES : "    ";
    }

    private static int wordStart(String code, int at) {
        int start = Math.min(at, code.length());
        while (start > 0 && (Character.isLetterOrDigit(code.charAt(start - 1)) || code.charAt(start - 1) == '_')) {
            start--;
        }
        return start;
    }

    /** Supplies the parts of a base kernel that jjava builds. */
    private static final class Builder extends BaseKernelBuilder<Builder, ChainKernel> {
        Builder() {
            name("chainrule");
            version("0.1.0");
        }

        @Override
        public ChainKernel build() {
            throw new UnsupportedOperationException("use ChainKernel.create()");
        }

        String name() {
            return buildName();
        }

        String version() {
            return buildVersion();
        }

        org.dflib.jjava.jupyter.kernel.history.HistoryManager history() {
            return buildHistoryManager();
        }

        org.dflib.jjava.jupyter.kernel.JupyterIO io() {
            return buildJupyterIO(buildJupyterIOEncoding());
        }

        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() {
            return buildCommManager();
        }

        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() {
            return buildRenderer();
        }

        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry magics() {
            return buildMagicsRegistry();
        }

        org.dflib.jjava.jupyter.kernel.util.StringStyler styler() {
            return buildErrorStyler();
        }
    }
}
