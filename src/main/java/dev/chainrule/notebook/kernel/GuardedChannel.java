package dev.chainrule.notebook.kernel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.ExpressionValue;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.KernelTimestamp;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.adapters.ExpressionValueAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HeaderAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryEntryAdapter;
import org.dflib.jjava.jupyter.messages.adapters.HistoryRequestAdapter;
import org.dflib.jjava.jupyter.messages.adapters.KernelTimestampAdapter;
import org.dflib.jjava.jupyter.messages.adapters.MessageTypeAdapter;
import org.dflib.jjava.jupyter.messages.adapters.PublishStatusAdapter;
import org.dflib.jjava.jupyter.messages.adapters.ReplyTypeAdapter;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.zeromq.ZMQ;

/**
 * The shell (or control) channel of the kernel, reading its own messages instead of jjava's.
 *
 * <p>jjava's channel reads a message frame by frame and throws when a signature is wrong, and its
 * loop has no handler, so one unsigned {@code execute_request} (or a lone {@code <IDS|MSG>} frame,
 * which desynchronises the frames that follow) ended the channel's thread while the heartbeat went
 * on answering: Jupyter showed a live kernel that never ran a cell again. Here a message is read
 * whole (every frame of it), and one that is malformed, unsigned, wrongly signed (compared in
 * constant time) or an exact replay of a recent one (its signature seen before, as ipykernel
 * remembers them) is logged and dropped; whatever a handler throws, out-of-memory included, is
 * logged, and the channel keeps serving. Replies go out through jjava's own reply environment.
 */
final class GuardedChannel extends ShellChannel {
    private static final Logger LOG = Logger.getLogger(GuardedChannel.class.getName());
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    /** Signatures remembered to refuse replays. */
    static final int REMEMBERED = 10_000;
    /** Poll interval of the channel's thread, in milliseconds. */
    private static final int POLL_MS = 50;
    /** The largest message taken, in bytes; a larger one disconnects its sender. */
    private static final long MAX_MESSAGE_BYTES = 256L << 20;

    private static final Type JSON_OBJECT = new TypeToken<Map<String, Object>>() { }.getType();
    private static final Gson REPLIES = new GsonBuilder()
            .registerTypeAdapter(HistoryEntry.class, HistoryEntryAdapter.INSTANCE)
            .registerTypeAdapter(ExpressionValue.class, ExpressionValueAdapter.INSTANCE)
            .create();
    /** Configured as jjava configures its own reader, so messages decode to the same objects. */
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(KernelTimestamp.class, KernelTimestampAdapter.INSTANCE)
            .registerTypeAdapter(Header.class, HeaderAdapter.INSTANCE)
            .registerTypeAdapter(MessageType.class, MessageTypeAdapter.INSTANCE)
            .registerTypeAdapter(PublishStatus.class, PublishStatusAdapter.INSTANCE)
            .registerTypeAdapter(HistoryRequest.class, HistoryRequestAdapter.INSTANCE)
            .registerTypeHierarchyAdapter(ReplyType.class, new ReplyTypeAdapter(REPLIES))
            .create();

    private final HMACGenerator signer;
    private final JupyterConnection connection;
    private final boolean control;
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private volatile boolean running;
    private Thread thread;
    /** Messages dropped so far (tests read it). */
    volatile int dropped;

    GuardedChannel(ZMQ.Context context, HMACGenerator signer, boolean control, JupyterConnection connection) {
        super(context, signer, control, connection);
        this.signer = signer;
        this.control = control;
        this.connection = connection;
    }

    @Override
    public void bind(KernelConnectionProperties properties) {
        setMaxMsgSize(MAX_MESSAGE_BYTES);
        setLinger(0);
        int port = control ? properties.getControlPort() : properties.getShellPort();
        bind("tcp://" + properties.getIp() + ":" + port);
        running = true;
        thread = new Thread(this::serve, control ? "chainrule-control" : "chainrule-shell");
        thread.setDaemon(true);
        thread.start();
    }

    /** The channel's loop; the socket is used and closed on this thread alone (ZeroMQ sockets are not thread-safe). */
    private void serve() {
        ZMQ.Poller poller = ctx.poller(1);
        poller.register(this, ZMQ.Poller.POLLIN);
        try {
            loop(poller);
        } finally {
            poller.close();
            super.close();
        }
    }

