package dev.chainrule.graph.op;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Shapes;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Where the elements of a structural operation's result come from, for the scalar view. */
final class ElementMaps {
    private ElementMaps() {
    }

    /** For each element of {@code to}, the element of {@code from} that broadcasting repeats there. */
    static int[] broadcast(Shape from, Shape to) {
        return positions(Tensor.positions(from).broadcastTo(to));
    }

    /** A tensor of flat positions, as the positions it holds. */
    static int[] positions(Tensor map) {
        int[] out = new int[map.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) map.get(i);
        }
        return out;
    }

    /** For each element of {@code out}, the elements of {@code in} that it sums (in row-major order). */
    static List<List<Integer>> groups(Shape in, Shape kept) {
        int[] target = broadcast(kept, in);
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            groups.add(new ArrayList<>());
        }
        for (int i = 0; i < target.length; i++) {
            groups.get(target[i]).add(i);
        }
        return groups;
    }

    /** The groups of a reduction over {@code axis} (every element when it is -1). */
    static List<List<Integer>> alongAxis(Shape in, int axis) {
        return groups(in, axis < 0 ? Shape.SCALAR : Shapes.keepAxis(in, axis));
    }

    /** Whether any of the elements is needed. */
    static boolean any(java.util.BitSet needed, List<Integer> elements) {
        for (int e : elements) {
            if (needed.get(e)) {
                return true;
            }
        }
        return false;
    }
}
