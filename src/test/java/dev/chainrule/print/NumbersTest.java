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
        "1234567.891, 4, 1235000",
        "2.0, 9, 2",
        "-0.5, 9, -0.5",
        "1e20, 3, 1e+20",
        "0.0, 9, 0",
        "-0.0, 9, 0"})
    void significantDigits(double value, int digits, String expected) {
        assertEquals(expected, Numbers.format(value, digits));
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
