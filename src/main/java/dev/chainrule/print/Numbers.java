package dev.chainrule.print;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as people read them: a chosen count of significant digits, trailing zeros dropped,
 * plain notation for ordinary magnitudes and {@code 3.51019e-05} style for very small or large
 * ones. A rounded number never shows zeros that look like digits: 2^40 to 9 digits is
 * {@code 1.09951163e+12}, not {@code 1099511630000}, while an exact 1000000 stays as it is.
 */
public final class Numbers {
    /** Significant digits used when none are asked for. */
    public static final int DEFAULT_DIGITS = 9;

    private Numbers() {
    }

    /** {@code value} to {@value #DEFAULT_DIGITS} significant digits. */
    public static String format(double value) {
        return format(value, DEFAULT_DIGITS);
    }

    /** {@code value} rounded (half-even) to {@code digits} significant digits. */
    public static String format(double value, int digits) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(value);
        BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        return render(rounded, rounded.compareTo(exact) != 0);
    }

    /** The shortest text that reads back as exactly {@code value} (for constants in expressions). */
    public static String shortest(double value) {
        if (!Double.isFinite(value)) {
            return Double.isNaN(value) ? "NaN" : value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return "0";
        }
        return render(new BigDecimal(Double.toString(value)), false);
    }

    /**
     * Plain notation for magnitudes from 1e-4 to 1e15, unless the number was rounded and plain
     * notation would show zeros past its significant digits; scientific otherwise.
     */
    private static String render(BigDecimal number, boolean rounded) {
        BigDecimal stripped = number.stripTrailingZeros();
        int exponent = stripped.precision() - stripped.scale() - 1;
        boolean falseZeros = rounded && exponent >= stripped.precision();
        if (exponent >= -4 && exponent < 15 && !falseZeros) {
            return stripped.toPlainString();
        }
        String digits = stripped.unscaledValue().abs().toString();
        StringBuilder s = new StringBuilder();
        if (stripped.signum() < 0) {
            s.append('-');
        }
        s.append(digits.charAt(0));
        if (digits.length() > 1) {
            s.append('.').append(digits, 1, digits.length());
        }
        s.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            s.append('0');
        }
        return s.append(magnitude).toString();
    }
}
