package dev.chainrule.diag;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" suggestions: the closest known name by edit distance, if it is close enough. */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * The known name closest to {@code wrong}, within a distance that scales with its length. Of
     * names equally close, the one that starts as {@code wrong} does for longest wins ('sinn' is
     * 'sin' with a key held, not 'sign'), then the first in alphabetical order.
     */
    public static Optional<String> closest(String wrong, Collection<String> known) {
        String typed = wrong.toLowerCase(java.util.Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestPrefix = -1;
        for (String candidate : known) {
            String lower = candidate.toLowerCase(java.util.Locale.ROOT);
            int d = distance(typed, lower);
            int prefix = commonPrefix(typed, lower);
            boolean closer = d < bestDistance || d == bestDistance && (prefix > bestPrefix
                    || prefix == bestPrefix && candidate.compareTo(best) < 0);
            if (closer) {
                best = candidate;
                bestDistance = d;
                bestPrefix = prefix;
            }
        }
        int allowed = Math.max(1, Math.min(3, wrong.length() / 3 + 1));
        // a name replaced whole is no near miss: 'g' is not a typo of 'T'
        boolean shares = best != null && bestDistance < Math.max(wrong.length(), best.length());
        return best != null && bestDistance <= allowed && shares ? Optional.of(best) : Optional.empty();
    }

    /** {@code "; did you mean 'x'?"} or the empty string. */
    public static String didYouMean(String wrong, Collection<String> known) {
        return closest(wrong, known).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
