package dev.chainrule.tensor;

/**
 * Shapes that an operation cannot take, such as {@code (3×2) @ (3) — inner dimensions 2 and 3
 * differ}. The model builder turns it into a diagnostic at the expression's place.
 */
public final class ShapeException extends RuntimeException {
    public ShapeException(String message) {
        super(message);
    }
}