    private void loop(ZMQ.Poller poller) {
        while (running) {
            try {
                if (poller.poll(POLL_MS) > 0 && poller.pollin(0)) {
                    List<byte[]> frames = frames();
                    Message<?> message = accept(frames);
                    if (message != null) {
                        dispatch(message);
                    }
                }
            } catch (Throwable t) {
                if (!running) {
                    break;
                }
                LOG.log(Level.WARNING, "the " + (control ? "control" : "shell") + " channel kept serving after: " + t, t);
            }
        }
    }

    /** Every frame of the next message. */
    private List<byte[]> frames() {
        List<byte[]> frames = new ArrayList<>();
        do {
            frames.add(recv(0));
        } while (hasReceiveMore());
        return frames;
    }

    /**
     * The message the frames carry, or null when they are not a well-formed message signed with
     * the key and seen for the first time.
     */
    Message<?> accept(List<byte[]> frames) {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(DELIMITER, frames.get(i))) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0 || frames.size() < delimiter + 6) {
            return drop("a message without its delimiter and five frames (" + frames.size() + " frames)");
        }
        byte[] signature = frames.get(delimiter + 1);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        String expected = signer.calculateSignature(header, parent, metadata, content);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), signature)) {
            return drop("a message whose signature does not match the key");
        }
        synchronized (seen) {
            if (!seen.add(expected)) {
                return drop("a replay of a message already taken");
            }
            if (seen.size() > REMEMBERED) {
                seen.remove(seen.iterator().next());
            }
        }
        try {
            return decode(frames.subList(0, delimiter), header, parent, metadata, content, frames.subList(delimiter + 6, frames.size()));
        } catch (RuntimeException e) {
            return drop("a signed message that is not a Jupyter message: " + e.getMessage());
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Message<?> decode(List<byte[]> identities, byte[] header, byte[] parent, byte[] metadata, byte[] content,
                                     List<byte[]> blobs) {
        for (byte[] part : new byte[][] {header, parent, metadata, content}) {
            if (dev.chainrule.io.JsonNesting.tooDeep(new String(part, StandardCharsets.UTF_8), dev.chainrule.io.JsonNesting.MAX)) {
                throw new IllegalArgumentException("a message nested more than " + dev.chainrule.io.JsonNesting.MAX + " deep");
            }
        }
        Header<?> head = GSON.fromJson(new String(header, StandardCharsets.UTF_8), Header.class);
        if (head == null || head.getType() == null) {
            throw new IllegalArgumentException("no message type");
        }
        JsonElement parentJson = JsonParser.parseString(new String(parent, StandardCharsets.UTF_8));
        Header<?> parentHeader = parentJson.isJsonObject() && !parentJson.getAsJsonObject().isEmpty()
                ? GSON.fromJson(parentJson, Header.class) : null;
        Map<String, Object> meta = GSON.fromJson(new String(metadata, StandardCharsets.UTF_8), JSON_OBJECT);
        Object body = GSON.fromJson(new String(content, StandardCharsets.UTF_8), head.getType().getContentType());
        if (body == null) {
            throw new IllegalArgumentException("no content");
        }
        return new Message(new ArrayList<>(identities), head, parentHeader, meta, body, new ArrayList<>(blobs));
    }

    private Message<?> drop(String why) {
        dropped++;
        LOG.warning((control ? "control" : "shell") + " channel dropped " + why);
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void dispatch(Message message) {
        ShellHandler handler = connection.getHandler(message.getHeader().getType());
        if (handler == null) {
            LOG.warning("no handler for " + message.getHeader().getType().getName());
            return;
        }
        ShellReplyEnvironment env = connection.prepareReplyEnv(this, message);
        try {
            handler.handle(env, message);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "handling " + message.getHeader().getType().getName() + ": " + t, t);
        } finally {
            env.resolveDeferrals();
        }
        if (env.isMarkedForShutdown()) {
            running = false;
            connection.close();
        }
    }

    /**
     * Stops the channel: its thread leaves its loop and closes the socket; from another thread
     * this waits for that. (From the channel's own thread, handling a shutdown request, the loop
     * ends when the handler returns.)
     */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t == null) {
            super.close();
        } else if (t != Thread.currentThread()) {
            waitUntilClose();
        }
    }

    @Override
    public void waitUntilClose() {
        Thread t = thread;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
