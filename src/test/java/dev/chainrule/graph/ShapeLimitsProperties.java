package dev.chainrule.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.chainrule.testing.Seeds;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.ShapeException;

/**
 * Element counts are exact and every node is held to its graph's limit: for random dimensions
 * whose product lies near 2^31, 2^32, 2^62 and near a random limit, a broadcast, a matrix product
 * or a leaf of that shape is made exactly when the exact product is within the limit, and then
 * knows its exact size; otherwise it is refused with the limit named. Leaves have shapes but no
 * values, so shapes of billions of elements are tried without allocating them.
 */
class ShapeLimitsProperties {
    /** Dimensions whose products straddle 2^31 (the int boundary), 2^32 and 2^62. */
    private static final Gen<Integer> NEAR_INT_BOUNDARY = integers().between(46_000, 46_500)
            .mix(integers().between(65_530, 65_540))
            .mix(integers().between(2_147_483_000, Integer.MAX_VALUE));

    private static Limits limits(long maxElements) {
        return Limits.DEFAULT.withMaxElements(maxElements);
    }

    private static void check(Graph graph, int rows, int cols, java.util.function.Supplier<Node> make) {
        BigInteger exact = BigInteger.valueOf(rows).multiply(BigInteger.valueOf(cols));
        long limit = graph.limits().maxElements();
        if (exact.compareTo(BigInteger.valueOf(limit)) > 0) {
            ShapeException e = assertThrows(ShapeException.class, make::get, rows + " × " + cols);
            assertEquals("a value of " + rows + " × " + cols + " elements is more than the limit of " + limit
                    + " (--max-elements)", e.getMessage());
        } else {
            assertEquals(exact.longValueExact(), make.get().shape().elements(), rows + " × " + cols);
        }
    }

    @Test
    void broadcastsProductsAndLeavesNearTheIntBoundaryAreExactOrRefused() {
        Seeds.qt().withExamples(400).forAll(NEAR_INT_BOUNDARY, NEAR_INT_BOUNDARY, longs().between(1, Limits.HARD_MAX_ELEMENTS))
                .checkAssert((rows, cols, limit) -> {
                    Graph graph = new Graph(limits(limit));
                    // vectors are leaves (shapes, no values); one longer than the limit is refused itself
                    if (rows > limit) {
                        assertThrows(ShapeException.class, () -> graph.leaf("a", LeafKind.INPUT, Shape.of(rows, 1)));
                        return;
                    }
                    if (cols > limit) {
                        assertThrows(ShapeException.class, () -> graph.leaf("b", LeafKind.INPUT, Shape.of(1, cols)));
                        return;
                    }
                    Node column = graph.leaf("a", LeafKind.INPUT, Shape.of(rows, 1));
                    Node row = graph.leaf("b", LeafKind.INPUT, Shape.of(1, cols));
                    check(graph, rows, cols, () -> graph.node(Op.ADD, column, row));
                    check(graph, rows, cols, () -> graph.node(Op.MUL, row, column));
                    check(graph, rows, cols, () -> graph.node(Op.MATMUL, column, row));
                    check(graph, rows, cols, () -> graph.leaf("c", LeafKind.PARAM, Shape.of(rows, cols)));
                });
    }

    @Test
    void shapesNearARandomLimitAreMadeExactlyWhenTheyFit() {
        Seeds.qt().withExamples(400).forAll(integers().between(1, 3000), integers().between(1, 3000),
                        longs().between(1, 9_000_000))
                .checkAssert((rows, cols, limit) -> {
                    Graph graph = new Graph(limits(limit));
                    if (rows > limit || cols > limit) {
                        return;
                    }
                    Node column = graph.leaf("a", LeafKind.INPUT, Shape.of(rows, 1));
                    Node row = graph.leaf("b", LeafKind.INPUT, Shape.of(cols));
                    check(graph, rows, cols, () -> graph.node(Op.SUB, column, row));
                    check(graph, rows, cols, () -> graph.node(Op.MATMUL, column, graph.node(Op.RESHAPE, new int[] {1, cols}, row)));
                });
    }

    @Test
    void elementCountsSaturateInsteadOfOverflowing() {
        assertEquals(4_294_967_296L, Shape.of(65_536, 65_536).elements());
        assertEquals(Long.MAX_VALUE, Shape.of(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).elements());
        assertEquals(0, Shape.of(Integer.MAX_VALUE, 0, Integer.MAX_VALUE).elements());
        assertEquals(4_294_967_296L, Shape.broadcast(Shape.of(65_536, 1), Shape.of(1, 65_536)).elements());
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(65_536, 65_536).size());
        assertEquals("a value of 65536 × 65536 elements is more than a Java array holds (2147483639)", e.getMessage());
    }

    @Test
    void twoGraphsKeepTheirOwnLimits() throws Exception {
        Graph strict = new Graph(limits(10));
        Graph loose = new Graph(limits(1000));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 200; i++) {
                String name = "x" + i;
                var a = pool.submit(() -> assertThrows(ShapeException.class, () -> strict.leaf(name, LeafKind.INPUT, Shape.of(4, 4))));
                var b = pool.submit(() -> loose.leaf(name, LeafKind.INPUT, Shape.of(4, 4)));
                a.get();
                assertEquals(16, b.get().shape().elements());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
