package dev.chainrule.testing;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;
import java.util.List;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * An independent oracle: evaluates a graph in commons-math3's forward-mode
 * {@link DerivativeStructure}, to second order, writing each operation with commons-math's own
 * functions rather than chainrule's rules. Kinks follow chainrule's conventions.
 */
public final class DerivativeStructureOracle {
    private DerivativeStructureOracle() {
    }

    /** {@code root} as a DerivativeStructure in the given leaves (order 2) at the given values. */
    public static DerivativeStructure evaluate(Graph graph, Node root, List<Node> leaves, Tensor[] leafValues) {
        int n = leaves.size();
        BitSet reach = graph.reachableFrom(root);
        DerivativeStructure[] value = new DerivativeStructure[root.id() + 1];
        for (int id = reach.nextSetBit(0); id >= 0; id = reach.nextSetBit(id + 1)) {
            Node node = graph.get(id);
            DerivativeStructure a = node.arity() > 0 ? value[node.input(0).id()] : null;
            DerivativeStructure b = node.arity() > 1 ? value[node.input(1).id()] : null;
            value[id] = switch (node.op()) {
                case CONSTANT -> new DerivativeStructure(n, 2, node.constantValue());
                case LEAF -> {
                    int index = leaves.indexOf(node);
                    double v = leafValues[node.leafIndex()].item();
                    yield index >= 0 ? new DerivativeStructure(n, 2, index, v) : new DerivativeStructure(n, 2, v);
                }
                case ADD -> a.add(b);
                case SUB -> a.subtract(b);
                case MUL -> a.multiply(b);
                case DIV -> a.divide(b);
                case NEG -> a.negate();
                case COPY -> a;
                case POW -> b.getOrder() >= 0 && isConstant(b) ? a.pow(b.getValue()) : a.pow(b);
                case SIGMOID -> a.negate().exp().add(1).reciprocal();
                case TANH -> a.tanh();
                case RELU -> a.getValue() > 0 ? a : a.multiply(0);
                case EXP -> a.exp();
                case LOG -> a.log();
                case SQRT -> a.sqrt();
                case ABS -> a.getValue() < 0 ? a.negate() : a.getValue() > 0 ? a : a.multiply(0);
                case SIN -> a.sin();
                case COS -> a.cos();
                case SOFTPLUS -> a.exp().log1p();
                case MAX -> a.getValue() >= b.getValue() ? a : b;
                case MIN -> a.getValue() <= b.getValue() ? a : b;
                case STEP -> new DerivativeStructure(n, 2, a.getValue() > 0 ? 1 : 0);
                case SIGN -> new DerivativeStructure(n, 2, Math.signum(a.getValue()));
                default -> throw new IllegalArgumentException("the oracle is for scalar graphs, not " + node.op());
            };
        }
        return value[root.id()];
    }

    private static boolean isConstant(DerivativeStructure d) {
        double[] all = d.getAllDerivatives();
        for (int i = 1; i < all.length; i++) {
            if (all[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
