package dev.chainrule.graph.rewrite;

import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.List;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;

/**
 * Builds nodes through a list of rewrite rules, so that derivatives come out small and readable:
 * constants fold, {@code x·1}, {@code x·0}, {@code x+0}, {@code --x}, {@code x^1} and their kin
 * vanish, and constants gather at the left of products. Every rule returns a node no larger than
 * the one it replaces, and interning keeps shared subterms shared, so a gradient graph stays
 * linear in the size of the graph it came from.
 *
 * <p>Constant inputs fold to their value (when it is finite, so a domain error is never folded
 * away). Rules rewrite only the node being built; they never look deeper than its inputs and their
 * inputs, so building stays constant time per node.
 */
public final class Simplifier {

    /** One rewrite: a simpler node for {@code op(a, b)}, or null when the rule does not apply. */
    @FunctionalInterface
    interface Rule {
        Node rewrite(Simplifier s, Op op, Node a, Node b);
    }

    private static final List<Rule> RULES = List.of(
            Simplifier::addIdentities,
            Simplifier::addLikeTerms,
            Simplifier::subIdentities,
            Simplifier::mulIdentities,
            Simplifier::mulNoNanIdentities,
            Simplifier::divIdentities,
            Simplifier::negIdentities,
            Simplifier::powIdentities,
            Simplifier::structuralIdentities);

    private final Graph graph;

    public Simplifier(Graph graph) {
        this.graph = graph;
    }

    public Graph graph() {
        return graph;
    }

    /** The simplest node this simplifier knows that equals {@code op(inputs)}. */
    public Node make(Op op, Node... inputs) {
        return make(op, Node.NO_ATTRS, inputs);
    }

    /**
     * The simplest node this simplifier knows that equals {@code op[attrs](inputs)}. A rewrite
     * is used only when it keeps the shape: {@code x·1} is {@code x} only if 1 does not widen it.
     *
     * @throws ShapeException when the operation cannot take the inputs' shapes
     */
    public Node make(Op op, int[] attrs, Node... inputs) {
        Node a = inputs[0];
        Node b = inputs.length > 1 ? inputs[1] : null;
        Shape shape = op.shape(a.shape(), b == null ? null : b.shape(), attrs);
        if (a.isConstant() && (b == null || b.isConstant())) {
            Tensor value = op.evaluate(a.constantTensor(), b == null ? null : b.constantTensor(), attrs);
            if (value.allFinite()) {
                return graph.constant(value);
            }
        }
        if (op.kind() == Op.Kind.ELEMENTWISE && b != null) {
            // a constant filled with one number is that number when the other side gives the shape:
            // mean's adjoint is -1/200, not 200 copies of it
            Node narrowA = b.shape().equals(shape) ? uniform(a) : a;
            Node narrowB = a.shape().equals(shape) ? uniform(b) : b;
            if (narrowA != a || narrowB != b) {
                return make(op, attrs, narrowA, narrowB);
            }
        }
        if (op.kind() == Op.Kind.ELEMENTWISE || op == Op.TRANSPOSE || op == Op.RESHAPE) {
            for (Rule rule : RULES) {
                Node rewritten = rule.rewrite(this, op, a, b);
                if (rewritten != null && rewritten.shape().equals(shape)) {
                    return rewritten;
                }
            }
        }
        return graph.node(op, attrs, inputs);
    }


    private Node constant(double value) {
        return graph.constant(value);
    }

    /** The scalar constant a constant tensor filled with one number stands for, else {@code node} itself. */
    private Node uniform(Node node) {
        if (!node.isConstant() || node.shape().isScalar() || node.constantTensor().size() == 0) {
            return node;
        }
        double value = node.constantTensor().get(0);
        return node.isConstant(value) ? constant(value) : node;
    }

