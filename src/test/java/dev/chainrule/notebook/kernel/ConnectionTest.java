package dev.chainrule.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.diag.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel takes only a loopback address and signed messages from its connection file. */
class ConnectionTest {
    @TempDir
    Path dir;

    private Path file(String ip, String key, String scheme) throws Exception {
        return Files.writeString(dir.resolve("kernel.json"), """
                {"ip": "%s", "transport": "tcp", "control_port": 5001, "shell_port": 5002, "stdin_port": 5003,
                 "hb_port": 5004, "iopub_port": 5005, "signature_scheme": "%s", "key": "%s"}
                """.formatted(ip, scheme, key));
    }

    @Test
    void loopbackWithAKeyIsAccepted() throws Exception {
        assertEquals("127.0.0.1", ChainKernel.connection(file("127.0.0.1", "secret", "hmac-sha256")).getIp());
    }

    @Test
    void anyOtherAddressIsRefused() throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> ChainKernel.connection(file("0.0.0.0", "secret", "hmac-sha256")));
        assertEquals("the kernel listens on 127.0.0.1 only; the connection file asks for 0.0.0.0", e.getMessage());
    }

    private Path file(String json) throws Exception {
        return Files.writeString(dir.resolve("kernel.json"), json);
    }

    private static String refusal(Path file) {
        return assertThrows(UsageException.class, () -> ChainKernel.connection(file)).getMessage();
    }

    @Test
    void whatPassedTheCheckAndThenCrashedIsRefusedUpFront() throws Exception {
        assertEquals("the kernel listens on 127.0.0.1 only; the connection file asks for ::1", refusal(file("::1", "k", "hmac-sha256")));
        String ports = "\"control_port\": 5001, \"shell_port\": 5002, \"stdin_port\": 5003, \"hb_port\": 5004, \"iopub_port\": ";
        String keyed = ", \"signature_scheme\": \"hmac-sha256\", \"key\": \"k\"}";
        assertEquals("the kernel listens over tcp only; the connection file asks for udp",
                refusal(file("{\"ip\": \"127.0.0.1\", \"transport\": \"udp\", " + ports + "5005" + keyed)));
        assertEquals("the kernel listens over tcp only; the connection file asks for ipc",
                refusal(file("{\"ip\": \"127.0.0.1\", \"transport\": \"ipc\", " + ports + "5005" + keyed)));
        assertEquals("the connection file gives iopub_port 70000; a port is a number from 1 to 65535",
                refusal(file("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", " + ports + "70000" + keyed)));
        assertEquals("the connection file gives port 5004 twice",
                refusal(file("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", " + ports + "5004" + keyed)));
        assertTrue(refusal(file("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", " + ports + "99999999999" + keyed))
                .contains("is not Jupyter's JSON"));
    }

    @Test
    void aPortAlreadyTakenIsAMessage() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            int[] free = dev.chainrule.testing.Ports.free(3);
            Path f = file("{\"ip\": \"127.0.0.1\", \"transport\": \"tcp\", \"control_port\": " + (port == 65535 ? 1 : port + 1)
                    + ", \"shell_port\": " + port + ", \"stdin_port\": " + free[0] + ", \"hb_port\": " + free[1] + ", \"iopub_port\": "
                    + free[2] + ", \"signature_scheme\": \"hmac-sha256\", \"key\": \"k\"}");
            UsageException e = assertThrows(UsageException.class, () -> ChainKernel.listen(f));
            assertTrue(e.getMessage().startsWith("the kernel cannot listen on the ports of " + f + ": "), e.getMessage());
        }
    }

    @Test
    void unsignedMessagesAreRefused() throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> ChainKernel.connection(file("127.0.0.1", "", "hmac-sha256")));
        assertEquals("the kernel needs messages signed with hmac-sha256 and a key; the connection file gives no key", e.getMessage());
    }
}
