package dev.chainrule.bench;

import dev.chainrule.api.Model;
import dev.chainrule.graph.Node;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Training through the public API: one SGD step of a 784-128-10 tanh MLP with softmax
 * cross-entropy on a batch of 64, the seed-004 classifier's 2000 full-batch epochs on 200 points,
 * and one step of the 2-2-2 network.
 *
 * <p>Run: {@code mvn -B -Pbench test-compile exec:exec -Dbench.args="TrainingBench -f 1 -wi 3 -i 5"}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx4g"})
public class TrainingBench {

    /** The MLP: 64 random images of 784 pixels, random labels of 10 classes. */
    @State(Scope.Benchmark)
    public static class Mlp {
        Model model;
        Node loss;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom rng = new SplittableRandom(5);
            StringBuilder labels = new StringBuilder("[");
            for (int i = 0; i < 64; i++) {
                labels.append(i > 0 ? ", " : "").append(rng.nextInt(10));
            }
            labels.append(']');
            model = Model.parse("mlp.chain", "input X = normal(64, 784, seed=3)\n"
                    + "input Y = onehot(" + labels + ", 10)\n"
                    + "param W1 = 0.05 * normal(784, 128, seed=1)\nparam b1 = zeros(128)\n"
                    + "param W2 = 0.1 * normal(128, 10, seed=2)\nparam b2 = zeros(10)\n"
                    + "E = softmax_cross_entropy(tanh(X @ W1 + b1) @ W2 + b2, Y)\n");
            loss = model.scope().lookup("E");
        }
    }

    /** The seed-004 classifier on circles, reset before each run of 2000 epochs. */
    @State(Scope.Benchmark)
    public static class Classifier {
        Model model;
        Node loss;

        @Setup(Level.Invocation)
        public void setUp() {
            model = Model.parse("circles.chain", """
                    data X, y = circles(200, 0.1, 0.5, 1)
                    param W1 = normal(2, 3, seed=1)
                    param b1 = zeros(3)
                    param W2 = normal(3, seed=2)
                    param b2 = 0
                    h = sigmoid(X @ W1 + b1)
                    p = sigmoid(h @ W2 + b2)
                    E = -mean(y * log(p) + (1 - y) * log(1 - p))
                    """);
            loss = model.scope().lookup("E");
        }
    }

    /** The 2-2-2 network of seed 002. */
    @State(Scope.Benchmark)
    public static class Network {
        Model model;
        Node loss;

        @Setup(Level.Trial)
        public void setUp() {
            model = Model.parse("net.chain", """
                    input i1 = 0.05, i2 = 0.10
                    input t1 = 0.01, t2 = 0.99
                    param w1 = 0.15, w2 = 0.20, w3 = 0.25, w4 = 0.30, b1 = 0.35
                    param w5 = 0.40, w6 = 0.45, w7 = 0.50, w8 = 0.55, b2 = 0.60
                    out_h1 = sigmoid(w1*i1 + w2*i2 + b1)
                    out_h2 = sigmoid(w3*i1 + w4*i2 + b1)
                    out_o1 = sigmoid(w5*out_h1 + w6*out_h2 + b2)
                    out_o2 = sigmoid(w7*out_h1 + w8*out_h2 + b2)
                    E = 0.5*(t1 - out_o1)^2 + 0.5*(t2 - out_o2)^2
                    """);
            loss = model.scope().lookup("E");
        }
    }

    /** One SGD step per call, with the loss evaluated after it (two forward sweeps, one backward). */
    @Benchmark
    public double mlpStep(Mlp mlp) {
        return mlp.model.train(mlp.loss, "E", mlp.model.scope().params(), 0.01, 1).last();
    }

    /**
     * Ten SGD steps per call (divide by 10): a call of {@code train} also evaluates the loss after
     * its last step, which one step per call would count as half the work.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double mlpSteps10(Mlp mlp) {
        return mlp.model.train(mlp.loss, "E", mlp.model.scope().params(), 0.01, 10).last();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double classifier2000Epochs(Classifier c) {
        return c.model.train(c.loss, "E", c.model.scope().params(), 1, 2000).last();
    }

    /** 1000 steps per call: the tape is compiled once per call, as a training statement does. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double network222Steps1000(Network n) {
        return n.model.train(n.loss, "E", n.model.scope().params(), 0.5, 1000).last();
    }

    /**
     * The anchor: the same 1000 steps written out by hand in plain Java (all ten params, as
     * {@code train} moves them), the loop the "plain Java by hand" figure stands for.
     */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double network222ByHand1000(HandNetwork n) {
        return n.train(1000);
    }

    /** Plain-Java state for {@link #network222ByHand1000}, reset before each call. */
    @State(Scope.Benchmark)
    public static class HandNetwork {
        double w1, w2, w3, w4, w5, w6, w7, w8, b1, b2;

        @Setup(Level.Invocation)
        public void setUp() {
            w1 = 0.15; w2 = 0.20; w3 = 0.25; w4 = 0.30; b1 = 0.35;
            w5 = 0.40; w6 = 0.45; w7 = 0.50; w8 = 0.55; b2 = 0.60;
        }

        static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }

        double train(int steps) {
            double i1 = 0.05, i2 = 0.10, t1 = 0.01, t2 = 0.99, lr = 0.5, e = 0;
            for (int s = 0; s < steps; s++) {
                double h1 = sigmoid(w1 * i1 + w2 * i2 + b1);
                double h2 = sigmoid(w3 * i1 + w4 * i2 + b1);
                double o1 = sigmoid(w5 * h1 + w6 * h2 + b2);
                double o2 = sigmoid(w7 * h1 + w8 * h2 + b2);
                e = 0.5 * (t1 - o1) * (t1 - o1) + 0.5 * (t2 - o2) * (t2 - o2);
                double d1 = (o1 - t1) * o1 * (1 - o1);
                double d2 = (o2 - t2) * o2 * (1 - o2);
                double dh1 = (d1 * w5 + d2 * w7) * h1 * (1 - h1);
                double dh2 = (d1 * w6 + d2 * w8) * h2 * (1 - h2);
                w5 -= lr * d1 * h1; w6 -= lr * d1 * h2; w7 -= lr * d2 * h1; w8 -= lr * d2 * h2;
                b2 -= lr * (d1 + d2);
                w1 -= lr * dh1 * i1; w2 -= lr * dh1 * i2; w3 -= lr * dh2 * i1; w4 -= lr * dh2 * i2;
                b1 -= lr * (dh1 + dh2);
            }
            return e;
        }
    }

    @Benchmark
    public double network222Step(Network n) {
        return n.model.train(n.loss, "E", n.model.scope().params(), 0.5, 1).last();
    }
}
