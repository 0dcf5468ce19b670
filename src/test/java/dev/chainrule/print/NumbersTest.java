package dev.chainrule.print;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumbersTest {

    @ParameterizedTest
    @CsvSource({
        "0.0821670405642, 9, 0.0821670406",
        "0.298371109, 9, 0.298371109",
        "3.5101877829788e-05, 6, 3.51019e-05",
        "0.00012345678, 3, 0.000123",
        "1234567.891, 4, 1.235e+06",
        "1099511627776, 9, 1.09951163e+12",
        "1073741824, 9, 1.07374182e+09",
        "1073741824, 10, 1073741824",
        "1000000, 3, 1000000",
        "12345678.91, 9, 12345678.9",
        "-1234567.891, 4, -1.235e+06",
        "2.0, 9, 2",
        "-0.5, 9, -0.5",
        "1e20, 3, 1e+20",
        "0.0, 9, 0",
        "-0.0, 9, 0"})
    void significantDigits(double value, int digits, String expected) {
        assertEquals(expected, Numbers.format(value, digits));
    }

    /**
     * A number written without a point or an exponent is exact: whatever the value and the
     * digits, plain integer text means the value is that integer (rounding shows as 1.2e+12).
     */
    @org.junit.jupiter.api.Test
    void plainIntegersAreExact() {
        dev.chainrule.testing.Seeds.qt().withExamples(2000)
                .forAll(org.quicktheories.generators.SourceDSL.doubles().between(-1e16, 1e16)
                        .mix(org.quicktheories.generators.SourceDSL.longs().between(-100_000_000_000_000L, 100_000_000_000_000L)
                                .map(l -> (double) l)), org.quicktheories.generators.SourceDSL.integers().between(1, 17))
                .checkAssert((value, digits) -> {
                    String text = Numbers.format(value, digits);
                    if (!text.contains(".") && !text.contains("e")) {
                        assertEquals(0, new java.math.BigDecimal(text).compareTo(new java.math.BigDecimal(value)),
                                value + " to " + digits + " digits is " + text);
                    }
                    assertEquals(Double.parseDouble(text), value, Math.abs(value) * Math.pow(10, 1 - digits), text);
                });
    }

    @ParameterizedTest
    @CsvSource({"0.1, 0.1", "1e-7, 1e-07", "0.35, 0.35", "3.0, 3", "123456.5, 123456.5"})
    void shortest(double value, String expected) {
        assertEquals(expected, Numbers.shortest(value));
    }

    @ParameterizedTest
    @CsvSource({"NaN, NaN", "Infinity, inf", "-Infinity, -inf"})
    void nonFinite(double value, String expected) {
        assertEquals(expected, Numbers.format(value));
    }
}
