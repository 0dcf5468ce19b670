package dev.chainrule.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The local derivative of one edge, from the op table's rule: element-wise partials, or the Jacobian row by row. */
class LocalDerivativesTest {
    private static Tensor[] values(Model m, Node of) {
        return Forward.values(m.graph(), m.scope().leafValues(), of);
    }

    @Test
    void anElementwiseEdgeIsItsPartialAtEachElement() {
        Model m = Model.parse("m.chain", "input x = [0, 1, -2]\nparam w = 3\ny = w * sin(x)\n");
        Node y = m.node("--of", "y");
        LocalDerivatives.Local byW = LocalDerivatives.of(y, 0, values(m, y));
        assertEquals(LocalDerivatives.Form.ELEMENTWISE, byW.form());
        // ∂(w·s)/∂w = s, one number for each element of the product, though w is a single number
        assertEquals(Tensor.of(Shape.of(3), Math.sin(0), Math.sin(1), Math.sin(-2)), byW.value());
        Node sin = y.input(1);
        assertEquals(Tensor.of(Shape.of(3), Math.cos(0), Math.cos(1), Math.cos(-2)), LocalDerivatives.of(sin, 0, values(m, y)).value());
    }

    @Test
    void aMatrixProductByItsMatrixIsTheVectorInTheRowOfEachOutput() {
        Model m = Model.parse("m.chain", "param W = [[1, 2], [3, 4], [5, 6]]\ninput x = [7, 8]\ny = W @ x\n");
        Node y = m.node("--of", "y");
        LocalDerivatives.Local local = LocalDerivatives.of(y, 0, values(m, y));
        assertEquals(LocalDerivatives.Form.JACOBIAN, local.form());
        assertEquals(Shape.of(3, 3, 2), local.value().shape());
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 2; k++) {
                    double expected = i == j ? 7 + k : 0;
                    assertEquals(expected, local.value().get((i * 3 + j) * 2 + k), 0.0, "∂y[" + i + "]/∂W[" + j + ", " + k + "]");
                }
            }
        }
        // and by the vector, the matrix itself
        assertEquals(Tensor.of(Shape.of(3, 2), 1, 2, 3, 4, 5, 6), LocalDerivatives.of(y, 1, values(m, y)).value());
    }

    @Test
    void softmaxHasTheJacobianOfTheTextbooks() {
        Model m = Model.parse("m.chain", "input z = [0.5, -1, 2]\np = softmax(z)\n");
        Node p = m.node("--of", "p");
        Tensor[] values = values(m, p);
        Tensor s = values[p.id()];
        Tensor jacobian = LocalDerivatives.of(p, 0, values).value();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double expected = (i == j ? s.get(i) : 0) - s.get(i) * s.get(j);
                assertEquals(expected, jacobian.get(i * 3 + j), 1e-15, "∂p[" + i + "]/∂z[" + j + "]");
            }
        }
    }

    @Test
    void aJacobianTooLargeToShowIsNotFormed() {
        Model m = Model.parse("m.chain", "input x = zeros(300, 300)\ny = sum(x, 0)\n");
        Node y = m.node("--of", "y");
        LocalDerivatives.Local local = LocalDerivatives.of(y, 0, values(m, y));
        assertEquals(LocalDerivatives.Form.TOO_LARGE, local.form());
        assertNull(local.value());
        assertEquals(Shape.of(300), local.out());
        assertEquals(Shape.of(300, 300), local.in());
    }
}
