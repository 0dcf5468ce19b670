package dev.chainrule.print;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Printed text made of pieces that are not copied as they are combined: an expression is written
 * bottom-up from the texts of its operands, and copying each operand into its parent would cost
 * the square of the depth (sin∘…∘sin 10,000 deep took 3.7 GB). A piece keeps references to its
 * parts, and the whole is written out once, at the end, by a loop (no recursion).
 */
final class Text {
    private static final Object[] NONE = new Object[0];

    /** Strings and other texts, in order. */
    private final Object[] parts;
    private final char first;

    private Text(Object[] parts, char first) {
        this.parts = parts;
        this.first = first;
    }

    /** The text of these parts (strings and texts), in order. */
    static Text of(Object... parts) {
        char first = 0;
        for (Object part : parts) {
            first = part instanceof Text t ? t.first : ((String) part).isEmpty() ? 0 : ((String) part).charAt(0);
            if (first != 0) {
                break;
            }
        }
        return new Text(parts.length == 0 ? NONE : parts.clone(), first);
    }

    /** The first character, or 0 for empty text. */
    char first() {
        return first;
    }

    /** The whole text, written out. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        Deque<Object> work = new ArrayDeque<>();
        work.push(this);
        while (!work.isEmpty()) {
            Object part = work.pop();
            if (part instanceof Text t) {
                for (int i = t.parts.length - 1; i >= 0; i--) {
                    work.push(t.parts[i]);
                }
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }
}
