package dev.chainrule.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.graph.op.Op;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The tensor kernels against loops written the plain way: the matrix product against the
 * textbook triple loop (same bits: every output is summed in k order), the element-wise loops of
 * each broadcast case against an index computed per element.
 */
class KernelsTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(20261127);

    private static Tensor random(int... dims) {
        Shape shape = Shape.of(dims);
        double[] data = new double[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = RANDOM.nextDouble(-2, 2);
        }
        return Tensor.of(shape, data);
    }

    private static double[] textbook(Tensor a, Tensor b, int m, int n, int p) {
        double[] out = new double[m * p];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < p; j++) {
                double c = 0;
                for (int k = 0; k < n; k++) {
                    c += a.get(i * n + k) * b.get(k * p + j);
                }
                out[i * p + j] = c;
            }
        }
        return out;
    }

    /** Narrow and wide, with edges of every width, one row, one column, and products big enough to split over threads. */
    @Test
    void matrixProductsAreTheTextbookSumsBitForBit() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 2}, {4, 4, 4}, {5, 7, 3}, {7, 3, 31}, {6, 9, 32}, {9, 17, 33}, {13, 2, 70},
            {64, 784, 10}, {64, 100, 128}, {130, 64, 129}, {1, 50, 40}, {50, 40, 1}};
        for (int[] s : sizes) {
            Tensor a = random(s[0], s[1]);
            Tensor b = random(s[1], s[2]);
            Tensor product = Tensor.matmul(a, b);
            assertEquals(Shape.of(s[0], s[2]), product.shape());
            assertArrayEquals(textbook(a, b, s[0], s[1], s[2]), product.toArray(), 0.0, java.util.Arrays.toString(s));
        }
    }

    @Test
    void vectorsAreRowsOnTheLeftAndColumnsOnTheRight() {
        Tensor v = random(40);
        Tensor m = random(40, 35);
        assertArrayEquals(textbook(v, m, 1, 40, 35), Tensor.matmul(v, m).toArray(), 0.0);
        assertEquals(Shape.of(35), Tensor.matmul(v, m).shape());
        Tensor w = random(35);
        assertArrayEquals(textbook(m, w, 40, 35, 1), Tensor.matmul(m, w).toArray(), 0.0);
        assertEquals(Shape.of(40), Tensor.matmul(m, w).shape());
    }

    /** An inf in b meets a 0 in a: NaN, as the sum written out says. */
    @Test
    void zeroTimesInfinityIsNaNInAProduct() {
        Tensor a = Tensor.of(Shape.of(1, 2), 0, 1);
        Tensor b = Tensor.of(Shape.of(2, 1), Double.POSITIVE_INFINITY, 1);
        assertEquals(Double.NaN, Tensor.matmul(a, b).get(0));
    }

    private static void assertZip(Op op, Tensor a, Tensor b) {
        Shape shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = Tensor.zip(a, b, op);
        assertEquals(shape, out.shape());
        int rank = shape.rank();
        for (int i = 0; i < shape.size(); i++) {
            // the element's index in each dimension, then its place in a and in b
            int rest = i;
            int[] index = new int[rank];
            for (int d = rank - 1; d >= 0; d--) {
                index[d] = rest % shape.dim(d);
                rest /= shape.dim(d);
            }
            double expected = op.value(a.get(place(a.shape(), index)), b.get(place(b.shape(), index)));
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(out.get(i)),
                    op + " " + a.shape() + " " + b.shape() + " at " + i);
        }
    }

    private static int place(Shape s, int[] index) {
        int place = 0;
        for (int d = 0; d < s.rank(); d++) {
            int i = index[index.length - s.rank() + d];
            place = place * s.dim(d) + (s.dim(d) == 1 ? 0 : i);
        }
        return place;
    }

    /** Same shapes, a scalar either side, a row either side, a column, and both broadcast at once. */
    @Test
    void everyBroadcastCaseGivesTheElementsOwnValues() {
        int[][][] pairs = {{{3, 4}, {3, 4}}, {{}, {3, 4}}, {{3, 4}, {}}, {{1}, {5}}, {{5}, {1, 1}}, {{3, 4}, {4}}, {{4}, {3, 4}},
            {{3, 4}, {3, 1}}, {{3, 1}, {1, 4}}, {{1, 4}, {3, 4}}, {{2, 3}, {1, 3}}, {{7}, {7}}};
        for (Op op : new Op[] {Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW, Op.MAX}) {
            for (int[][] pair : pairs) {
                Tensor a = op == Op.POW ? random(pair[0]).map(Op.ABS) : random(pair[0]);
                assertZip(op, a, random(pair[1]));
            }
        }
    }

    @Test
    void mapAppliesTheOpToEachElement() {
        Tensor a = random(3, 5);
        for (Op op : new Op[] {Op.TANH, Op.SIGMOID, Op.EXP, Op.NEG, Op.RELU}) {
            Tensor out = a.map(op);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(op.value(a.get(i), 0), out.get(i), 0.0, op.toString());
            }
        }
    }

    @Test
    void shapesThatDoNotBroadcastAreRefused() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zip(random(3, 4), random(3), Op.ADD));
        assertEquals("shapes (3×4) and (3) do not broadcast", e.getMessage());
    }
}
