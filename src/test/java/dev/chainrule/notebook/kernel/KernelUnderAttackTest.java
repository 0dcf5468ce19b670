package dev.chainrule.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * A running kernel is sent what an attacker or a broken client sends: a message with a wrong
 * signature, one with none, a lone delimiter frame, garbage, an exact replay of a signed message.
 * Each is dropped, and the kernel then runs a cell and answers as before.
 */
class KernelUnderAttackTest {
    private static final String KEY = "a-secret-key";
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private GuardedConnection kernel;
    private ZMQ.Context context;
    private ZMQ.Socket shell;
    private ZMQ.Socket iopub;

    @BeforeEach
    void start() throws Exception {
        int[] ports = dev.chainrule.testing.Ports.free(5);
        Path file = Files.writeString(dir.resolve("kernel.json"), """
                {"ip": "127.0.0.1", "transport": "tcp", "shell_port": %d, "control_port": %d, "stdin_port": %d,
                 "hb_port": %d, "iopub_port": %d, "signature_scheme": "hmac-sha256", "key": "%s"}
                """.formatted(ports[0], ports[1], ports[2], ports[3], ports[4], KEY));
        kernel = ChainKernel.listen(file);
        context = ZMQ.context(1);
        shell = context.socket(SocketType.DEALER);
        shell.setLinger(0);
        shell.setReceiveTimeOut(10_000);
        shell.connect("tcp://127.0.0.1:" + ports[0]);
        iopub = context.socket(SocketType.SUB);
        iopub.setLinger(0);
        iopub.subscribe(new byte[0]);
        iopub.setReceiveTimeOut(10_000);
        iopub.connect("tcp://127.0.0.1:" + ports[4]);
    }

    @AfterEach
    void stop() {
        shell.close();
        iopub.close();
        context.close();
        kernel.close();
    }

    private static String sign(String key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        for (byte[] part : parts) {
            mac.update(part);
        }
        return HexFormat.of().formatHex(mac.doFinal());
    }

    /** The frames of an execute_request for {@code code}, signed with {@code key}. */
    private static List<byte[]> executeRequest(String code, String key) throws Exception {
        byte[] header = ("{\"msg_id\": \"" + UUID.randomUUID() + "\", \"username\": \"test\", \"session\": \"s1\","
                + " \"date\": \"2026-12-01T00:00:00.000Z\", \"msg_type\": \"execute_request\", \"version\": \"5.3\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] parent = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] metadata = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] content = ("{\"code\": \"" + code + "\", \"silent\": false, \"store_history\": true, \"user_expressions\": {},"
                + " \"allow_stdin\": false, \"stop_on_error\": true}").getBytes(StandardCharsets.UTF_8);
        List<byte[]> frames = new ArrayList<>();
        frames.add(DELIMITER);
        frames.add(sign(key, header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        return frames;
    }

    private void send(List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            shell.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The content of the next reply on the shell channel, or null after the timeout. */
    private String reply(int timeoutMillis) {
        shell.setReceiveTimeOut(timeoutMillis);
        List<byte[]> frames = new ArrayList<>();
        byte[] frame = shell.recv(0);
        if (frame == null) {
            return null;
        }
        frames.add(frame);
        while (shell.hasReceiveMore()) {
            frames.add(shell.recv(0));
        }
        return new String(frames.get(frames.size() - 1), StandardCharsets.UTF_8);
    }

    /** The text/plain of the next display_data on iopub (skipping status and input messages). */
    private String displayed() {
        while (true) {
            List<byte[]> frames = new ArrayList<>();
            byte[] frame = iopub.recv(0);
            assertNotNull(frame, "no display_data on iopub");
            frames.add(frame);
            while (iopub.hasReceiveMore()) {
                frames.add(iopub.recv(0));
            }
            String header = "";
            for (int i = 0; i < frames.size(); i++) {
                if (java.util.Arrays.equals(DELIMITER, frames.get(i))) {
                    header = new String(frames.get(i + 2), StandardCharsets.UTF_8);
                    String content = new String(frames.get(i + 5), StandardCharsets.UTF_8);
                    if (header.contains("\"display_data\"")) {
                        return content;
                    }
                }
            }
        }
    }

    @Test
    void badFramesAreDroppedAndTheNextCellRuns() throws Exception {
        send(executeRequest("print 1", "not-the-key"));
        List<byte[]> unsigned = executeRequest("print 2", KEY);
        unsigned.set(1, new byte[0]);
        send(unsigned);
        send(List.of(DELIMITER));
        send(List.of("garbage".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2}));
        List<byte[]> broken = executeRequest("print 3", KEY);
        broken.set(2, "{not json".getBytes(StandardCharsets.UTF_8));
        broken.set(1, sign(KEY, broken.get(2), broken.get(3), broken.get(4), broken.get(5)).getBytes(StandardCharsets.US_ASCII));
        send(broken);
        assertNull(reply(1500), "nothing answers what was dropped");
        send(executeRequest("print 6 * 7", KEY));
        String reply = reply(20_000);
        assertNotNull(reply, "the kernel still runs cells");
        assertTrue(reply.replace(" ", "").contains("\"status\":\"ok\""), reply);
        String shown = com.google.gson.JsonParser.parseString(displayed()).getAsJsonObject().getAsJsonObject("data")
                .get("text/plain").getAsString();
        assertEquals("6 * 7 = 42", shown);
        assertTrue(kernel.guardedShell.dropped >= 5, "dropped " + kernel.guardedShell.dropped);
    }

    @Test
    void anExactReplayIsRefused() throws Exception {
        List<byte[]> request = executeRequest("print 1 + 1", KEY);
        send(request);
        assertNotNull(reply(20_000));
        send(request);
        assertNull(reply(1500), "the replay is not run again");
        assertEquals(1, kernel.guardedShell.dropped);
    }
}
