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
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names of a model and what they denote: the graph, each name's node and where it was
 * defined, and the current value of every leaf. A node named twice prints by its first name.
 */
public final class Scope {
    private final ModelOptions options;
    private final Graph graph;
    private final Map<String, Node> byName = new LinkedHashMap<>();
    private final Map<String, Span> definedAt = new HashMap<>();
    /** The first name given to each node, by node id (null: none): an array, as most nodes of a large model are named. */
    private String[] nameOfNode = new String[64];
    /** Names made inside calls ({@code h1.net}): found by {@link #find}, not listed by {@link #names()}. */
    private final Map<String, Node> inner = new LinkedHashMap<>();
    /** Each family ({@code h} of {@code h[1]}, {@code h[2]}, ...) and the positions of its members. */
    private final Map<String, NavigableSet<Long>> families = new HashMap<>();
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

    /**
     * The node of any name: a name of the model ({@code h1}, {@code h[2]}) or a name made inside a
     * call ({@code h1.net}); null when there is none.
     */
    public Node find(String name) {
        Node node = byName.get(name);
        return node != null ? node : inner.get(name);
    }

    /** Every name {@link #find} knows: the model's names, then those made inside calls. */
    public List<String> allNames() {
        List<String> all = new ArrayList<>(byName.keySet());
        all.addAll(inner.keySet());
        return all;
    }

    /** True for a name made inside a call, such as {@code h1.net}. */
    public static boolean isInner(String name) {
        return name.indexOf('.') >= 0;
    }

    /**
     * The name a node prints as in an explanation that folds calls: as {@link #nameOf}, except
     * that a node named only inside a call has no name (it is part of its call's step).
     */
    public String outerNameOf(Node node) {
        String name = nameOf(node);
        return name != null && !node.isLeaf() && isInner(name) ? null : name;
    }

    /** The name of member {@code position} of a family: {@code h[3]}. */
    public static String member(String family, long position) {
        return family + "[" + position + "]";
    }

    /** True when {@code name} is a family with at least one member. */
    public boolean isFamily(String name) {
        return families.containsKey(name);
    }

    /** The positions of a family's members, or null for a name that is no family. */
    public NavigableSet<Long> members(String family) {
        return families.get(family);
    }

    /** Defines member {@code position} of a family ({@code h[3] = ...}); the caller has checked the name is free. */
    public void defineMember(String family, long position, Node node, Span span) {
        define(member(family, position), node, span);
        families.computeIfAbsent(family, k -> new TreeSet<>()).add(position);
    }

    /** Names a node made inside a call: {@code h1.net}, or a member of a local family {@code h1.a[2]}. */
    public void defineInner(String name, Node node, Span span) {
        inner.putIfAbsent(name, node);
        definedAt.putIfAbsent(name, span);
        nameFirst(node.id(), name);
        int open = name.lastIndexOf('[');
        if (open > name.lastIndexOf('.') && name.endsWith("]")) {
            families.computeIfAbsent(name.substring(0, open), k -> new TreeSet<>())
                    .add(Long.parseLong(name.substring(open + 1, name.length() - 1)));
        }
    }

    /** Every defined name, in definition order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    /** The name a node prints as: a leaf's name, else the first name given to it, else null. */
    public String nameOf(Node node) {
        return node.isLeaf() ? node.leafName() : node.id() < nameOfNode.length ? nameOfNode[node.id()] : null;
    }

    /** Records {@code name} as the node's name unless it has one. */
    private void nameFirst(int id, String name) {
        if (id >= nameOfNode.length) {
            nameOfNode = java.util.Arrays.copyOf(nameOfNode, Math.max(id + 1, 2 * nameOfNode.length));
        }
        if (nameOfNode[id] == null) {
            nameOfNode[id] = name;
        }
    }

    /**
     * Gives {@code node} the name {@code name}. A name defined before (a notebook cell redefining
     * it, a rebuilt dependent) points at the new node: the latest wins. The caller has checked
     * that the name may be given.
     */
    public void define(String name, Node node, Span span) {
        byName.put(name, node);
        definedAt.put(name, span);
        nameFirst(node.id(), name);
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

    /**
     * This model with some of its nodes made leaves: each keeps its value and its name, and what
     * was computed from it is computed from the leaf. A derivative with respect to the leaf is the
     * derivative with respect to the node with its own inputs held fixed (the adjoint a backward
     * sweep gives the node), so every sweep, check and explanation of leaves serves any node.
     *
     * @param at     the nodes to make leaves (none of them a leaf or a constant already)
     * @param names  the name each new leaf gets (how the user wrote the node)
     * @param values each node's current value
     */
    public Cut cut(List<Node> at, List<String> names, List<Tensor> values) {
        Scope cut = new Scope(options);
        Graph g = cut.graph;
        Map<Integer, Integer> made = new HashMap<>();
        for (int i = 0; i < at.size(); i++) {
            made.put(at.get(i).id(), i);
        }
        Node[] map = new Node[graph.size()];
        for (int id = 0; id < graph.size(); id++) {
            Node node = graph.get(id);
            Integer k = made.get(id);
            Node copy;
            if (k != null) {
                copy = cut.declare(names.get(k), LeafKind.INPUT, values.get(k), graph.span(node));
            } else if (node.isLeaf() && node.leafIndex() < 0) {
                // a symbol of a derivation (δ_net_o of a layer-by-layer explanation): never evaluated
                copy = g.symbol(node.leafName(), node.shape());
            } else if (node.isLeaf()) {
                copy = cut.declare(node.leafName(), node.leafKind(), leafValue(node), graph.span(node));
            } else if (node.isConstant()) {
                copy = g.constant(node.constantTensor());
            } else if (node.arity() == 1) {
                copy = g.node(node.op(), node.attrs(), map[node.input(0).id()]);
            } else {
                copy = g.node(node.op(), node.attrs(), map[node.input(0).id()], map[node.input(1).id()]);
            }
            map[id] = copy;
            if (graph.span(node) != null) {
                g.mark(copy, graph.span(node));
            }
        }
        for (Map.Entry<String, Node> e : byName.entrySet()) {
            if (cut.byName.get(e.getKey()) == null) {
                cut.byName.put(e.getKey(), map[e.getValue().id()]);
                cut.definedAt.put(e.getKey(), definedAt.get(e.getKey()));
                cut.nameFirst(map[e.getValue().id()].id(), e.getKey());
            }
        }
        for (Map.Entry<String, Node> e : inner.entrySet()) {
            cut.defineInner(e.getKey(), map[e.getValue().id()], definedAt.get(e.getKey()));
        }
        cut.families.putAll(families);
        return new Cut(cut, map);
    }

    /** A model with some nodes made leaves ({@link #cut}), and where each node of the original went. */
    public record Cut(Scope scope, Node[] map) {
        /** The node of the cut model that stands for {@code node} of the original. */
        public Node of(Node node) {
            return map[node.id()];
        }
    }
}
