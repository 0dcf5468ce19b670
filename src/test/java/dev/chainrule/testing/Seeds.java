package dev.chainrule.testing;

import org.quicktheories.QuickTheory;

/**
 * The seed of every property test. CI runs the fixed default so that a red build can be
 * reproduced; {@code -Dchainrule.seed=N} runs another, {@code -Dchainrule.seed=random} a new one
 * each run, printed so that a failure can be repeated.
 */
public final class Seeds {
    public static final long SEED = seed();

    private Seeds() {
    }

    private static long seed() {
        String seed = System.getProperty("chainrule.seed", "20261127");
        if (!seed.equals("random")) {
            return Long.parseLong(seed);
        }
        long random = System.nanoTime();
        System.err.println("property tests: seed " + random + " (-Dchainrule.seed=" + random + " repeats it)");
        return random;
    }

    /** A QuickTheories runner at {@link #SEED}. */
    public static QuickTheory qt() {
        return QuickTheory.qt().withFixedSeed(SEED);
    }
}
