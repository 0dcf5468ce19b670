package dev.chainrule.autodiff;

import dev.chainrule.graph.op.Algebra;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.graph.rewrite.Simplifier;

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
    public Node apply(Op op, int[] attrs, Node a, Node b) {
        return b == null ? simplifier.make(op, attrs, a) : simplifier.make(op, attrs, a, b);
    }

    @Override
    public Shape shape(Node value) {
        return value.shape();
    }
}
