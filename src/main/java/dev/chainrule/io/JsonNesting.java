package dev.chainrule.io;

/**
 * How deep JSON text nests its arrays and objects, read without parsing it. Gson's parser
 * recurses once per level, so text nested thousands deep (a hostile params file, notebook or
 * kernel message) would overflow the stack: every reader of JSON from outside asks this first.
 */
public final class JsonNesting {
    /** Deeper than any notebook, kernel message or params file chainrule reads or writes. */
    public static final int MAX = 256;

    private JsonNesting() {
    }

    /** The deepest level of brackets and braces outside strings, counted up to {@code limit + 1}. */
    public static int deepest(String text, int limit) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                deepest = Math.max(deepest, ++depth);
                if (deepest > limit) {
                    return deepest;
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return deepest;
    }

    /** Whether the text nests deeper than {@code limit}. */
    public static boolean tooDeep(String text, int limit) {
        return deepest(text, limit) > limit;
    }
}
