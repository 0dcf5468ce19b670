package dev.chainrule.notebook.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void unsignedMessagesAreRefused() throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> ChainKernel.connection(file("127.0.0.1", "", "hmac-sha256")));
        assertEquals("the kernel needs messages signed with hmac-sha256 and a key; the connection file gives no key", e.getMessage());
    }
}