    /** {@code x+0 = 0+x = x}, {@code x + -y = x - y}, {@code -x + y = y - x}. */
    private static Node addIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op != Op.ADD) {
            return null;
        }
        if (b.isConstant(0)) {
            return a;
        }
        if (a.isConstant(0)) {
            return b;
        }
        if (b.op() == Op.NEG) {
            return s.make(Op.SUB, a, b.input(0));
        }
        if (a.op() == Op.NEG) {
            return s.make(Op.SUB, b, a.input(0));
        }
        return null;
    }

    /**
     * Gathers like terms and moves constants to the end of sums: {@code x + x = 2·x},
     * {@code 2·x + 3·x = 5·x}, {@code (p + x) + x = p + 2·x}, {@code c + x = x + c},
     * {@code (p + c1) + c2 = p + (c1 + c2)}.
     */
    private static Node addLikeTerms(Simplifier s, Op op, Node a, Node b) {
        if (op != Op.ADD) {
            return null;
        }
        Node combined = s.combine(a, b);
        if (combined != null) {
            return combined;
        }
        if (a.op() == Op.ADD) {
            Node p = a.input(0);
            Node q = a.input(1);
            Node withQ = s.combine(q, b);
            if (withQ != null) {
                return s.make(Op.ADD, p, withQ);
            }
            Node withP = s.combine(p, b);
            if (withP != null) {
                return s.make(Op.ADD, withP, q);
            }
            if (q.isConstant() && b.isConstant()) {
                return s.make(Op.ADD, p, s.make(Op.ADD, q, b));
            }
        }
        if (a.isConstant() && !b.isConstant()) {
            return s.make(Op.ADD, b, a);
        }
        return null;
    }

    /** {@code c1·x + c2·x} as {@code (c1 + c2)·x} when both terms have the same non-constant x. */
    private Node combine(Node a, Node b) {
        Node baseA = base(a);
        if (baseA.isConstant() || baseA != base(b)) {
            return null;
        }
        return make(Op.MUL, constant(coefficient(a) + coefficient(b)), baseA);
    }

    private static Node base(Node term) {
        if (term.op() == Op.MUL && term.input(0).isScalarConstant()) {
            return term.input(1);
        }
        return term.op() == Op.NEG ? term.input(0) : term;
    }

    private static double coefficient(Node term) {
        if (term.op() == Op.MUL && term.input(0).isScalarConstant()) {
            return term.input(0).constantValue();
        }
        return term.op() == Op.NEG ? -1 : 1;
    }

    /**
     * {@code x-0 = x}, {@code 0-x = -x}, {@code x-x = 0}, {@code x - -y = x + y},
     * {@code x - (-c) = x + c}, {@code x - (-c)·y = x + c·y} and {@code x - ((-c)·y)·z = x + (c·y)·z}.
     */
    private static Node subIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op != Op.SUB) {
            return null;
        }
        if (b.isConstant(0)) {
            return a;
        }
        if (a.isConstant(0)) {
            return s.make(Op.NEG, b);
        }
        if (a == b) {
            return s.constant(0);
        }
        if (b.op() == Op.NEG) {
            return s.make(Op.ADD, a, b.input(0));
        }
        if (b.isScalarConstant() && b.constantValue() < 0) {
            return s.make(Op.ADD, a, s.constant(-b.constantValue()));
        }
        if (negativeCoefficient(b)) {
            return s.make(Op.ADD, a, s.negated(b));
        }
        return null;
    }

    /** Whether {@code term} is {@code c·x} or {@code (c·x)·y} with a negative number {@code c}. */
    private static boolean negativeCoefficient(Node term) {
        if (term.op() != Op.MUL) {
            return false;
        }
        Node first = term.input(0).op() == Op.MUL ? term.input(0).input(0) : term.input(0);
        return first.isScalarConstant() && first.constantValue() < 0;
    }

    /** {@code (-c)·x} for {@code c·x}, and {@code ((-c)·x)·y} for {@code (c·x)·y}. */
    private Node negated(Node term) {
        Node first = term.input(0);
        if (first.isScalarConstant()) {
            return make(Op.MUL, constant(-first.constantValue()), term.input(1));
        }
        return make(Op.MUL, make(Op.MUL, constant(-first.input(0).constantValue()), first.input(1)), term.input(1));
    }

    /**
     * {@code x·1 = 1·x = x}, {@code x·0 = 0·x = 0}, {@code -1·x = -x}, constants move to the left,
     * {@code c1·(c2·x) = (c1·c2)·x}, {@code -x·-y = x·y}, {@code x·(c·y) = c·(x·y)}.
     */
    private static Node mulIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op != Op.MUL) {
            return null;
        }
        if (b.isConstant() && !a.isConstant()) {
            return s.make(Op.MUL, b, a);
        }
        if (a.isConstant(1)) {
            return b;
        }
        if (a.isConstant(0)) {
            return s.constant(0);
        }
        if (a.isConstant(-1)) {
            return s.make(Op.NEG, b);
        }
        if (a.isConstant() && b.op() == Op.MUL && b.input(0).isConstant()) {
            return s.make(Op.MUL, s.make(Op.MUL, a, b.input(0)), b.input(1));
        }
        if (a.isConstant() && b.op() == Op.NEG) {
            return s.make(Op.MUL, s.make(Op.NEG, a), b.input(0));
        }
        if (a.op() == Op.NEG && b.op() == Op.NEG) {
            return s.make(Op.MUL, a.input(0), b.input(0));
        }
        if (!a.isConstant() && b.op() == Op.MUL && b.input(0).isConstant()) {
            return s.make(Op.MUL, b.input(0), s.make(Op.MUL, a, b.input(1)));
        }
        return null;
    }

    /**
     * {@code mul_no_nan(x, 0) = 0}; with any other constant operand it is a plain product (a
     * constant is finite, so its zero wins there too): {@code mul_no_nan(x^2, 3) = 3·x^2}.
     */
    private static Node mulNoNanIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op != Op.MUL_NO_NAN) {
            return null;
        }
        if (b.isConstant(0)) {
            return s.graph.constant(Tensor.filled(Shape.broadcast(a.shape(), b.shape()), 0));
        }
        if (b.isConstant() && !hasZero(b.constantTensor())) {
            return s.make(Op.MUL, b, a);
        }
        if (a.isConstant()) {
            return s.make(Op.MUL, a, b);
        }
        return null;
    }

    private static boolean hasZero(Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i) == 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code x/1 = x}, {@code 0/x = 0}, {@code x/x = 1}. */
    private static Node divIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op != Op.DIV) {
            return null;
        }
        if (b.isConstant(1)) {
            return a;
        }
        if (a.isConstant(0) && !b.isConstant(0)) {
            return s.constant(0);
        }
        return null;
    }

    /** {@code --x = x}, {@code -(a - b) } stays as written (it reads as the tutorials write it). */
    private static Node negIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op == Op.NEG && a.op() == Op.NEG) {
            return a.input(0);
        }
        return null;
    }

    /** {@code x^1 = x}, {@code x^0 = 1}. */
    private static Node powIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op != Op.POW) {
            return null;
        }
        if (b.isConstant(1)) {
            return a;
        }
        if (b.isConstant(0)) {
            return s.constant(1);
        }
        return null;
    }

    /** {@code T(T(x)) = x}. */
    private static Node structuralIdentities(Simplifier s, Op op, Node a, Node b) {
        if (op == Op.TRANSPOSE && a.op() == Op.TRANSPOSE) {
            return a.input(0);
        }
        return null;
    }
}
