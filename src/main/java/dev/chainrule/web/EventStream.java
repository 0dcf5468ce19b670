package dev.chainrule.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server-sent events to every page that listens: each listener has a short queue of its own, so
 * a slow page loses old frames rather than holding up training or the other pages. A comment is
 * sent every few seconds when nothing else is, which finds a page that has gone (its write fails)
 * and ends its stream.
 */
final class EventStream {
    /** Events a listener may fall behind by before the oldest are dropped. */
    private static final int QUEUE = 16;
    private static final long PING_SECONDS = 2;

    private final Set<BlockingQueue<String>> listeners = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** How many pages listen now. */
    int listeners() {
        return listeners.size();
    }

    /** Sends {@code data} (one line of JSON) as event {@code name} to every listener. */
    void publish(String name, String data) {
        String event = "event: " + name + "\ndata: " + data + "\n\n";
        for (BlockingQueue<String> queue : listeners) {
            while (!queue.offer(event)) {
                queue.poll();
            }
        }
    }

    /** Serves one listener until it goes away or the server stops; runs on the request's thread. */
    void listen(HttpExchange exchange, String hello) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
        queue.add("event: hello\ndata: " + hello + "\n\n");
        listeners.add(queue);
        try (OutputStream out = exchange.getResponseBody()) {
            while (!closed) {
                String event = queue.poll(PING_SECONDS, TimeUnit.SECONDS);
                out.write((event == null ? ": ping\n\n" : event).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException gone) {
            // the page closed its stream: it no longer listens
        } finally {
            listeners.remove(queue);
            exchange.close();
        }
    }

    void close() {
        closed = true;
    }
}
