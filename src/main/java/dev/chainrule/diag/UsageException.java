package dev.chainrule.diag;

/**
 * A mistake that has no place in a model's text: a file that cannot be read, a missing flag. It
 * is reported as {@code chainrule: message} and exits with status 2.
 */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
