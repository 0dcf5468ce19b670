package dev.chainrule.lang;

import dev.chainrule.diag.Span;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.train.Optimizer;
import java.util.List;
import java.util.Map;

/** A statement with its names resolved to graph nodes, ready to run. */
public sealed interface Command {
    Span span();

    /** Dispatches on the kind of command: every kind has a method, so a new kind cannot be forgotten. */
    <R> R accept(Visitor<R> visitor);

    /** One method per kind of command. */
    interface Visitor<R> {
        R print(Print c);

        R grad(Grad c);

        R derive(Derive c);

        R export(Export c);

        R explain(Explain c);

        R check(Check c);

        R train(Train c);

        R graph(Graph c);

        R predict(Predict c);

        R plot(Plot c);

        R save(Save c);

        R load(Load c);
    }

    /** An expression a command is about: its node and the text the user wrote for it. */
    record Target(Node node, String label, Span span) {
    }

    /**
     * What a derivative is taken with respect to: any node of the graph (a leaf, or a defined
     * node whose inputs are then held fixed), or one element of it.
     *
     * @param element the flat position of one element, or -1 for the whole node
     * @param name    the node's name as written: {@code w1}, {@code h[2]}, {@code h1.net} ({@code W1} for {@code W1[0, 1]})
     */
    record Wrt(Node node, int element, String name, Span span) {
        /** The target as results name it: {@code w1}, or {@code W1[0, 1]} for one element. */
        public String label() {
            return element < 0 ? name : dev.chainrule.print.Tensors.element(name, node.shape(), element);
        }

        /** The whole of a leaf, named by its name. */
        public static Wrt of(Node leaf) {
            return new Wrt(leaf, -1, leaf.leafName(), null);
        }

        /** True for an input or param taken whole: the case every sweep handles directly. */
        public boolean isWholeLeaf() {
            return node.isLeaf() && element < 0;
        }
    }

    record Print(List<Target> targets, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.print(this);
        }
    }

    record Grad(Target of, List<Wrt> wrt, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.grad(this);
        }
    }

    record Derive(Target of, Wrt wrt, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.derive(this);
        }
    }

    /** {@code explain}; {@code expand} opens the calls folded into one step by default. */
    record Explain(Target of, Wrt wrt, boolean expand, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.explain(this);
        }
    }

    record Check(Target of, List<Wrt> wrt, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.check(this);
        }
    }

    /** {@code train}; {@code optimizer} is sgd, momentum or adam. */
    record Train(Target of, double lr, int steps, List<Node> wrt, Optimizer.Kind optimizer, Batch batch, Span span)
            implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.train(this);
        }
    }

    /** Mini-batches of {@code size} rows of the inputs {@code x} and {@code y}. */
    record Batch(int size, Node x, Node y) {
    }

    /** {@code graph}; {@code highlight} is the node whose paths to {@code of} are drawn with their local derivatives, or null. */
    /** {@code export E wrt ... to TARGET}: E and its gradient as code for a target. */
    record Export(Target of, List<Wrt> wrt, String to, Span toSpan, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.export(this);
        }
    }

    record Graph(Target of, Wrt highlight, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.graph(this);
        }
    }

    /** {@code predict}: the name's value with the given leaves replaced. */
    record Predict(String name, Map<String, Tensor> inputs, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.predict(this);
        }
    }

    /** {@code plot loss} ({@code out}, {@code x}, {@code y} null) or {@code plot boundary}; {@code file} null for the default name. */
    record Plot(boolean boundary, String out, Node x, Node y, Ast.PathRef file, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.plot(this);
        }
    }

    /** {@code save params to "w.json"}: every param's name, shape and value. */
    record Save(Ast.PathRef file, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.save(this);
        }
    }

    /** {@code load params from "w.json"}: params set from a file, names and shapes checked. */
    record Load(Ast.PathRef file, Span span) implements Command {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.load(this);
        }
    }
}
