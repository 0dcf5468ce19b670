package dev.chainrule.api;

import dev.chainrule.check.GradientCheck;
import dev.chainrule.print.Format;
import dev.chainrule.print.Numbers;
import java.nio.file.Path;

/**
 * How results are written and checked.
 *
 * @param format   notation of expressions and explanations
 * @param digits   significant digits of printed numbers
 * @param rtol     relative tolerance of gradient checks
 * @param atol     absolute tolerance of gradient checks
 * @param out      the folder files are written in (plots), and below which every write stays;
 *                 null for the model file's folder
 * @param samples  how many elements a check compares at most (a seeded sample); 0 for all
 * @param force    replace an existing file even when it is not of the kind chainrule writes there
 * @param inline   plots are shown where the results are (a notebook), and written to a file only
 *                 when the statement names one ({@code plot loss to "loss.png"})
 * @param full     tensors are printed whole, not summarised by their shape and edges
 */
public record Options(Format format, int digits, double rtol, double atol, Path out, int samples, boolean force,
                      boolean inline, boolean full) {

    public static Options defaults() {
        return new Options(Format.TEXT, Numbers.DEFAULT_DIGITS, GradientCheck.DEFAULT_RTOL, GradientCheck.DEFAULT_ATOL, null, 0,
                false, false, false);
    }

    /** The same options writing files under {@code out}. */
    public Options withOut(Path out) {
        return new Options(format, digits, rtol, atol, out, samples, force, inline, full);
    }

    /** The same options checking at most {@code samples} elements. */
    public Options withSamples(int samples) {
        return new Options(format, digits, rtol, atol, out, samples, force, inline, full);
    }

    /** The same options showing plots inline (a notebook), writing them only where a statement asks. */
    public Options inlinePlots() {
        return new Options(format, digits, rtol, atol, out, samples, force, true, full);
    }

    /** The same options writing in {@code format}. */
    public Options withFormat(Format format) {
        return new Options(format, digits, rtol, atol, out, samples, force, inline, full);
    }

    /** The same options printing tensors whole ({@code full}) or summarised. */
    public Options printingWhole(boolean full) {
        return new Options(format, digits, rtol, atol, out, samples, force, inline, full);
    }

    /** The same options replacing existing files of other kinds too. */
    public Options forcing(boolean force) {
        return new Options(format, digits, rtol, atol, out, samples, force, inline, full);
    }
}
