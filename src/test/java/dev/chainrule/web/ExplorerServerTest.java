package dev.chainrule.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chainrule.api.Examples;
import dev.chainrule.api.Options;
import dev.chainrule.explore.Workspace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explorer's server over real HTTP: who may ask, what it answers, and which files it touches. */
class ExplorerServerTest {
    private static final String TUTORIAL = Examples.source("backprop-2-2-2").text();

    @TempDir
    Path folder;

    private ExplorerServer server;
    private String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        Workspace workspace = new Workspace(folder.resolve("model.chain").toString(), TUTORIAL, Options.defaults());
        server = new ExplorerServer(workspace, folder, 0, false, new PrintStream(OutputStream.nullOutputStream()));
        String url = server.start();
        assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]{48}"), url);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header(Guard.HEADER, server.token());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, JsonObject body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The server's event stream, as a page listens to it: a line at a time, until closed. */
    private Stream<String> listen() throws Exception {
        return http.send(request("/api/events").GET().build(), HttpResponse.BodyHandlers.ofLines()).body();
    }

    private static JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    private static JsonObject text(String text) {
        JsonObject body = new JsonObject();
        body.addProperty("text", text);
        return body;
    }

    @Test
    void aRequestWithoutTheTokenIsRefused() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(base + "/api/state")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, none.statusCode());
        assertEquals("{\"error\":\"a valid token is needed: open the URL the serve command printed\"}", none.body());
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/api/state"))
                .header(Guard.HEADER, "0".repeat(48)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, wrong.statusCode());
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode(), "the page itself needs the token");
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(base + "/katex/katex.min.js")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "and so do its files");
    }

    @Test
    void theFirstPageLoadSetsACookieThatCarriesTheTokenFromThenOn() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/?token=" + server.token())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertEquals("chainrule_token=" + server.token() + "; Path=/; HttpOnly; SameSite=Strict",
                page.headers().firstValue("Set-Cookie").orElseThrow());
        HttpResponse<String> withCookie = http.send(HttpRequest.newBuilder(URI.create(base + "/api/state"))
                .header("Cookie", "other=1; chainrule_token=" + server.token()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withCookie.statusCode());
    }

    /** A raw request, so that the Host header can be any name (the HTTP client sets its own). */
    private String statusLine(String host, String origin) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            String request = "GET /api/state HTTP/1.1\r\nHost: " + host + "\r\n" + Guard.HEADER + ": " + server.token() + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void anotherHostOrAnotherSitesOriginIsRefusedEvenWithTheToken() throws Exception {
        int port = server.port();
        assertEquals("HTTP/1.1 200 OK", statusLine("127.0.0.1:" + port, null));
        assertEquals("HTTP/1.1 200 OK", statusLine("localhost:" + port, "http://localhost:" + port));
        // a page of another site whose name was rebound to 127.0.0.1 sends its own name
        assertTrue(statusLine("evil.example:" + port, null).startsWith("HTTP/1.1 403"));
        assertTrue(statusLine("127.0.0.1:" + (port + 1), null).startsWith("HTTP/1.1 403"));
        assertTrue(statusLine("127.0.0.1:" + port, "http://evil.example").startsWith("HTTP/1.1 403"));
        assertTrue(statusLine("127.0.0.1:" + port, "null").startsWith("HTTP/1.1 403"));
    }

    @Test
    void thePageAndKatexComeFromTheJar() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(page.body().contains("/katex/katex.min.js") && page.body().contains("/static/app.js"));
        HttpResponse<String> katex = get("/katex/katex.min.js");
        assertEquals(200, katex.statusCode());
        assertEquals("text/javascript; charset=utf-8", katex.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(get("/katex/katex.min.css").body().contains("KaTeX_Main"));
        assertEquals(200, get("/katex/fonts/KaTeX_Main-Regular.woff2").statusCode());
        assertEquals(200, get("/static/app.js").statusCode());
        assertEquals(404, get("/static/..%2fexamples%2findex.txt").statusCode());
        assertEquals(404, get("/katex/../../examples/index.txt").statusCode());
        assertEquals(404, get("/nothing").statusCode());
    }

    @Test
    void theTutorialNetworkAnswersWithItsNumbers() throws Exception {
        JsonObject analysis = json(post("/api/model", text(TUTORIAL)));
        assertTrue(analysis.get("ok").getAsBoolean());
        JsonObject model = analysis.getAsJsonObject("model");
        assertEquals("E", model.get("output").getAsString());
        int w1 = -1;
        for (var n : model.getAsJsonObject("graph").getAsJsonArray("nodes")) {
            JsonObject node = n.getAsJsonObject();
            if (!node.get("name").isJsonNull() && node.get("name").getAsString().equals("E")) {
                assertEquals("[\"0.298371109\"]", node.get("value").toString());
            }
            if (!node.get("name").isJsonNull() && node.get("name").getAsString().equals("w1")) {
                w1 = node.get("id").getAsInt();
                assertEquals("[\"0.000438567734\"]", node.get("grad").toString());
            }
        }
        JsonObject explained = json(get("/api/explain?output=E&node=" + w1));
        assertTrue(explained.get("text").getAsString().contains("= 0.0363503064 · 0.241300709 · 0.05\n"));
        assertTrue(explained.getAsJsonObject("paths").getAsJsonArray("edges").size() > 0);
        JsonObject backward = json(get("/api/backward?output=E"));
        assertEquals("reverse", backward.get("mode").getAsString());
        assertTrue(backward.get("names").getAsBoolean(), "over the model's names unless asked otherwise");
        boolean found = false;
        for (var s : backward.getAsJsonArray("steps")) {
            JsonObject step = s.getAsJsonObject();
            if (step.get("label").getAsString().equals("w1")) {
                found = true;
                assertEquals("[\"0.000438567734\"]", step.get("adjoint").toString());
                JsonObject term = step.getAsJsonArray("terms").get(0).getAsJsonObject();
                assertEquals("[\"0.00877135469\"]", term.get("upstream").toString());
                assertEquals("[\"0.05\"]", term.get("local").toString());
                assertEquals("i1", term.get("formula").getAsString());
            }
        }
        assertTrue(found);
        JsonObject forward = json(get("/api/forward?output=E&wrt=w1"));
        assertEquals(10, forward.get("sweeps").getAsInt());
        JsonObject derived = json(get("/api/derive?of=E&wrt=w5"));
        assertEquals("[\"0.0821670406\"]", derived.get("value").toString());
    }

    @Test
    void aModelOfTensorsIsSteppedOperationByOperationAndSaysWhy() throws Exception {
        assertTrue(json(post("/api/model", text(Examples.source("classifier-circles").text()))).get("ok").getAsBoolean());
        JsonObject backward = json(get("/api/backward?output=E"));
        assertFalse(backward.get("names").getAsBoolean());
        assertEquals("the sweep over names follows scalar nodes, and X is a (200×2) value: stepped operation by operation instead",
                backward.get("note").getAsString());
        assertTrue(json(get("/api/backward?output=E&names=false")).get("note").isJsonNull());
    }

    @Test
    void aTypoIsAnsweredWithTheCommandLinesDiagnosticAndTheLastGoodModel() throws Exception {
        JsonObject typo = json(post("/api/model", text(TUTORIAL.replace("sigmoid(net_h1)", "sigmoud(net_h1)"))));
        assertFalse(typo.get("ok").getAsBoolean());
        assertTrue(typo.get("stale").getAsBoolean());
        String rendered = typo.getAsJsonArray("diagnostics").get(0).getAsJsonObject().get("rendered").getAsString();
        assertEquals(folder.resolve("model.chain") + ":10:10: unknown function 'sigmoud'; did you mean 'sigmoid'?\n"
                + "out_h1 = sigmoud(net_h1)\n         ^^^^^^^", rendered);
        assertEquals("E", typo.getAsJsonObject("model").get("output").getAsString());
    }

    @Test
    void badRequestsAreAnsweredInWords() throws Exception {
        HttpResponse<String> node = get("/api/explain?output=E&node=abc");
        assertEquals(400, node.statusCode());
        assertEquals("{\"error\":\"?node= takes a whole number, not 'abc'\"}", node.body());
        HttpResponse<String> unknown = get("/api/backward?output=EE");
        assertEquals(400, unknown.statusCode());
        assertEquals("unknown name 'EE'; did you mean 'E'?", json(unknown).get("error").getAsString());
        assertEquals("output:1:1: unknown name 'EE'; did you mean 'E'?\nEE\n^^", json(unknown).get("rendered").getAsString());
        JsonObject play = new JsonObject();
        play.addProperty("action", "jump");
        assertEquals("{\"error\":\"unknown training action 'jump' (play, step, pause, look or reset)\"}", post("/api/train", play).body());
        HttpResponse<String> notJson = http.send(request("/api/model").POST(HttpRequest.BodyPublishers.ofString("{")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, notJson.statusCode());
    }

    @Test
    void filesAreOpenedAndSavedOnlyInTheModelsFolder() throws Exception {
        JsonObject save = new JsonObject();
        save.addProperty("name", "mine.chain");
        save.addProperty("text", "param a = 2\nb = a^2\n");
        assertEquals("{\"saved\":\"mine.chain\"}", post("/api/file", save).body());
        assertEquals("param a = 2\nb = a^2\n", Files.readString(folder.resolve("mine.chain")));
        assertEquals("[\"mine.chain\"]", json(get("/api/state")).get("files").toString());
        assertEquals("param a = 2\nb = a^2\n", json(get("/api/file?name=mine.chain")).get("text").getAsString());
        Path outside = Files.createTempDirectory("outside");
        Files.writeString(outside.resolve("x.chain"), "param z = 1\n");
        Files.createSymbolicLink(folder.resolve("link.chain"), outside.resolve("x.chain"));
        for (String name : new String[] {"../x.chain", "/etc/passwd", "notes.txt", ".hidden.chain", "sub/x.chain", "link.chain"}) {
            HttpResponse<String> read = get("/api/file?name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8));
            assertEquals(400, read.statusCode(), name);
            save.addProperty("name", name);
            assertEquals(400, post("/api/file", save).statusCode(), name);
        }
        assertEquals("{\"error\":\"'link.chain' leads outside " + folder.toRealPath() + "\"}",
                get("/api/file?name=link.chain").body().replace(folder.toAbsolutePath().normalize().toString(),
                        folder.toRealPath().toString()));
        assertEquals("param z = 1\n", Files.readString(outside.resolve("x.chain")), "nothing was written through the link");
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(2, left.count(), "only the saved file and the planted link are there");
        }
    }

    @Test
    void aPageShowingAnOlderModelIsToldSoAndTheOthersHearOfTheNewOne() throws Exception {
        try (Stream<String> events = listen()) {
            Iterator<String> lines = events.iterator();
            assertEquals("event: hello", lines.next());
            int version = json(post("/api/model", text(TUTORIAL))).getAsJsonObject("model").get("version").getAsInt();
            assertEquals(200, get("/api/backward?output=E&version=" + version).statusCode());
            HttpResponse<String> other = http.send(request("/api/model").header(ExplorerServer.PAGE_HEADER, "page-b")
                    .POST(HttpRequest.BodyPublishers.ofString(text("param a = 2\nE = a^2\n").toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(version + 1, json(other).getAsJsonObject("model").get("version").getAsInt());
            HttpResponse<String> stale = get("/api/backward?output=E&version=" + version);
            assertEquals(409, stale.statusCode());
            assertEquals("{\"error\":\"the model was changed from another page: reload this one to see it\",\"stale\":true,"
                    + "\"own\":false}", stale.body());
            // page-b's own question about the model it replaced is stale too, but no alarm: its new model is on its way
            HttpResponse<String> own = http.send(request("/api/backward?output=E&version=" + version)
                    .header(ExplorerServer.PAGE_HEADER, "page-b").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(409, own.statusCode());
            assertEquals("{\"error\":\"this page built a newer model since it asked: ask again about that one\",\"stale\":true,"
                    + "\"own\":true}", own.body());
            String data = lines.next();
            while (!data.contains("page-b")) { // the first model event is the first page's own
                data = lines.next();
            }
            assertEquals("data: {\"version\":" + (version + 1) + ",\"source\":\"" + folder.resolve("model.chain")
                    + "\",\"by\":\"page-b\"}", data);
        }
    }

    @Test
    void savingOverAnotherModelsFileAsksFirst() throws Exception {
        Files.writeString(folder.resolve("other.chain"), "param z = 1\n");
        JsonObject save = new JsonObject();
        save.addProperty("name", "other.chain");
        save.addProperty("text", TUTORIAL);
        HttpResponse<String> asked = post("/api/file", save);
        assertEquals(409, asked.statusCode());
        assertEquals("{\"error\":\"other.chain exists and holds another model: save over it?\",\"exists\":true}", asked.body());
        assertEquals("param z = 1\n", Files.readString(folder.resolve("other.chain")));
        save.addProperty("overwrite", true);
        assertEquals(200, post("/api/file", save).statusCode());
        assertEquals(TUTORIAL, Files.readString(folder.resolve("other.chain")));
        save.remove("overwrite");
        assertEquals(200, post("/api/file", save).statusCode(), "the file the page has open is saved without asking");
    }

    /** A page opening is told whether the text differs from its source, so that edits made before are not lost unasked. */
    @Test
    void theStateSaysWhetherTheTextIsItsSourcesOwn() throws Exception {
        assertTrue(json(get("/api/state")).get("edited").getAsBoolean(), "model.chain is not on disk yet");
        JsonObject save = text(TUTORIAL);
        save.addProperty("name", "model.chain");
        assertEquals(200, post("/api/file", save).statusCode());
        assertFalse(json(get("/api/state")).get("edited").getAsBoolean(), "saved");
        post("/api/model", text(TUTORIAL + "# a note\n"));
        assertTrue(json(get("/api/state")).get("edited").getAsBoolean(), "edited after the save");
        assertEquals(200, get("/api/example?name=single-unit-chain").statusCode());
        post("/api/model", text(Examples.source("single-unit-chain").text()));
        assertFalse(json(get("/api/state")).get("edited").getAsBoolean(), "the example's own text");
    }

    /**
     * A second tab opening sends the text of the model shown: that is the model, not a new one,
     * and the run goes on. A mistake leaves the run too. Reset builds the model shown again.
     */
    @Test
    void theTextOfTheModelShownIsThatModelAndOnlyANewModelEndsTheRun() throws Exception {
        int version = json(post("/api/model", text(TUTORIAL))).getAsJsonObject("model").get("version").getAsInt();
        JsonObject step = new JsonObject();
        step.addProperty("action", "step");
        step.addProperty("lr", 0.5);
        step.addProperty("steps", 3);
        assertEquals("{\"running\":false,\"step\":3}", post("/api/train", step).body());
        JsonObject again = json(post("/api/model", text(TUTORIAL)));
        assertTrue(again.get("ok").getAsBoolean());
        assertEquals(version, again.getAsJsonObject("model").get("version").getAsInt(), "nothing was built");
        String w1 = again.getAsJsonObject("model").getAsJsonArray("params").get(0).getAsJsonObject().getAsJsonArray("value").get(0).getAsString();
        assertEquals(false, w1.equals("0.15"), "the second tab sees the trained w1, " + w1);
        JsonObject typo = json(post("/api/model", text(TUTORIAL.replace("sigmoid(net_h1)", "sigmoud(net_h1)"))));
        assertFalse(typo.get("ok").getAsBoolean());
        assertEquals(3, json(get("/api/state")).getAsJsonObject("training").get("step").getAsInt(), "a mistake keeps the run");
        JsonObject reset = new JsonObject();
        reset.addProperty("action", "reset");
        JsonObject answer = json(post("/api/train", reset));
        assertEquals(0, answer.get("step").getAsInt());
        JsonObject rebuilt = answer.getAsJsonObject("analysis");
        assertTrue(rebuilt.get("ok").getAsBoolean(), "Reset builds the model shown, not the mistyped text: " + rebuilt);
        assertEquals(version + 1, rebuilt.getAsJsonObject("model").get("version").getAsInt());
        assertEquals("0.15", rebuilt.getAsJsonObject("model").getAsJsonArray("params").get(0).getAsJsonObject()
                .getAsJsonArray("value").get(0).getAsString(), "w1 is back where the text puts it");
    }

    @Test
    void trainingFramesArriveAsServerSentEvents() throws Exception {
        try (Stream<String> events = listen()) {
            Iterator<String> lines = events.iterator();
            assertEquals("event: hello", lines.next());
            assertEquals("data: {\"running\":false,\"step\":0}", lines.next());
            JsonObject step = new JsonObject();
            step.addProperty("action", "step");
            step.addProperty("optimizer", "sgd");
            step.addProperty("lr", 0.5);
            step.addProperty("steps", 1);
            assertEquals("{\"running\":false,\"step\":1}", post("/api/train", step).body());
            String line = lines.next();
            while (line.isEmpty() || line.startsWith(":")) {
                line = lines.next();
            }
            assertEquals("event: train", line);
            JsonObject frame = JsonParser.parseString(lines.next().substring("data: ".length())).getAsJsonObject();
            assertEquals(1, frame.get("step").getAsInt());
            var losses = frame.getAsJsonArray("losses");
            assertEquals(2, losses.size(), "the loss before the step, and after it");
            assertEquals("0.298371109", dev.chainrule.print.Numbers.format(losses.get(0).getAsJsonArray().get(1).getAsDouble(), 9));
            assertEquals(frame.get("loss").getAsString(),
                    dev.chainrule.print.Numbers.format(losses.get(1).getAsJsonArray().get(1).getAsDouble(), 9));
            assertTrue(frame.get("lossValue").getAsDouble() < 0.298371109);
        }
    }
}
