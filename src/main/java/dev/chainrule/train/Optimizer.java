package dev.chainrule.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a step moves the params given their gradients. Each optimizer keeps its own state per
 * param element (velocities, moment estimates) in flat arrays.
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

        /** The optimizer as the language names it: {@code sgd}, {@code momentum}, {@code adam}. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static List<String> names() {
            List<String> names = new ArrayList<>();
            for (Kind kind : values()) {
                names.add(kind.name().toLowerCase(Locale.ROOT));
            }
            return names;
        }

        /** An optimizer over a flat vector of {@code size} param elements. */
        Optimizer create(double lr, int size) {
            return switch (this) {
                case SGD -> new Sgd(lr);
                case MOMENTUM -> new Momentum(lr, size);
                case ADAM -> new Adam(lr, size);
            };
        }
    }

    /**
     * One step over all params at once: {@code w} holds every param element (the flat vector of
     * {@link dev.chainrule.autodiff.Sweeps}) and is moved in place along the gradient {@code g};
     * state such as velocities is kept per element, so a step allocates nothing.
     */
    abstract void step(double[] w, double[] g);

    private static final class Sgd extends Optimizer {
        private final double lr;

        Sgd(double lr) {
            this.lr = lr;
        }

        @Override
        void step(double[] w, double[] g) {
            for (int i = 0; i < w.length; i++) {
                w[i] = w[i] - lr * g[i];
            }
        }
    }

    private static final class Momentum extends Optimizer {
        private static final double BETA = 0.9;
        private final double lr;
        private final double[] velocity;

        Momentum(double lr, int size) {
            this.lr = lr;
            this.velocity = new double[size];
        }

        @Override
        void step(double[] w, double[] g) {
            for (int i = 0; i < w.length; i++) {
                double v = BETA * velocity[i] + g[i];
                velocity[i] = v;
                w[i] = w[i] - lr * v;
            }
        }
    }

    private static final class Adam extends Optimizer {
        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        private static final double EPSILON = 1e-8;
        private final double lr;
        private final double[] first;
        private final double[] second;
        private int t;

        Adam(double lr, int size) {
            this.lr = lr;
            this.first = new double[size];
            this.second = new double[size];
        }

        @Override
        void step(double[] w, double[] g) {
            t++;
            double c1 = 1 - Math.pow(BETA1, t);
            double c2 = 1 - Math.pow(BETA2, t);
            for (int i = 0; i < w.length; i++) {
                double m = BETA1 * first[i] + (1 - BETA1) * g[i];
                double v = BETA2 * second[i] + (1 - BETA2) * g[i] * g[i];
                first[i] = m;
                second[i] = v;
                double stepSize = lr * (m / c1) / (Math.sqrt(v / c2) + EPSILON);
                w[i] = w[i] - stepSize;
            }
        }
    }
}
