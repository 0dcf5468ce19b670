package dev.chainrule.autodiff;

import dev.chainrule.graph.Algebra;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.Op;
import dev.chainrule.graph.Simplifier;

/** Derivative rules evaluated as graph construction, through the {@link Simplifier}. */
public final class SymbolicAlgebra implements Algebra<Node> {
    private final Simplifier simplifier;

    public SymbolicAlgebra(Graph graph) {
        this.simplifier = new Simplifier(graph);
    }

    @Override
    public Node constant(double value) {
        return simplifier.graph().constant(value);
    }

    @Override
    public Node apply(Op op, Node a) {
        return simplifier.make(op, a);
    }

    @Override
    public Node apply(Op op, Node a, Node b) {
        return simplifier.make(op, a, b);
    }
}
