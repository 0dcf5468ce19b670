package dev.chainrule.print;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.chainrule.testing.Seeds;
import org.junit.jupiter.api.Test;

/**
 * {@link Numbers#format}'s quick path (scaling by a power of ten in double arithmetic) writes
 * exactly what rounding the exact binary value in decimal writes, for any double and any count of
 * digits; above all next to the rounding boundaries, where an error of an ulp could tip it.
 */
class NumbersProperties {
    private static void same(double value, int digits) {
        if (Double.isFinite(value)) {
            assertEquals(Numbers.formatExactly(value == 0 ? 1 : value, digits), Numbers.format(value == 0 ? 1 : value, digits),
                    () -> "value " + value + " (bits " + Long.toHexString(Double.doubleToRawLongBits(value)) + ") to " + digits);
        }
    }

    @Test
    void anyBitPatternIsWrittenAsItsExactValueRounds() {
        Seeds.qt().withExamples(100_000).forAll(longs().all(), integers().between(1, 17))
                .checkAssert((bits, digits) -> same(Double.longBitsToDouble(bits), digits));
    }

    @Test
    void ordinaryMagnitudesAreWrittenAsTheirExactValuesRound() {
        Seeds.qt().withExamples(100_000).forAll(doubles().between(-1e6, 1e6), integers().between(1, 12))
                .checkAssert(NumbersProperties::same);
    }

    @Test
    void decimalsOnAndBesideARoundingBoundaryAreWrittenAsTheirExactValuesRound() {
        // d…d5 × 10^e with 'digits' digits kept, and the doubles on either side of it
        Seeds.qt().withExamples(60_000).forAll(longs().between(1, 999_999_999_999_999L), integers().between(1, 16),
                integers().between(-330, 300)).checkAssert((mantissa, digits, exponent) -> {
                    String kept = Long.toString(mantissa);
                    double tie = Double.parseDouble(kept.substring(0, Math.min(kept.length(), digits)) + "5e" + exponent);
                    for (double v : new double[] {tie, Math.nextUp(tie), Math.nextDown(tie), -tie}) {
                        same(v, digits);
                    }
                });
    }

    @Test
    void powersOfTenAndTwoWholeNumbersAndTheirNeighbours() {
        for (int digits = 1; digits <= 17; digits++) {
            for (int k = -1074; k <= 1023; k++) {
                same(Math.scalb(1.0, k), digits);
            }
            for (int k = -323; k <= 308; k++) {
                double ten = Double.parseDouble("1e" + k);
                same(ten, digits);
                same(Math.nextUp(ten), digits);
                same(Math.nextDown(ten), digits);
            }
            for (long n = 1; n < 1L << 62; n = n * 3 + 1) {
                same(n, digits);
                same(n * 10.0, digits);
                same(n - 0.5, digits);
            }
        }
    }
}
