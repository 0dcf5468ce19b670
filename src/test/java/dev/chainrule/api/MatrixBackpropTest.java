package dev.chainrule.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainrule.check.CheckReport;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.model.Scope;
import dev.chainrule.testing.Golden;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seed 002's 2-2-2 network written with matrices gives the scalar version's numbers. */
class MatrixBackpropTest {
    static final String MATRIX = """
            input x = [0.05, 0.10]
            input t = [0.01, 0.99]
            param W1 = [[0.15, 0.20], [0.25, 0.30]]
            param b1 = 0.35
            param W2 = [[0.40, 0.45], [0.50, 0.55]]
            param b2 = 0.60
            net_h = W1 @ x + b1
            out_h = sigmoid(net_h)
            net_o = W2 @ out_h + b2
            out_o = sigmoid(net_o)
            E = sum(0.5*(t - out_o)^2)
            """;

    private final Model matrix = Model.parse("matrix.chain", MATRIX);
    private final Model scalar = Golden.exampleModel("backprop-2-2-2", "# The forward pass.");

    private double scalarValue(String name) {
        return scalar.value(scalar.scope().lookup(name)).item();
    }

    @Test
    void forwardPassEqualsTheScalarModel() {
        Scope s = matrix.scope();
        assertEquals(Shape.of(2), s.lookup("out_h").shape());
        Tensor outH = matrix.value(s.lookup("out_h"));
        Tensor outO = matrix.value(s.lookup("out_o"));
        assertEquals(scalarValue("out_h1"), outH.get(0), 1e-15);
        assertEquals(scalarValue("out_h2"), outH.get(1), 1e-15);
        assertEquals(scalarValue("out_o1"), outO.get(0), 1e-15);
        assertEquals(scalarValue("out_o2"), outO.get(1), 1e-15);
        assertEquals(scalarValue("E"), matrix.value(s.lookup("E")).item(), 1e-15);
    }

    @Test
    void everyGradientEqualsTheScalarModelTo1e12() {
        Map<String, Tensor> g = matrix.gradient(matrix.scope().lookup("E"), matrix.scope().params());
        Map<String, Tensor> s = scalar.gradient(scalar.scope().lookup("E"), scalar.scope().params());
        String[] w1 = {"w1", "w2", "w3", "w4"};
        String[] w2 = {"w5", "w6", "w7", "w8"};
        for (int i = 0; i < 4; i++) {
            assertEquals(s.get(w1[i]).item(), g.get("W1").get(i), 1e-12, w1[i]);
            assertEquals(s.get(w2[i]).item(), g.get("W2").get(i), 1e-12, w2[i]);
        }
        assertEquals(s.get("b1").item(), g.get("b1").item(), 1e-12);
        assertEquals(s.get("b2").item(), g.get("b2").item(), 1e-12);
    }

    @Test
    void symbolicGradientsEvaluateToTheNumericOnes() {
        Scope s = matrix.scope();
        Map<String, Tensor> numeric = matrix.gradient(s.lookup("E"), s.params());
        for (Node p : s.params()) {
            Tensor symbolic = matrix.value(matrix.derivative(s.lookup("E"), p, null));
            assertEquals(p.shape(), symbolic.shape());
            for (int i = 0; i < symbolic.size(); i++) {
                assertEquals(numeric.get(p.leafName()).get(i), symbolic.get(i), 1e-15, p.leafName());
            }
        }
    }

    @Test
    void everyElementAgreesWithFiniteDifferences() {
        Scope s = matrix.scope();
        CheckReport report = matrix.check(s.lookup("E"), "E", s.params(), 1e-8, 0);
        assertEquals(10, report.entries().size());
        assertEquals("W1[0, 0]", report.entries().get(0).wrt());
        assertTrue(report.ok(), report.entries().toString());
    }

    @Test
    void trainingEqualsTheScalarTraining() {
        Scope s = matrix.scope();
        var r = matrix.train(s.lookup("E"), "E", List.of(s.lookup("W1"), s.lookup("W2")), 0.5, 1);
        assertEquals(0.291027774, r.last(), 5e-10);
        Tensor w2 = s.leafValue(s.lookup("W2"));
        assertEquals(0.35891648, w2.get(0), 5e-9);
        assertEquals(0.561370121, w2.get(3), 5e-10);
    }

    @Test
    void aWeightOfTheMatrixModelIsExplainedLikeTheScalarModel() {
        Model model = Model.parse("matrix.chain", MATRIX + "explain E wrt W1[0, 0]\nexplain E wrt W2[-1, 1]\n");
        var results = new Session(model, Options.defaults()).runAll();
        String w1 = ((Result.Explained) results.get(0)).text();
        assertTrue(w1.startsWith("""
                ∂E/∂W1[0, 0] = ∂E/∂out_h[0] · ∂out_h[0]/∂net_h[0] · ∂net_h[0]/∂W1[0, 0]
                             = 0.0363503064 · 0.241300709 · 0.05
                             = 0.000438567734
                ∂E/∂out_h[0] = ∂E/∂net_o[0] · ∂net_o[0]/∂out_h[0] + ∂E/∂net_o[1] · ∂net_o[1]/∂out_h[0]
                """), w1);
        assertTrue(w1.contains("  ∂E/∂out_o[0]        = -(t[0] - out_o[0])      = 0.74136507\n"), w1);
        Result.Explained w8 = (Result.Explained) results.get(1);
        assertEquals("W2[1, 1]", w8.wrt());
        assertEquals(scalar.gradient(scalar.scope().lookup("E"), List.of(scalar.scope().lookup("w8"))).get("w8").item(),
                w8.gradient().item(), 1e-15);
    }

    @Test
    void aWholeMatrixIsExplainedLayerByLayerWithDeltas() {
        Model model = Model.parse("matrix.chain", MATRIX + "explain E wrt W1\n");
        Result.Explained e = (Result.Explained) new Session(model, Options.defaults()).runAll().get(0);
        assertEquals("""
                ∂E/∂W1, layer by layer from E down (δ_N = ∂E/∂N; ⊙ element-wise, ⊗ outer product):
                  δ_out_o = -(t - out_o)
                          = [0.74136507, -0.217071535]
                  δ_net_o = δ_out_o ⊙ (out_o ⊙ (1 - out_o))
                          = [0.138498562, -0.0380982365]
                  δ_out_h = W2ᵀ @ δ_net_o
                          = [0.0363503064, 0.0413703226]
                  δ_net_h = δ_out_h ⊙ (out_h ⊙ (1 - out_h))
                          = [0.00877135469, 0.00995425471]
                  ∂E/∂W1  = δ_net_h ⊗ x
                          = [[0.000438567734, 0.000877135469], [0.000497712735, 0.000995425471]]
                """, e.text());
        assertEquals(0.000438567734, e.gradient().get(0), 1e-12);
    }
}
