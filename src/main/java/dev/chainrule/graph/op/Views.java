package dev.chainrule.graph.op;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** What the scalar views of several structural operations share: new arrays, gathers, sums and maxima. */
final class Views {
    private Views() {
    }

    /** A new array of {@code like}'s element type. */
    @SuppressWarnings("unchecked")
    static <E> E[] newArray(E[] like, int length) {
        return (E[]) java.lang.reflect.Array.newInstance(like.getClass().getComponentType(), length);
    }

    /** The needed elements of a result that takes element {@code map[i]} of {@code a}. */
    static <E> E[] gather(E[] a, int[] map, BitSet needed) {
        E[] result = newArray(a, map.length);
        for (int i = 0; i < map.length; i++) {
            if (needed.get(i)) {
                result[i] = a[map[i]];
            }
        }
        return result;
    }

    /** The needed elements of a reduction: each the sum of its group of {@code a}'s elements. */
    static <E> E[] sums(Scalars<E> s, E[] a, List<List<Integer>> groups, BitSet needed) {
        E[] result = newArray(a, groups.size());
        for (int i = 0; i < result.length; i++) {
            if (needed.get(i)) {
                List<E> terms = new ArrayList<>();
                groups.get(i).forEach(k -> terms.add(a[k]));
                result[i] = s.sum(terms);
            }
        }
        return result;
    }

    /** The largest of some elements, as a chain of {@code max}: a tie keeps the earlier one, as the kernel does. */
    static <E> E largest(Scalars<E> s, E[] a, List<Integer> line) {
        E best = a[line.get(0)];
        for (int i = 1; i < line.size(); i++) {
            best = s.apply(Op.MAX, best, a[line.get(i)]);
        }
        return best;
    }
}
