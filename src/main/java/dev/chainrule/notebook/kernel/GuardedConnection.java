package dev.chainrule.notebook.kernel;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.HMACGenerator;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.zeromq.ZMQ;

/**
 * jjava's connection with its shell and control channels replaced by {@link GuardedChannel}s,
 * which drop what they cannot trust and keep serving; the heartbeat, stdin and iopub channels
 * are jjava's own. jjava cannot be configured for this (its channels are made in its connection's
 * constructor and read messages in a loop without an error handler), so the two channels that
 * take requests are replaced, and jjava's unbound ones are closed with the rest.
 */
final class GuardedConnection extends JupyterConnection {
    private final ZMQ.Context context = ZMQ.context(1);
    final GuardedChannel guardedShell;
    final GuardedChannel guardedControl;
    private final KernelConnectionProperties properties;
    private boolean connected;
    private Thread closing;

    GuardedConnection(KernelConnectionProperties properties) throws NoSuchAlgorithmException, InvalidKeyException {
        super(properties);
        this.properties = properties;
        HMACGenerator signer = properties.createHMACGenerator();
        this.guardedShell = new GuardedChannel(context, signer, false, this);
        this.guardedControl = new GuardedChannel(context, signer, true, this);
    }

    @Override
    public void connect() {
        if (connected) {
            return;
        }
        heartbeat.bind(properties);
        guardedShell.bind(properties);
        guardedControl.bind(properties);
        stdin.bind(properties);
        iopub.bind(properties);
        getIOPub().sendMessage(new Message<>(null, PublishStatus.MESSAGE_TYPE, PublishStatus.STARTING));
        connected = true;
    }

    /**
     * Closes every channel. The guarded channels' context ends on a thread of its own once their
     * sockets are closed: a shutdown request is handled on the shell's thread, which closes its
     * socket only after the handler returns.
     */
    @Override
    public synchronized void close() {
        if (closing != null) {
            return;
        }
        guardedShell.close();
        guardedControl.close();
        super.close();
        closing = new Thread(context::close, "chainrule-kernel-close");
        closing.setDaemon(true);
        closing.start();
    }

    @Override
    public void waitUntilClose() {
        guardedShell.waitUntilClose();
        guardedControl.waitUntilClose();
        super.waitUntilClose();
        Thread t;
        synchronized (this) {
            t = closing;
        }
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
