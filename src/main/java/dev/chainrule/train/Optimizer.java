package dev.chainrule.train;

import dev.chainrule.graph.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a step moves the params given their gradients. Each optimizer keeps its own state per
 * param (velocities, moment estimates), as tensors of the param's shape.
 */
public abstract class Optimizer {

    /** The optimizers the language names. */
    public enum Kind {
        /** {@code x ← x - lr·g}. */
        SGD,
        /** Heavy-ball momentum, β = 0.9: {@code v ← β·v + g; x ← x - lr·v}. */
        MOMENTUM,
        /** Adam, β1 = 0.9, β2 = 0.999, ε = 1e-8, with bias correction. */
        ADAM;

        /** The optimizer a name in the language denotes, or null. */
        public static Kind named(String name) {
            for (Kind kind : values()) {
                if (kind.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return kind;
                }
            }
            return null;
        }

        public static List<String> names() {
            List<String> names = new ArrayList<>();
            for (Kind kind : values()) {
                names.add(kind.name().toLowerCase(Locale.ROOT));
            }
            return names;
        }

        Optimizer create(double lr, int params) {
            return switch (this) {
                case SGD -> new Sgd(lr);
                case MOMENTUM -> new Momentum(lr, params);
                case ADAM -> new Adam(lr, params);
            };
        }
    }

    /** The new value of param {@code index} after a step with gradient {@code g}. */
    abstract Tensor step(int index, Tensor value, Tensor g);

    /** Called once before each step's updates. */
    void nextStep() {
    }

    private static final class Sgd extends Optimizer {
        private final double lr;

        Sgd(double lr) {
            this.lr = lr;
        }

        @Override
        Tensor step(int index, Tensor value, Tensor g) {
            return Tensor.zip(value, g, (w, d) -> w - lr * d);
        }
    }

    private static final class Momentum extends Optimizer {
        private static final double BETA = 0.9;
        private final double lr;
        private final Tensor[] velocity;

        Momentum(double lr, int params) {
            this.lr = lr;
            this.velocity = new Tensor[params];
        }

        @Override
        Tensor step(int index, Tensor value, Tensor g) {
            Tensor v = velocity[index] == null ? g : Tensor.zip(velocity[index], g, (a, b) -> BETA * a + b);
            velocity[index] = v;
            return Tensor.zip(value, v, (w, d) -> w - lr * d);
        }
    }

    private static final class Adam extends Optimizer {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPSILON = 1e-8;
        private final double lr;
        private final Tensor[] first;
        private final Tensor[] second;
        private int t;

        Adam(double lr, int params) {
            this.lr = lr;
            this.first = new Tensor[params];
            this.second = new Tensor[params];
        }

        @Override
        void nextStep() {
            t++;
        }

        @Override
        Tensor step(int index, Tensor value, Tensor g) {
            Tensor m = first[index] == null ? Tensor.filled(g.shape(), 0) : first[index];
            Tensor v = second[index] == null ? Tensor.filled(g.shape(), 0) : second[index];
            m = Tensor.zip(m, g, (a, b) -> BETA1 * a + (1 - BETA1) * b);
            v = Tensor.zip(v, g, (a, b) -> BETA2 * a + (1 - BETA2) * b * b);
            first[index] = m;
            second[index] = v;
            double c1 = 1 - Math.pow(BETA1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            Tensor mHat = m.map(a -> a / c1);
            Tensor vHat = v.map(a -> a / c2);
            Tensor stepSize = Tensor.zip(mHat, vHat, (a, b) -> lr * a / (Math.sqrt(b) + EPSILON));
            return Tensor.zip(value, stepSize, (w, d) -> w - d);
        }
    }
}
