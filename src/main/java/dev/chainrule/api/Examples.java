package dev.chainrule.api;

import dev.chainrule.diag.Source;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.diag.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The example models packed in the jar, under {@code /examples}, listed in its {@code index.txt}. */
public final class Examples {
    /** The example {@code demo} runs. */
    public static final String DEMO = "backprop-2-2-2";

    private Examples() {
    }

    /** Example name to its one-line description (the first comment of the file). */
    public static Map<String, String> list() {
        Map<String, String> examples = new LinkedHashMap<>();
        for (String name : read("index.txt").split("\n")) {
            if (!name.isBlank()) {
                String text = read(name.trim() + ".chain");
                String first = text.lines().filter(l -> l.startsWith("#")).findFirst().orElse("#");
                examples.put(name.trim(), first.substring(1).trim());
            }
        }
        return examples;
    }

    public static Source source(String name) {
        Map<String, String> known = list();
        if (!known.containsKey(name)) {
            List<String> names = new ArrayList<>(known.keySet());
            throw new UsageException("no example named '" + name + "'" + Suggestions.didYouMean(name, names)
                    + " (see 'chainrule examples')");
        }
        return new Source("example:" + name, read(name + ".chain"));
    }

    private static String read(String file) {
        try (InputStream in = Examples.class.getResourceAsStream("/examples/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing resource /examples/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource /examples/" + file, e);
        }
    }
}
