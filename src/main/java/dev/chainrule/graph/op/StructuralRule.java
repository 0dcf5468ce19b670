package dev.chainrule.graph.op;

import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.BitSet;

/**
 * An operation that reads its inputs as whole tensors (a matrix product, a sum over an axis, a
 * slice): defined by the shape it makes, its value, its vector-Jacobian product (what each input
 * receives from the output's adjoint, written against an {@link Algebra}) and its scalar view (its
 * result element by element, written against {@link Scalars}).
 */
public abstract non-sealed class StructuralRule extends Definition {

    StructuralRule(int arity, Notation notation, Op.Domain domain, boolean smooth) {
        super(arity, notation, domain, smooth);
    }

    /**
     * The shape of the result.
     *
     * @throws dev.chainrule.tensor.ShapeException when the operation cannot take these shapes or attributes
     */
    abstract Shape shape(Shape a, Shape b, int[] attrs);

    abstract Tensor evaluate(Tensor a, Tensor b, int[] attrs);

    abstract <T> T vjp(Algebra<T> f, int k, T adjoint, T a, T b, T out, int[] attrs);

    /** The needed elements of the result, made by {@code s} from the elements of the inputs. */
    abstract <E> E[] unroll(Scalars<E> s, E[] a, E[] b, Shape sa, Shape sb, Shape out, int[] attrs, BitSet needed);

    /**
     * Which elements of the result depend on the elements {@code depA}, {@code depB} of the
     * inputs; null to let the scalar view, run over booleans, answer.
     */
    BitSet dependents(Shape sa, Shape sb, Shape out, int[] attrs, BitSet depA, BitSet depB) {
        return null;
    }

    /**
     * A random value for input {@code k}, of {@code shape}, where the rule can be checked by
     * differences along a random direction: elements in [-1, 1] unless the operation needs
     * others (maxima need elements far apart, labels whole numbers).
     */
    Tensor sample(int k, Shape shape, int[] attrs, java.util.SplittableRandom rng) {
        return Samples.uniform(shape, rng);
    }

    /** Whether input {@code k} takes only whole values (labels): its adjoint is 0, and no difference can be taken. */
    boolean discrete(int k) {
        return false;
    }

    /** The attributes written after the operands in the language ({@code , 0} for an axis), or "" when there are none to write. */
    String attributes(int[] attrs, Shape operand) {
        return attributes(attrs);
    }

    String attributes(int[] attrs) {
        StringBuilder s = new StringBuilder();
        for (int a : attrs) {
            s.append(", ").append(a);
        }
        return s.toString();
    }
}
