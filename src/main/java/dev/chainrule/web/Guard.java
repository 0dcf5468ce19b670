package dev.chainrule.web;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Who may talk to the explorer: a request that names this server as its host (127.0.0.1 or
 * localhost at its port: a page of another site that rebinds its name to 127.0.0.1 sends its own
 * name), comes from no other origin, and carries the token, in the query ({@code ?token=}), the
 * {@code X-Chainrule-Token} header, or the cookie the first page load sets.
 */
final class Guard {
    static final String COOKIE = "chainrule_token";
    static final String HEADER = "X-Chainrule-Token";

    private final String token;
    private final List<String> hosts;
    private final List<String> origins;

    Guard(int port) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.token = HexFormat.of().formatHex(random);
        this.hosts = List.of("127.0.0.1:" + port, "localhost:" + port);
        this.origins = List.of("http://127.0.0.1:" + port, "http://localhost:" + port);
    }

    String token() {
        return token;
    }

    /** Why the request is refused, or null when it may go on. */
    String refusal(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
            return "this server answers only requests addressed to 127.0.0.1 or localhost at its port";
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origins.contains(origin.toLowerCase(java.util.Locale.ROOT))) {
            return "requests from other sites are refused";
        }
        if (!matches(given(exchange))) {
            return "a valid token is needed: open the URL the serve command printed";
        }
        return null;
    }

    /** Whether the query of the request carries the token (the first page load, which then sets the cookie). */
    boolean inQuery(HttpExchange exchange) {
        return matches(query(exchange));
    }

    private String given(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(HEADER);
        if (header != null) {
            return header;
        }
        String fromQuery = query(exchange);
        if (fromQuery != null) {
            return fromQuery;
        }
        for (String cookies : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
            for (String cookie : cookies.split(";")) {
                String c = cookie.trim();
                if (c.startsWith(COOKIE + "=")) {
                    return c.substring(COOKIE.length() + 1);
                }
            }
        }
        return null;
    }

    /** The token in the request's query, or null. */
    private static String query(HttpExchange exchange) {
        return ExplorerServer.query(exchange).get("token");
    }

    /** Compared in constant time, so that the time taken does not tell how much of a guess was right. */
    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}
