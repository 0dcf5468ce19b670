package dev.chainrule.lang;

import dev.chainrule.diag.Span;
import dev.chainrule.graph.Node;
import java.util.List;

/** A statement with its names resolved to graph nodes, ready to run. */
public sealed interface Command {
    Span span();

    /** An expression a command is about: its node and the text the user wrote for it. */
    record Target(Node node, String label, Span span) {
    }

    record Print(List<Target> targets, Span span) implements Command {
    }

    record Grad(Target of, List<Node> wrt, Span span) implements Command {
    }

    record Derive(Target of, Node wrt, Span span) implements Command {
    }

    /** {@code explain}; {@code element} is the flat position of one element of a tensor leaf, or -1. */
    record Explain(Target of, Node wrt, int element, Span span) implements Command {
    }

    record Check(Target of, List<Node> wrt, Span span) implements Command {
    }

    /** {@code train}; {@code optimizer} is sgd, momentum or adam. */
    record Train(Target of, double lr, int steps, List<Node> wrt, dev.chainrule.train.Optimizer.Kind optimizer,
                 Batch batch, Span span) implements Command {
    }

    /** Mini-batches of {@code size} rows of the inputs {@code x} and {@code y}. */
    record Batch(int size, Node x, Node y) {
    }

    record Graph(Target of, Span span) implements Command {
    }

    /** {@code predict}: the name's value with the given leaves replaced. */
    record Predict(String name, java.util.Map<String, dev.chainrule.tensor.Tensor> inputs, Span span) implements Command {
    }

    /** {@code plot loss} ({@code out}, {@code x}, {@code y} null) or {@code plot boundary}; {@code file} null for the default name. */
    record Plot(boolean boundary, String out, Node x, Node y, Ast.PathRef file, Span span) implements Command {
    }
}
