package dev.chainrule.tensor;

/**
 * A value an operation cannot take although its shape fits: a label that is not one of the
 * classes, say. The forward sweep reports it at the operation's place.
 */
public final class DomainException extends RuntimeException {
    public DomainException(String message) {
        super(message);
    }
}
