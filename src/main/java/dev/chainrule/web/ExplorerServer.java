package dev.chainrule.web;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.chainrule.api.Examples;
import dev.chainrule.api.Options;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.UsageException;
import dev.chainrule.explore.LiveTraining;
import dev.chainrule.explore.Workspace;
import dev.chainrule.io.BoundedRead;
import dev.chainrule.io.Confinement;
import dev.chainrule.io.FileRefused;
import dev.chainrule.io.SafeWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The explorer's server: the page, KaTeX, and a small JSON API over a {@link Workspace}, with
 * training frames pushed as server-sent events. It listens on 127.0.0.1 only, and every request
 * passes the {@link Guard} first. The routes are listed in {@link #route}.
 */
public final class ExplorerServer implements AutoCloseable {
    /** The largest request body read: a model's text, at most as large as a model file may be. */
    private static final long MAX_BODY = Source.MAX_BYTES;
    /** Steps between two frames when playing, unless the page asks for another number. */
    private static final int PER_FRAME = 10;
    /** The header a page names itself by, so that it can tell its own changes from another page's. */
    static final String PAGE_HEADER = "X-Chainrule-Page";
    /** Where the page's own files are in the jar. */
    private static final String PAGE = "/explorer/";

    private final HttpServer server;
    private final ExecutorService threads;
    private final Guard guard;
    private final Workspace workspace;
    private final LiveTraining training;
    private final EventStream events = new EventStream();
    private final Path folder;
    private final String katex;
    private final boolean debug;
    private final PrintStream log;
    private final Gson gson = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .registerTypeAdapter(Double.class, new FiniteOrNull())
            .registerTypeAdapter(double.class, new FiniteOrNull())
            .create();

    /**
     * @param folder where the page opens and saves {@code .chain} files: the model's folder
     * @param port   the port, 0 for any free one
     * @param log    where unexpected errors are told (with their stack trace when {@code debug})
     */
    public ExplorerServer(Workspace workspace, Path folder, int port, boolean debug, PrintStream log) throws IOException {
        this.workspace = workspace;
        this.folder = folder.toAbsolutePath().normalize();
        this.debug = debug;
        this.log = log;
        this.katex = katexRoot();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        this.guard = new Guard(server.getAddress().getPort());
        this.training = new LiveTraining(workspace, frame -> events.publish("train", gson.toJson(frame)), events::listeners);
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chainrule-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        server.createContext("/", this::handle);
    }

    /** Starts serving; the URL to open, with the token. */
    public String start() {
        workspace.analyze(workspace.text());
        server.start();
        return "http://127.0.0.1:" + port() + "/?token=" + guard.token();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String token() {
        return guard.token();
    }

    @Override
    public void close() {
        training.pause();
        events.close();
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        // closed in finally, not by try-with-resources, which would close it before a catch could answer
        try {
            String refusal = guard.refusal(exchange);
            if (refusal != null) {
                send(exchange, 403, json(Map.of("error", refusal)), "application/json");
                return;
            }
            route(exchange);
        } catch (IOException gone) {
            // the page went away while being answered
        } catch (Throwable e) {
            refuse(exchange, e);
        } finally {
            exchange.close();
        }
    }

    /** Answers a request that failed: 400 with the message for the user's mistakes, 500 for the server's own. */
    private void refuse(HttpExchange exchange, Throwable e) {
        int status = 400;
        Map<String, Object> body = new LinkedHashMap<>();
        if (e instanceof ChainException chain) {
            body.put("error", chain.getMessage());
            body.put("rendered", chain.render());
        } else if (e instanceof UsageException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof FileRefused || e instanceof JsonParseException) {
            body.put("error", String.valueOf(e.getMessage()));
        } else {
            status = 500;
            body.put("error", "internal error: " + e);
            log.println("chainrule serve: internal error answering " + exchange.getRequestURI().getPath() + ": " + e);
            if (debug) {
                e.printStackTrace(log);
            }
        }
        try {
            send(exchange, status, json(body), "application/json");
        } catch (IOException | RuntimeException failed) {
            log.println("chainrule serve: could not answer " + exchange.getRequestURI().getPath() + ": " + failed);
        }
    }

    /**
     * The routes: the page and its files, then the API, every answer JSON with numbers already
     * written as text lines (a tensor as its shape and a summary).
     *
     * <pre>
     * GET  /                          the page (with ?token= it sets the token cookie)
     * GET  /static/NAME, /katex/PATH  the page's script and style; KaTeX from its WebJar
     * GET  /api/state                 the model's text and source, the examples, the folder's .chain files, training status
     * POST /api/model   {text, names} build it: diagnostics, and the model to show (the last good one when stale)
     * GET  /api/graph   ?output=&amp;names=    the graph under an output, over names or every operation, with the params
     * GET  /api/explain ?output=&amp;node=     explain OUTPUT wrt NODE (text, LaTeX) and its paths with local derivatives
     * GET  /api/derive  ?of=&amp;wrt=         the symbolic derivative (ASCII, LaTeX) and its value
     * GET  /api/backward ?output=&amp;names=  the reverse sweep, step by step
     * GET  /api/forward ?output=&amp;wrt=     the forward sweep of one leaf's tangents
     * POST /api/train   {action: play|step|pause|look|reset, optimizer, lr, batch, steps, perFrame}
     * GET  /api/events                server-sent events: "train" frames, "model" when a page builds a new model
     * GET  /api/example ?name=        an embedded example's text
     * GET  /api/file ?name=, POST /api/file {name, text, overwrite}   a .chain file of the model's folder
     * </pre>
     *
     * A question about the model may name the version of the model it was asked from
     * ({@code ?version=}); one from a page showing an older model is refused with 409.
     */
    private void route(HttpExchange exchange) throws IOException, FileRefused {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Map<String, String> q = query(exchange);
        boolean get = method.equals("GET") || method.equals("HEAD");
        if (get && path.equals("/")) {
            if (guard.inQuery(exchange)) {
                exchange.getResponseHeaders().add("Set-Cookie", Guard.COOKIE + "=" + guard.token()
                        + "; Path=/; HttpOnly; SameSite=Strict");
            }
            resource(exchange, PAGE + "index.html");
        } else if (get && path.startsWith("/static/") && path.substring(8).matches("[A-Za-z0-9_-]+\\.[a-z0-9]+")) {
            resource(exchange, PAGE + path.substring(8));
        } else if (get && path.startsWith("/katex/") && !path.contains("..")) {
            resource(exchange, katex + path.substring(7));
        } else if (get && path.equals("/api/state")) {
            ok(exchange, state());
        } else if (method.equals("POST") && path.equals("/api/model")) {
            JsonObject body = body(exchange);
            if (body.has("names")) {
                workspace.drawNames(body.get("names").getAsBoolean());
            }
            ok(exchange, build(exchange, string(body, "text"), false));
        } else if (!current(q)) {
            // a page that built the newer model itself has it on its way: it asks again, with no alarm
            String by = workspace.builtBy();
            boolean own = by != null && by.equals(exchange.getRequestHeaders().getFirst(PAGE_HEADER));
            Map<String, Object> stale = new LinkedHashMap<>();
            stale.put("error", own ? "this page built a newer model since it asked: ask again about that one"
                    : "the model was changed from another page: reload this one to see it");
            stale.put("stale", true);
            stale.put("own", own);
            send(exchange, 409, json(stale), "application/json");
        } else if (get && path.equals("/api/graph")) {
            if (q.containsKey("names")) {
                workspace.drawNames(!"false".equals(q.get("names")));
            }
            Workspace.View view = workspace.look(q.get("output"));
            JsonObject graph = gson.toJsonTree(view.graph()).getAsJsonObject();
            graph.add("params", gson.toJsonTree(view.params()));
            ok(exchange, graph);
        } else if (get && path.equals("/api/explain")) {
            Workspace.Explained e = workspace.explain(q.get("output"), integer(q, "node"));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("node", e.node());
            answer.put("name", e.name());
            answer.put("paths", Map.of("nodes", e.nodes(), "edges", e.edges()));
            answer.put("text", e.text());
            answer.put("latex", e.latex());
            answer.put("note", e.note());
            ok(exchange, answer);
        } else if (get && path.equals("/api/derive")) {
            ok(exchange, workspace.derive(required(q, "of"), required(q, "wrt")));
        } else if (get && path.equals("/api/backward")) {
            ok(exchange, backward(q.get("output"), !"false".equals(q.get("names"))));
        } else if (get && path.equals("/api/forward")) {
            ok(exchange, sweep(workspace.forward(q.get("output"), required(q, "wrt"))));
        } else if (method.equals("POST") && path.equals("/api/train")) {
            ok(exchange, train(exchange, body(exchange)));
        } else if (get && path.equals("/api/events")) {
            events.listen(exchange, gson.toJson(training.status()));
        } else if (get && path.equals("/api/example")) {
            String name = required(q, "name");
            Source example = Examples.source(name);
            training.forget();
            workspace.rename(example.name());
            ok(exchange, Map.of("name", name, "text", example.text()));
        } else if (get && path.equals("/api/file")) {
            Path file = confined(required(q, "name"));
            String text = BoundedRead.model(file);
            training.forget();
            workspace.rename(file.toString());
            ok(exchange, Map.of("name", file.getFileName().toString(), "text", text));
        } else if (method.equals("POST") && path.equals("/api/file")) {
            JsonObject body = body(exchange);
            Path file = confined(string(body, "name"));
            boolean overwrite = body.has("overwrite") && body.get("overwrite").getAsBoolean();
            if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !overwrite
                    && !file.toString().equals(workspace.sourceName())) {
                Map<String, Object> exists = new LinkedHashMap<>();
                exists.put("error", file.getFileName() + " exists and holds another model: save over it?");
                exists.put("exists", true);
                send(exchange, 409, json(exists), "application/json");
                return;
            }
            SafeWrite.write(file, string(body, "text").getBytes(StandardCharsets.UTF_8), SafeWrite.Kind.MODEL, false);
            workspace.rename(file.toString());
            ok(exchange, Map.of("saved", file.getFileName().toString()));
        } else {
            send(exchange, 404, json(Map.of("error", "no such page: " + method + " " + path)), "application/json");
        }
    }

    /** Tells every page that a new model was built, and by which page ({@code X-Chainrule-Page}), so that the others can say theirs is old. */
    private void modelChanged(HttpExchange exchange) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", workspace.version());
        event.put("source", workspace.sourceName());
        event.put("by", exchange.getRequestHeaders().getFirst(PAGE_HEADER));
        events.publish("model", gson.toJson(event));
    }

    /**
     * Whether a request about the model is about the one built last: a page sends the version
     * of the model it shows ({@code ?version=}); a request that names none is taken as current.
     */
    private boolean current(Map<String, String> q) {
        String given = q.get("version");
        if (given == null) {
            return true;
        }
        try {
            return Integer.parseInt(given) == workspace.version();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("?version= takes a whole number, not '" + given + "'");
        }
    }

    /**
     * Whether the text differs from what its source holds (the example, or the file as it is on
     * disk): a page opening then knows the edits are not saved. A source that cannot be read
     * counts as different.
     */
    private boolean edited() {
        String source = workspace.sourceName();
        String text = workspace.text();
        try {
            if (source.startsWith("example:")) {
                return !Examples.source(source.substring("example:".length())).text().equals(text);
            }
            Path file = Path.of(source);
            return !Files.isRegularFile(file) || !BoundedRead.model(file).equals(text);
        } catch (RuntimeException | dev.chainrule.io.FileRefused e) {
            return true;
        }
    }

    private Map<String, Object> state() throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("source", workspace.sourceName());
        state.put("text", workspace.text());
        state.put("edited", edited());
        List<Map<String, String>> examples = new ArrayList<>();
        Examples.list().forEach((name, about) -> examples.add(Map.of("name", name, "about", about)));
        state.put("examples", examples);
        List<String> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(folder)) {
            list.filter(p -> p.getFileName().toString().endsWith(".chain") && Files.isRegularFile(p))
                    .map(p -> p.getFileName().toString()).sorted().forEach(files::add);
        }
        state.put("files", files);
        state.put("folder", folder.toString());
        state.put("training", training.status());
        return state;
    }

    /**
     * Builds {@code text} as the model every page shows. The text of the model shown already
     * (a page opening, a second tab) is that model: training goes on, and nobody is told of a
     * change. A model that builds ends the run, and the other pages hear that this one changed
     * it. A mistake leaves the model shown, and its run, as they were. {@code again} builds even
     * the same text (Reset).
     */
    private Workspace.Analysis build(HttpExchange exchange, String text, boolean again) {
        Workspace.Analysis analysis = again ? null : workspace.unchanged(text);
        if (analysis != null) {
            return analysis;
        }
        analysis = workspace.analyze(text, exchange.getRequestHeaders().getFirst(PAGE_HEADER));
        if (analysis.ok()) {
            training.forget();
            modelChanged(exchange);
        }
        return analysis;
    }

    private Object train(HttpExchange exchange, JsonObject body) {
        String action = string(body, "action");
        LiveTraining.Settings settings = new LiveTraining.Settings(
                body.has("optimizer") ? body.get("optimizer").getAsString() : "sgd",
                body.has("lr") ? body.get("lr").getAsDouble() : 0.1,
                body.has("batch") ? body.get("batch").getAsInt() : 0);
        int steps = body.has("steps") ? body.get("steps").getAsInt() : 1;
        int perFrame = body.has("perFrame") ? body.get("perFrame").getAsInt() : PER_FRAME;
        if (steps < 1 || steps > 100_000) {
            throw new IllegalArgumentException("steps must be between 1 and 100000, not " + steps);
        }
        switch (action) {
            case "play":
                return training.play(settings, Math.max(1, Math.min(perFrame, 10_000)));
            case "step":
                return training.step(settings, steps);
            case "pause":
                training.pause();
                return training.status();
            case "look":
                training.look();
                return training.status();
            case "reset":
                // the run stops first (its last frame goes out), then the model shown is built
                // again: its params back where its text puts them
                training.forget();
                Workspace.Analysis analysis = build(exchange, workspace.shownText(), true);
                Map<String, Object> reset = new LinkedHashMap<>();
                reset.put("running", false);
                reset.put("step", training.status().step());
                reset.put("analysis", analysis);
                return reset;
            default:
                throw new IllegalArgumentException("unknown training action '" + action + "' (play, step, pause, look or reset)");
        }
    }

    /**
     * The reverse sweep over names when asked for and the model is one of scalars; over
     * operations otherwise, with a note saying why when names were asked for.
     */
    private Map<String, Object> backward(String output, boolean names) {
        if (names) {
            try {
                return sweep(workspace.backward(output, true));
            } catch (ChainException overTensors) {
                if (!overTensors.getMessage().startsWith("the sweep over names follows scalar nodes")) {
                    throw overTensors;
                }
                Map<String, Object> answer = sweep(workspace.backward(output, false));
                answer.put("note", overTensors.getMessage() + ": stepped operation by operation instead");
                return answer;
            }
        }
        return sweep(workspace.backward(output, false));
    }

    /**
     * A sweep as the page reads it: in reverse mode each step's adjoint with one term per
     * consumer (its adjoint upstream, the local derivative, their product); in forward mode each
     * tangent with one term per input.
     */
    private static Map<String, Object> sweep(dev.chainrule.explore.SweepSteps.Sweep sweep) {
        boolean reverse = sweep.mode().equals("reverse");
        List<Map<String, Object>> steps = new ArrayList<>();
        for (dev.chainrule.explore.SweepSteps.Step step : sweep.steps()) {
            List<Map<String, Object>> terms = new ArrayList<>();
            for (dev.chainrule.explore.SweepSteps.Term t : step.terms()) {
                Map<String, Object> term = new LinkedHashMap<>();
                term.put(reverse ? "consumer" : "input", t.other());
                term.put(reverse ? "consumerLabel" : "inputLabel", t.otherLabel());
                term.put(reverse ? "upstream" : "tangent", t.carried());
                term.put("local", t.local());
                term.put("product", t.product());
                term.put("formula", t.formula());
                terms.add(term);
            }
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("node", step.node());
            s.put("label", step.label());
            s.put(reverse ? "adjoint" : "tangent", step.total());
            s.put("terms", terms);
            steps.add(s);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("mode", sweep.mode());
        answer.put("names", sweep.names());
        answer.put("of", sweep.of());
        answer.put("wrt", sweep.wrt());
        answer.put("steps", steps);
        answer.put("params", sweep.params());
        answer.put("sweeps", sweep.sweeps());
        answer.put("note", null);
        return answer;
    }

    /** A {@code .chain} file named by a plain name inside the model's folder; refused otherwise. */
    private Path confined(String name) throws FileRefused {
        if (!name.endsWith(".chain") || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw new FileRefused("the explorer opens and saves .chain files by their plain name in " + folder + "; '" + name
                    + "' is not one");
        }
        Path file = Confinement.resolve(folder, name, List.of());
        if (file == null) {
            throw new FileRefused("'" + name + "' leads outside " + folder);
        }
        return file;
    }

    /** The folder of KaTeX's files in its WebJar, found by the WebJar's own version record. */
    private static String katexRoot() throws IOException {
        try (InputStream in = ExplorerServer.class.getResourceAsStream("/META-INF/maven/org.webjars.npm/katex/pom.properties")) {
            if (in == null) {
                throw new IOException("KaTeX's WebJar is missing from the class path");
            }
            java.util.Properties properties = new java.util.Properties();
            properties.load(in);
            return "/META-INF/resources/webjars/katex/" + properties.getProperty("version") + "/dist/";
        }
    }

    private void resource(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = ExplorerServer.class.getResourceAsStream(name)) {
            if (in == null) {
                send(exchange, 404, json(Map.of("error", "no such file")), "application/json");
                return;
            }
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            send(exchange, 200, in.readAllBytes(), contentType(name));
        }
    }

    private static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "woff2" -> "font/woff2";
            case "woff" -> "font/woff";
            case "ttf" -> "font/ttf";
            case "png" -> "image/png";
            case "svg" -> "image/svg+xml";
            default -> "application/octet-stream";
        };
    }

    private void ok(HttpExchange exchange, Object answer) throws IOException {
        send(exchange, 200, json(answer), "application/json");
    }

    private byte[] json(Object answer) {
        return gson.toJson(answer).getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String type) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                + "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private JsonObject body(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readNBytes((int) MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            throw new IllegalArgumentException("the request is larger than the " + BoundedRead.megabytes(MAX_BODY)
                    + " a model may hold");
        }
        JsonObject body = gson.fromJson(new String(bytes, StandardCharsets.UTF_8), JsonObject.class);
        if (body == null) {
            throw new IllegalArgumentException("the request needs a JSON object");
        }
        return body;
    }

    private static String string(JsonObject body, String key) {
        if (!body.has(key) || !body.get(key).isJsonPrimitive()) {
            throw new IllegalArgumentException("the request needs \"" + key + "\"");
        }
        return body.get(key).getAsString();
    }

    /** The request's query, decoded: each name to its first value. */
    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private static String required(Map<String, String> q, String key) {
        String value = q.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the request needs ?" + key + "=");
        }
        return value;
    }

    private static int integer(Map<String, String> q, String key) {
        try {
            return Integer.parseInt(required(q, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("?" + key + "= takes a whole number, not '" + q.get(key) + "'");
        }
    }

    /** JSON has no NaN or infinity: such a number is sent as null, which the page shows as missing. */
    private static final class FiniteOrNull extends TypeAdapter<Double> {
        @Override
        public void write(JsonWriter out, Double value) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                out.nullValue();
            } else {
                out.value(value.doubleValue());
            }
        }

        @Override
        public Double read(JsonReader in) throws IOException {
            return in.nextDouble();
        }
    }
}
