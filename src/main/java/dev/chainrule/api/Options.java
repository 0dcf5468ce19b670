package dev.chainrule.api;

import dev.chainrule.check.GradientCheck;
import dev.chainrule.print.Format;
import dev.chainrule.print.Numbers;

/**
 * How results are written and checked.
 *
 * @param format notation of expressions and explanations
 * @param digits significant digits of printed numbers
 * @param rtol   relative tolerance of gradient checks
 * @param atol   absolute tolerance of gradient checks
 * @param out     where plots are written; null for the model file's folder
 * @param samples how many elements a check compares at most (a seeded sample); 0 for all
 */
public record Options(Format format, int digits, double rtol, double atol, java.nio.file.Path out, int samples) {

    public static Options defaults() {
        return new Options(Format.TEXT, Numbers.DEFAULT_DIGITS, GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL, null, 0);
    }

    /** The same options writing plots under {@code out}. */
    public Options withOut(java.nio.file.Path out) {
        return new Options(format, digits, rtol, atol, out, samples);
    }

    /** The same options checking at most {@code samples} elements. */
    public Options withSamples(int samples) {
        return new Options(format, digits, rtol, atol, out, samples);
    }
}
