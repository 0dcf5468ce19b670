package dev.chainrule.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainrule.api.Model;
import dev.chainrule.api.Options;
import dev.chainrule.api.Session;
import dev.chainrule.diag.ChainException;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Literals, shapes known at definition, @, T, sum, mean, broadcasting, and shape diagnostics. */
class TensorLanguageTest {
    private static final String DECLARE = "param A = [[1, 2], [3, 4], [5, 6]]\ninput v = [1, -1]\ninput u = [1, 0, 2]\n";

    private static Tensor value(String expression) {
        Model m = Model.parse("m.chain", DECLARE + "e = " + expression + "\n");
        return m.value(m.scope().lookup("e"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            A @ v          | (3)   | -1 -1 -1
            u @ A          | (2)   | 11 14
            u @ u          | scalar | 5
            T(A)           | (2×3) | 1 3 5 2 4 6
            T(A) @ A       | (2×2) | 35 44 44 56
            A' @ A         | (2×2) | 35 44 44 56
            (A @ v)' @ u   | scalar | -3
            sum(A)         | scalar | 21
            sum(A, 0)      | (2)   | 9 12
            sum(A, 1)      | (3)   | 3 7 11
            mean(A, 0)     | (2)   | 3 4
            mean(A)        | scalar | 3.5
            A + v          | (3×2) | 2 1 4 3 6 5
            A * 2          | (3×2) | 2 4 6 8 10 12
            sigmoid(v)     | (2)   | 0.7310585786300049 0.2689414213699951
            [[1, 2]] @ T([[3, 4]]) | (1×1) | 11
            softmax([1, 2, 3]) | (3) | 0.09003057317038046 0.24472847105479767 0.6652409557748219
            log_softmax([1000, 1000]) | (2) | -0.6931471805599453 -0.6931471805599453
            logsumexp([1000, 1000]) | scalar | 1000.6931471805599
            softmax(A, 0)  | (3×2) | 0.015876239976466765 0.015876239976466765 0.11731042782619837 0.11731042782619837 0.8668133321973349 0.8668133321973349
            max(A)         | scalar | 6
            A[1, 0]        | scalar | 3
            A[-1, :]       | (2)   | 5 6
            A[:, 1]        | (3)   | 2 4 6
            A[:, :]        | (3×2) | 1 2 3 4 5 6
            v[1] * A[0, 1]^2 | scalar | -4
            max(A, 3)      | (3×2) | 3 3 3 4 5 6
            onehot([2, 0], 3) | (2×3) | 0 0 1 1 0 0
            cross_entropy([0.25, 0.75], [0, 1]) | scalar | 0.2876820724517809
            softmax_cross_entropy([[0, 0], [0, 0]], [[1, 0], [0, 1]]) | scalar | 0.6931471805599453
            zeros(2)       | (2)   | 0 0
            ones(1, 2)     | (1×2) | 1 1
            uniform(2, 0, 1, seed=3) | (2) | 0.11345034205715454 0.7002935135929024
            A[1]           | (2)   | 3 4
            A[0:2]         | (2×2) | 1 2 3 4
            A[:, 1:]       | (3×1) | 2 4 6
            A[::2, 0]      | (2)   | 1 5
            A[-2:, -1]     | (2)   | 4 6
            u[1:100]       | (2)   | 0 2
            u[len(u) - 1]  | scalar | 2
            A[size(A, 1)]  | (2)   | 5 6
            concat(v, u)   | (5)   | 1 -1 1 0 2
            concat(A, A, axis=1) | (3×4) | 1 2 1 2 3 4 3 4 5 6 5 6
            concat(A[0:1], A[2:], axis=0) | (2×2) | 1 2 5 6
            stack(v, v)    | (2×2) | 1 -1 1 -1
            stack(u, u, axis=1) | (3×2) | 1 1 0 0 2 2
            stack(1, 2, 3) | (3)   | 1 2 3
            reshape(A, 2, 3) | (2×3) | 1 2 3 4 5 6
            reshape(A, -1) | (6)   | 1 2 3 4 5 6
            pad(v, 1, 2, 1) | (5)  | 0 1 -1 0 0
            pad(v, 0, 0, 3) | (4)  | 1 0 0 -1
            sum_to(A, 2)   | (2)   | 9 12
            broadcast_to(v, 2, 2) | (2×2) | 1 -1 1 -1
            where(u > 0, u, -1) | (3) | 1 -1 2
            where(A > 2, A, 0) | (3×2) | 0 0 3 4 5 6
            clip(u, 0.5, 1.5) | (3) | 1 0.5 1.5
            u >= 1         | (3)   | 1 0 1
            u == 0         | (3)   | 0 1 0
            u != 0         | (3)   | 1 0 1
            u < 2          | (3)   | 1 1 0
            log1p(u)       | (3)   | 0.6931471805599453 0 1.0986122886681098
            expm1(v)       | (2)   | 1.718281828459045 -0.6321205588285577
            mean(A, axis=0) | (2)  | 3 4
            mean(A, 1)     | (3)   | 1.5 3.5 5.5
            max(A, axis=0) | (2)   | 5 6
            max(A, axis=-1) | (3)  | 2 4 6
            argmax_mask(A, axis=1) | (3×2) | 0 1 0 1 0 1
            sum(A, axis=1) | (3)   | 3 7 11
            softmax(v, axis=0) | (2) | 0.8807970779778823 0.11920292202211755
            """)
    void values(String expression, String shape, String elements) {
        Tensor t = value(expression);
        assertEquals(shape, t.shape().toString());
        String[] expected = elements.trim().split(" +");
        assertEquals(expected.length, t.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.parseDouble(expected[i]), t.get(i), 1e-15, expression + " element " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            A @ A          | m.chain:4:5: (3×2) @ (3×2) — inner dimensions 2 and 3 differ | 5
            A @ u          | m.chain:4:5: (3×2) @ (3) — inner dimensions 2 and 3 differ | 5
            A + u          | m.chain:4:5: (3×2) + (3) — shapes do not broadcast | 5
            max(A, u)      | m.chain:4:5: max((3×2), (3)) — shapes do not broadcast | 9
            sum(A, 2)      | m.chain:4:5: sum over axis 2 of a (3×2) value, which has axes 0 to 1 | 9
            sum(A, 0.5)    | m.chain:4:12: the axis of sum is a whole number, not 0.5 | 3
            sum(A, v)      | m.chain:4:12: the axis of sum is known when the model is built, and 'v' is an input, whose value can change; use numbers, loop variables, names defined as numbers, len(x) and size(x, axis), with + - * / ^ | 1
            2 @ A          | m.chain:4:5: scalar @ (3×2) — @ takes vectors and matrices | 5
            normal(2, 2)   | m.chain:4:5: normal needs a seed, such as seed=1, so that every run gives the same numbers | 12
            normal(2, sed=1) | m.chain:4:19: unknown argument 'sed' of normal; did you mean 'seed'? | 1
            onehot([0, 3], 3) | m.chain:4:12: label 3 at 1 is not one of 0 to 2 | 6
            cross_entropy(A, u) | m.chain:4:5: cross_entropy takes a vector or matrix and targets of its shape; here (3×2) and (3) | 19
            softmax(A, 2)  | m.chain:4:5: softmax over axis 2 of a (3×2) value, which has axes 0 to 1 | 13
            A[3, 0]        | m.chain:4:7: index 3 is out of range for axis 0 of a (3×2) value (0 to 2) | 1
            A[0, 0, 0]     | m.chain:4:5: a (3×2) value takes at most 2 indices, not 3 | 10
            A[2:1]         | m.chain:4:7: the slice 2:1 takes no elements of axis 0 of a (3×2) value (0 to 2) | 3
            A[::0]         | m.chain:4:9: the step of a slice is a whole number of at least 1, not 0 | 1
            A[0.5]         | m.chain:4:7: an index is a whole number, not 0.5 | 3
            A[v]           | m.chain:4:7: an index is known when the model is built, and 'v' is an input, whose value can change; use numbers, loop variables, names defined as numbers, len(x) and size(x, axis), with + - * / ^ | 1
            concat(A, u)   | m.chain:4:5: concat joins values of one rank, vectors or matrices; here (3×2) and (3) | 12
            concat(1, 2)   | m.chain:4:12: concat joins vectors or matrices along an axis, and this is a scalar; stack(a, b, ...) makes a vector of scalars | 1
            concat(v, v, axis=1) | m.chain:4:23: axis 1 is not an axis to join (2) values along (0 to 0) | 1
            reshape(A, 4, -1) | m.chain:4:19: a (3×2) value has 6 elements, which the other sizes (4 a step) do not divide | 2
            reshape(A, 4, 2) | m.chain:4:5: cannot reshape a (3×2) value to (4×2): 6 elements are not 8 | 16
            pad(A, 1, 1, 1) | m.chain:4:5: pad takes 3 numbers for each axis of a (3×2) value (zeros before, zeros after, spacing): 6, not 3 | 15
            where(A, u)    | m.chain:4:5: where takes 3 arguments: where(condition, a, b), not 2 | 11
            where(A, u, 1) | m.chain:4:5: where takes a condition and two values whose shapes broadcast together; here (3×2), (3) and scalar | 14
            clip(A, 0, u)  | m.chain:4:5: clip takes bounds that broadcast with the value; here (3×2), scalar and (3) | 13
            argmax_mask(axis=0) | m.chain:4:5: argmax_mask takes 1 argument: argmax_mask(x) or argmax_mask(x, axis=k), not 0 | 19
            sum(axis=0)    | m.chain:4:5: sum takes 1 or 2 arguments: sum(x) or sum(x, axis), not 0 | 11
            max(A, axis=2) | m.chain:4:5: max over axis 2 of a (3×2) value, which has axes 0 to 1 | 14
            sum(A, axis=-3) | m.chain:4:5: sum over axis -3 of a (3×2) value, which has axes 0 to 1 | 15
            exp(A, axis=0) | m.chain:4:17: exp takes no named arguments | 1
            len(3)         | m.chain:4:9: len takes the name of a value, such as len(x) | 1
            len(A, 1)      | m.chain:4:5: len takes 1 argument, a name: len(x) | 9
            size(A, 2)     | m.chain:4:5: 'A' is a (3×2) value, whose axes are 0 to 1 | 10
            onehot(A, 3)   | m.chain:4:12: onehot takes labels as a number or a vector, not a (3×2) value | 1
            """)
    void shapeMistakes(String expression, String message, int carets) {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain", DECLARE + "e = " + expression + "\n"));
        int column = Integer.parseInt(message.split(":")[2]);
        assertEquals(message + "\ne = " + expression + "\n" + " ".repeat(column - 1) + "^".repeat(carets), e.render());
    }

    @Test
    void initialisersAreReproducibleAndParamsStartFromNumbers() {
        Model a = Model.parse("m.chain", "param W = 0.1 * normal(2, 3, seed=42)\n");
        Model b = Model.parse("m.chain", "param W = 0.1 * normal(2, 3, seed=42)\n");
        assertEquals(a.value(a.scope().lookup("W")), b.value(b.scope().lookup("W")));
        assertEquals(Shape.of(2, 3), a.scope().lookup("W").shape());
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain", "param a = 1\nparam b = 2 * a\n"));
        assertEquals("m.chain:2:15: an input or param starts from numbers, not from 'a'; define a name for an expression of other names",
                e.render().lines().findFirst().orElseThrow());
    }

    @Test
    void literalsMustBeRectangular() {
        ChainException e = assertThrows(ChainException.class, () -> Model.parse("m.chain", "param W = [[1, 2], [3]]\n"));
        assertEquals("m.chain:1:20: this row has shape (1) but the first has (2); the rows of a literal must have one shape\n"
                + "param W = [[1, 2], [3]]\n                   ^^^", e.render());
    }

    @Test
    void gradientsNeedAScalarTarget() {
        Model m = Model.parse("m.chain", DECLARE + "h = A @ v\ngrad h\n");
        ChainException e = assertThrows(ChainException.class, () -> new Session(m, Options.defaults()).runAll());
        assertEquals("m.chain:5:6: 'h' is a (3) value, and gradients are taken of scalars; use sum(h) or mean(h)", e.render().lines().findFirst().orElseThrow());
    }

    @Test
    void shapesAreKnownWhenANameIsDefined() {
        Model m = Model.parse("m.chain", DECLARE + "h = sigmoid(A @ v + 1)\n");
        assertEquals(Shape.of(3), m.scope().lookup("h").shape());
    }

    @Test
    void aTensorElementLeavesTheDomainWithItsIndex() {
        ChainException e = assertThrows(ChainException.class, () -> new Session(
                Model.parse("m.chain", DECLARE + "print log(v)\n"), Options.defaults()).runAll());
        assertEquals("m.chain:4:7: log of a negative number: log(-1) is NaN at [1]", e.render().lines().findFirst().orElseThrow());
    }
}
