package dev.chainrule.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** Free TCP ports for a test's servers. */
public final class Ports {
    private Ports() {
    }

    /**
     * {@code n} distinct ports free now: all are held open while the next is taken, so the
     * system cannot hand the same one out twice (it may, once a socket is closed).
     */
    public static int[] free(int n) throws IOException {
        ServerSocket[] held = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }
}
