package dev.chainrule.model;

import dev.chainrule.diag.Span;
import dev.chainrule.graph.Graph;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names of a model and what they denote: the graph, each name's node and where it was
 * defined, and the current value of every leaf. A node named twice prints by its first name.
 */
public final class Scope {
    private final ModelOptions options;
    private final Graph graph;
    private final Map<String, Node> byName = new LinkedHashMap<>();
    private final Map<String, Span> definedAt = new HashMap<>();
    private final Map<Integer, String> nameOfNode = new HashMap<>();
    private Tensor[] leafValues = new Tensor[8];

    /** An empty scope under the default options. */
    public Scope() {
        this(ModelOptions.DEFAULT);
    }

    /** An empty scope whose graph and files follow {@code options}. */
    public Scope(ModelOptions options) {
        this.options = options;
        this.graph = new Graph(options.limits());
    }

    /** The settings the model is built under. */
    public ModelOptions options() {
        return options;
    }

    public Graph graph() {
        return graph;
    }

    /** The node a name denotes, or null. */
    public Node lookup(String name) {
        return byName.get(name);
    }

    /** Where a name was defined, or null. */
    public Span definedAt(String name) {
        return definedAt.get(name);
    }

    /** Every defined name, in definition order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    /** The name a node prints as: a leaf's name, else the first name given to it, else null. */
    public String nameOf(Node node) {
        return node.isLeaf() ? node.leafName() : nameOfNode.get(node.id());
    }

    /** Gives {@code node} the name {@code name}; the caller has checked that the name is free. */
    public void define(String name, Node node, Span span) {
        byName.put(name, node);
        definedAt.put(name, span);
        nameOfNode.putIfAbsent(node.id(), name);
    }

    /** Points an existing name at another node (a notebook cell redefining it): the latest wins. */
    public void redefine(String name, Node node, Span span) {
        byName.put(name, node);
        definedAt.put(name, span);
        nameOfNode.putIfAbsent(node.id(), name);
    }

    /** Declares a leaf with its initial value, which also gives its shape. */
    public Node declare(String name, LeafKind kind, Tensor value, Span span) {
        Node leaf = graph.leaf(name, kind, value.shape());
        if (leaf.leafIndex() >= leafValues.length) {
            leafValues = Arrays.copyOf(leafValues, leafValues.length * 2);
        }
        leafValues[leaf.leafIndex()] = value;
        graph.mark(leaf, span);
        define(name, leaf, span);
        return leaf;
    }

    public Tensor leafValue(Node leaf) {
        return leafValues[leaf.leafIndex()];
    }

    /** Sets a leaf's value; the caller has checked that it has the leaf's shape. */
    public void setLeafValue(Node leaf, Tensor value) {
        leafValues[leaf.leafIndex()] = value;
    }

    /** Sets a scalar leaf's value. */
    public void setLeafValue(Node leaf, double value) {
        setLeafValue(leaf, Tensor.scalar(value));
    }

    /** The live array of leaf values, indexed by {@link Node#leafIndex()}. */
    public Tensor[] leafValues() {
        return leafValues;
    }

    /** Every {@code param}, in declaration order. */
    public List<Node> params() {
        List<Node> params = new ArrayList<>();
        for (Node leaf : graph.leaves()) {
            if (leaf.leafKind() == LeafKind.PARAM) {
                params.add(leaf);
            }
        }
        return params;
    }
}
