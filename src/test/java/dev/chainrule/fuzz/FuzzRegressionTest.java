package dev.chainrule.fuzz;

import org.junit.jupiter.api.Test;

/**
 * Programs the fuzzer found that once crashed, shrunk, each kept as it was found: each must now
 * end in a result or a diagnostic, like every fuzz case.
 */
class FuzzRegressionTest {

    /** JFreeChart refused the range of a flat loss at 1e300 (1e300 ± its margin is 1e300). */
    @Test
    void aFlatLossAtAHugeValuePlots() {
        FuzzProperties.endsWell("""
                input p0 = 0.5
                param p1 = 1e300
                train p1 lr 0.1 steps 0
                plot loss
                """);
    }

    /** A literal of three dimensions was accepted, and the transpose of its sigmoid indexed past its shape. */
    @Test
    void aLiteralOfThreeDimensionsIsADiagnostic() {
        FuzzProperties.endsWell("""
                param p0 = 0.5
                input p1 = [[[1]]]
                grad p0
                v1 = ((sigmoid(sigmoid(p1)))' + p0)
                train p0 lr 0.1 steps 0
                v3 = p0
                v4 = p0
                print sigmoid(softmax(v1))
                """);
    }
}
