package dev.chainrule.cli;

import dev.chainrule.diag.UsageException;

/**
 * A flag whose value is out of its range: reported on the command line itself, with a caret
 * under the value, like any other bad flag.
 */
final class FlagException extends UsageException {
    private final String flag;

    FlagException(String flag, String message) {
        super(message);
        this.flag = flag;
    }

    /** The flag, as {@code --digits}. */
    String flag() {
        return flag;
    }
}
