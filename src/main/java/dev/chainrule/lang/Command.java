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

    record Train(Target of, double lr, int steps, List<Node> wrt, Span span) implements Command {
    }

    record Graph(Target of, Span span) implements Command {
    }
}
