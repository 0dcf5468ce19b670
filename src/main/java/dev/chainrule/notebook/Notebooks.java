package dev.chainrule.notebook;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chainrule.api.Options;
import dev.chainrule.api.Result;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.UsageException;
import dev.chainrule.io.BoundedRead;
import dev.chainrule.io.FileRefused;
import dev.chainrule.io.SafeWrite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code .ipynb} notebooks in-process with a {@link CellSession}, the same code the kernel
 * uses: {@link #run} executes every code cell and writes the outputs into the file;
 * {@link #check} executes them again and names the first cell whose stored outputs differ.
 * Only {@code text/plain}, {@code text/latex} and the kinds of output are compared; pictures are
 * compared by the text that announces them.
 */
public final class Notebooks {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private Notebooks() {
    }

    /** The largest notebook read: ten times the largest shipped one, with its pictures. */
    static final long MAX_BYTES = 100_000_000;

    /** Executes every code cell and writes the outputs into the notebook file, whole or not at all. */
    public static void run(Path file) {
        JsonObject notebook = read(file);
        execute(notebook, file);
        try {
            SafeWrite.write(file, (GSON.toJson(notebook) + "\n").getBytes(StandardCharsets.UTF_8), SafeWrite.Kind.JSON, false);
        } catch (FileRefused e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Executes the notebook again and compares outputs.
     *
     * @return one line per cell whose outputs differ ({@code file: cell N: ...}); empty when current
     */
    public static List<String> check(Path file) {
        JsonObject stored = read(file);
        JsonObject fresh = read(file);
        execute(fresh, file);
        List<String> differences = new ArrayList<>();
        JsonArray a = stored.getAsJsonArray("cells");
        JsonArray b = fresh.getAsJsonArray("cells");
        for (int i = 0; i < a.size(); i++) {
            JsonObject before = a.get(i).getAsJsonObject();
            if (!"code".equals(before.get("cell_type").getAsString())) {
                continue;
            }
            String was = comparable(before);
            String now = comparable(b.get(i).getAsJsonObject());
            if (!was.equals(now)) {
                differences.add(file + ": cell " + (i + 1) + " differs:\n--- stored\n" + was + "\n--- now\n" + now);
            }
        }
        return differences;
    }

    /**
     * The notebook in {@code file}, checked to be one: a JSON object whose {@code cells} is a list of
     * objects, each with a {@code cell_type} and a {@code source} that is text or a list of texts.
     *
     * @throws UsageException naming the file and what is wrong with it
     */
    private static JsonObject read(Path file) {
        String text;
        try {
            text = BoundedRead.text(file, MAX_BYTES, "notebooks are read up to that size");
        } catch (FileRefused e) {
            throw new UsageException(e.getMessage());
        }
        JsonElement root;
        if (dev.chainrule.io.JsonNesting.tooDeep(text, dev.chainrule.io.JsonNesting.MAX)) {
            throw new UsageException(file + ": not a notebook: it nests its JSON more than " + dev.chainrule.io.JsonNesting.MAX + " deep");
        }
        try {
            root = JsonParser.parseString(text);
        } catch (RuntimeException e) {
            throw new UsageException(file + ": not a notebook: not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (!root.isJsonObject()) {
            throw new UsageException(file + ": not a notebook: a notebook is a JSON object");
        }
        JsonObject notebook = root.getAsJsonObject();
        if (!notebook.has("cells") || !notebook.get("cells").isJsonArray()) {
            throw new UsageException(file + ": not a notebook: it has no list of cells");
        }
        JsonArray cells = notebook.getAsJsonArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            String problem = problem(cells.get(i));
            if (problem != null) {
                throw new UsageException(file + ": not a notebook: cell " + (i + 1) + " " + problem);
            }
        }
        return notebook;
    }

    /** What is wrong with a cell, or null. */
    private static String problem(JsonElement element) {
        if (!element.isJsonObject()) {
            return "is not a JSON object";
        }
        JsonObject cell = element.getAsJsonObject();
        JsonElement type = cell.get("cell_type");
        if (type == null || !type.isJsonPrimitive() || !type.getAsJsonPrimitive().isString()) {
            return "has no cell_type";
        }
        if (cell.has("outputs") && !cell.get("outputs").isJsonArray()) {
            return "has outputs that are not a list";
        }
        JsonElement source = cell.get("source");
        if (source == null || source.isJsonNull()) {
            return "has no source";
        }
        if (source.isJsonPrimitive() && source.getAsJsonPrimitive().isString()) {
            return null;
        }
        if (!source.isJsonArray()) {
            return "has a source that is neither text nor a list of lines";
        }
        for (JsonElement line : source.getAsJsonArray()) {
            if (!line.isJsonPrimitive() || !line.getAsJsonPrimitive().isString()) {
                return "has a source line that is not text";
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static void execute(JsonObject notebook, Path file) {
        notebook.addProperty("nbformat", 4);
        notebook.addProperty("nbformat_minor", 5);
        Path folder = file.toAbsolutePath().getParent();
        CellSession session = new CellSession(Options.defaults().inlinePlots().withOut(folder));
        int count = 0;
        int index = 0;
        for (JsonElement element : notebook.getAsJsonArray("cells")) {
            JsonObject cell = element.getAsJsonObject();
            index++;
            if (!cell.has("id")) {
                cell.addProperty("id", "cell-" + index);
            }
            if (!"code".equals(cell.get("cell_type").getAsString())) {
                continue;
            }
            count++;
            JsonArray outputs = new JsonArray();
            try {
                CellSession.CellResult result = session.execute(source(cell));
                if (!result.rebuilt().isEmpty()) {
                    outputs.add(stream("rebuilt on the new definitions: " + String.join(", ", result.rebuilt()) + "\n"));
                }
                for (Result r : result.results()) {
                    outputs.add(display(Outputs.bundle(r, session.options())));
                }
            } catch (ChainException e) {
                outputs.add(error(e));
            }
            cell.add("outputs", outputs);
            cell.addProperty("execution_count", count);
        }
    }

    private static String source(JsonObject cell) {
        JsonElement source = cell.get("source");
        if (source.isJsonArray()) {
            StringBuilder text = new StringBuilder();
            source.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
            return text.toString();
        }
        return source.getAsString();
    }

    private static JsonObject display(Map<String, String> bundle) {
        JsonObject output = new JsonObject();
        output.addProperty("output_type", "display_data");
        JsonObject data = new JsonObject();
        bundle.forEach((mime, text) -> data.add(mime, mime.startsWith("image/") ? new com.google.gson.JsonPrimitive(text) : lines(text)));
        output.add("data", data);
        output.add("metadata", new JsonObject());
        return output;
    }

    private static JsonObject stream(String text) {
        JsonObject output = new JsonObject();
        output.addProperty("output_type", "stream");
        output.addProperty("name", "stdout");
        output.add("text", lines(text));
        return output;
    }

    private static JsonObject error(ChainException e) {
        JsonObject output = new JsonObject();
        output.addProperty("output_type", "error");
        output.addProperty("ename", e.kind().name().charAt(0) + e.kind().name().substring(1).toLowerCase(java.util.Locale.ROOT) + " error");
        output.addProperty("evalue", e.getMessage());
        JsonArray traceback = new JsonArray();
        for (String line : Outputs.traceback(e)) {
            traceback.add(line);
        }
        output.add("traceback", traceback);
        return output;
    }

    /** Text as notebooks store it: a list of lines, each but the last ending in a newline. */
    private static JsonArray lines(String text) {
        JsonArray lines = new JsonArray();
        String[] parts = text.split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i < parts.length - 1) {
                lines.add(parts[i] + "\n");
            } else if (!parts[i].isEmpty()) {
                lines.add(parts[i]);
            }
        }
        return lines;
    }

    /**
     * What check compares of a code cell: each output's kind and its text forms. Stored outputs
     * are whatever the file holds: one that is not of Jupyter's form is shown as it is (and so
     * differs from a fresh one), never taken apart blindly.
     */
    private static String comparable(JsonObject cell) {
        StringBuilder s = new StringBuilder();
        JsonElement stored = cell.get("outputs");
        if (stored == null || !stored.isJsonArray()) {
            return stored == null ? "" : "[outputs: " + stored + "]\n";
        }
        for (JsonElement element : stored.getAsJsonArray()) {
            JsonElement type = element.isJsonObject() ? element.getAsJsonObject().get("output_type") : null;
            if (type == null || !type.isJsonPrimitive()) {
                s.append("[not an output: ").append(element).append("]\n");
                continue;
            }
            JsonObject output = element.getAsJsonObject();
            s.append("[").append(type.getAsString()).append("]\n");
            if (output.get("data") instanceof JsonObject data) {
                for (String mime : new String[] {"text/plain", "text/latex"}) {
                    if (data.has(mime)) {
                        s.append(text(data.get(mime))).append('\n');
                    }
                }
            } else if (output.has("text")) {
                s.append(text(output.get("text"))).append('\n');
            } else if (output.get("traceback") instanceof JsonArray traceback) {
                traceback.forEach(line -> s.append(line.isJsonPrimitive() ? line.getAsString() : line.toString()).append('\n'));
            }
        }
        return s.toString();
    }

    /** A text as notebooks store it (a string, or a list of lines), or the JSON of anything else. */
    private static String text(JsonElement value) {
        if (value.isJsonArray()) {
            StringBuilder s = new StringBuilder();
            for (JsonElement line : value.getAsJsonArray()) {
                s.append(line.isJsonPrimitive() ? line.getAsString() : line.toString()).append(line.isJsonPrimitive() ? "" : "\n");
            }
            return s.toString();
        }
        return value.isJsonPrimitive() ? value.getAsString() : value.toString();
    }
}
