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
        String quick = quickly(value, digits);
        return quick != null ? quick : formatExactly(value, digits);
    }

    /** {@link #format} from the exact binary value, in decimal: what the quick path must always agree with. */
    static String formatExactly(double value, int digits) {
        BigDecimal exact = new BigDecimal(value);
        BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        return render(rounded, rounded.compareTo(exact) != 0);
    }

    /** Exact powers of ten as doubles: 10^22 is the largest. */
    private static final double[] TENS = new double[23];

    static {
        TENS[0] = 1;
        for (int i = 1; i < TENS.length; i++) {
            TENS[i] = TENS[i - 1] * 10;
        }
    }

    /**
     * {@link #format} without decimal arithmetic, for the common case, or null to leave it to the
     * exact path. The value is scaled by an exact power of ten to {@code digits} digits before
     * the point in one correctly rounded operation, off by at most half an ulp of the scaled
     * number (under 2^-22 of a unit for 15 digits or fewer); when the fraction left is further
     * than that from one half, rounding it cannot go the other way than rounding the exact value
     * would. Values whose plain notation could show false zeros (from 10^digits up) and scalings
     * past 10^22 take the exact path.
     */
    private static String quickly(double value, int digits) {
        if (digits > 15) {
            return null;
        }
        double magnitude = Math.abs(value);
        int exponent = (int) Math.floor(Math.log10(magnitude));
        int shift = digits - 1 - exponent;
        if (exponent >= digits || Math.abs(shift) >= TENS.length) {
            return null;
        }
        double scaled = shift >= 0 ? magnitude * TENS[shift] : magnitude / TENS[-shift];
        double low = TENS[digits - 1];
        if (scaled < low || scaled >= low * 10) {
            return null; // log10 was off by one near a power of ten: leave it to the exact path
        }
        double whole = Math.floor(scaled);
        double fraction = scaled - whole;
        if (Math.abs(fraction - 0.5) <= 1e-6) {
            return null; // too near a tie to tell from here
        }
        long kept = (long) whole + (fraction > 0.5 ? 1 : 0);
        if (kept == (long) (low * 10)) {
            kept /= 10;
            exponent++;
            if (exponent >= digits) {
                return null;
            }
        }
        // the digits kept, without trailing zeros, then the decimal point placed by the exponent
        int scale = digits - 1 - exponent;
        int precision = digits; // kept has exactly 'digits' digits until its zeros are dropped
        while (kept % 10 == 0 && kept != 0) {
            kept /= 10;
            scale--;
            precision--;
        }
        if (exponent >= precision) {
            return null; // a whole number ending in zeros: whether it was rounded decides how it is written
        }
        return render(BigDecimal.valueOf(value < 0 ? -kept : kept, scale), true);
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
