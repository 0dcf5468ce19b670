package dev.chainrule.graph.rewrite;

import dev.chainrule.graph.Graph;
import dev.chainrule.graph.Node;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The form a person writes a derivative in. The arithmetic of an expression (sums, differences,
 * products, quotients, negations and constant powers, element by element) is read as a sum of
 * terms, each a coefficient times powers of factors, and written back in one way: like terms
 * collected ({@code 3·a + 2·a} is {@code 5·a}), powers merged ({@code y·y} is {@code y^2}),
 * one fraction bar ({@code y·(1/p)} is {@code y/p}), no double signs, the terms of a sum with
 * the positive ones first ({@code p - y}), a factor common to all terms taken out
 * ({@code (p - y)·x1}), and the factors of a product in the order they first appear, as the chain
 * rule made them. A sum is multiplied out only when that makes it smaller, and a quotient is
 * cancelled only by a factor known never to be zero ({@code sigmoid}, {@code exp}, {@code 1 -
 * sigmoid}, a nonzero constant): a rewrite never changes where an expression is defined.
 *
 * <p>Everything else (matrix products, reductions, functions) is an atom whose inputs are put in
 * this form in turn; named nodes are atoms as they are, so the result is written in the model's
 * names. The result is used only when it has no more nodes than the expression it came from, and
 * the same shape. Nodes are visited once each, children first, without recursion.
 */
public final class Canonical {
    /** The most terms multiplying out a product of sums may make. */
    static final int EXPAND = 16;
    /**
     * The work (factors copied and compared) one canonical form may take; past it the expression
     * is left as it was. Textbook expressions take a few thousand; a product of thousands of
     * factors would take quadratic time and gain nothing a reader could use.
     */
    static final long BUDGET = 500_000;

    /** Thrown inside when the budget is spent. */
    private static final class OverBudget extends RuntimeException {
        OverBudget() {
            super(null, null, false, false);
        }
    }

    private long work;

    private void spend(long units) {
        work += units;
        if (work > BUDGET) {
            throw new OverBudget();
        }
    }

    private final Graph graph;
    private final Predicate<Node> atom;
    /** The canonical sum of each node visited, by id. */
    private final Map<Integer, Sum> sums = new HashMap<>();
    /** The node each built sum is, by id, and back: a sum used as a factor can be multiplied out later. */
    private final Map<Integer, Sum> sumOfNode = new HashMap<>();
    /** What writing each built sum costs, by its node's id. */
    private final Map<Integer, Integer> costOfNode = new HashMap<>();
    /** The expression's own arithmetic nodes by the key of their sum: written as they are when no longer made anew. */
    private final Map<String, Node> written = new HashMap<>();
    /** When each factor was first seen: the order a product writes its factors in. */
    private final Map<Integer, Integer> rank = new HashMap<>();

    private Canonical(Graph graph, Predicate<Node> atom) {
        this.graph = graph;
        this.atom = atom;
    }

    /**
     * The canonical form of {@code root}, or {@code root} itself when the canonical form is not
     * smaller or would change the shape.
     *
     * @param named nodes written by name (a model's names): atoms, never rewritten
     */
    public static Node of(Graph graph, Node root, Predicate<Node> named) {
        Canonical c = new Canonical(graph, n -> n.isLeaf() || n.isConstant() || n != root && named.test(n));
        Node result;
        try {
            result = c.canonical(root);
        } catch (dev.chainrule.tensor.ShapeException | OverBudget e) {
            return root;
        }
        if (!result.shape().equals(root.shape())) {
            return root;
        }
        return size(result) <= size(root) ? result : root;
    }

    /** The nodes an expression is written with: itself and everything below it that is not a leaf or constant. */
    public static int size(Node root) {
        BitSet seen = new BitSet();
        java.util.ArrayDeque<Node> work = new java.util.ArrayDeque<>();
        work.push(root);
        int count = 0;
        while (!work.isEmpty()) {
            Node n = work.pop();
            if (seen.get(n.id())) {
                continue;
            }
            seen.set(n.id());
            if (!n.isLeaf() && !n.isConstant()) {
                count++;
            }
            for (int k = 0; k < n.arity(); k++) {
                work.push(n.input(k));
            }
        }
        return count;
    }

    // ---- the algebra of sums of terms ----

    /** A power of a factor, numerator and denominator apart until the factor is known not to be zero. */
    private static final class Power {
        double num;
        double den;

        Power(double num, double den) {
            this.num = num;
            this.den = den;
        }
    }

    /** A coefficient times powers of factors (by node id, in the order they were first met). */
    private static final class Term {
        final double coef;
        final LinkedHashMap<Integer, Power> factors;

        Term(double coef, LinkedHashMap<Integer, Power> factors) {
            this.coef = coef;
            this.factors = factors;
        }

        /** The factors alone, as a key for collecting like terms. */
        String key() {
            StringBuilder s = new StringBuilder();
            factors.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    s.append(e.getKey()).append('^').append(e.getValue().num).append('/').append(e.getValue().den).append(';'));
            return s.toString();
        }

        double degree() {
            double d = 0;
            for (Power p : factors.values()) {
                d += p.num - p.den;
            }
            return d;
        }
    }

    /** A sum of terms; no term is zero, no two terms are alike. */
    private static final class Sum {
        final List<Term> terms;
        /** Its terms as a key, made when first asked (by keyOf); the terms never change after the sum is made. */
        String key;

        Sum(List<Term> terms) {
            this.terms = terms;
        }

        boolean single() {
            return terms.size() == 1;
        }
    }

    private LinkedHashMap<Integer, Power> copy(Map<Integer, Power> factors) {
        spend(factors.size() + 1);
        return copyOf(factors);
    }

    private static LinkedHashMap<Integer, Power> copyOf(Map<Integer, Power> factors) {
        LinkedHashMap<Integer, Power> c = new LinkedHashMap<>();
        factors.forEach((k, p) -> c.put(k, new Power(p.num, p.den)));
        return c;
    }

    /**
     * Multiplies factors by {@code id^(num - den)}. A factor met twice has its powers added: the sum
     * left inside a bracket can be the very node taken out ({@code s·s·p0 + s·p0·p0}).
     */
    private static void multiply(Map<Integer, Power> factors, int id, double num, double den) {
        Power p = factors.computeIfAbsent(id, k -> new Power(0, 0));
        p.num += num;
        p.den += den;
    }

    private Sum constant(double c) {
        return c == 0 ? new Sum(List.of()) : new Sum(List.of(new Term(c, new LinkedHashMap<>())));
    }

    private Sum atomOf(Node n) {
        rank.putIfAbsent(n.id(), rank.size());
        LinkedHashMap<Integer, Power> f = new LinkedHashMap<>();
        f.put(n.id(), new Power(1, 0));
        return new Sum(List.of(new Term(1, f)));
    }

    /** {@code a + b} exactly, or NaN when the double sum is rounded (then the terms stay apart). */
    private static double exactSum(double a, double b) {
        double s = a + b;
        if (!Double.isFinite(s)) {
            return Double.NaN;
        }
        return new BigDecimal(a).add(new BigDecimal(b)).compareTo(new BigDecimal(s)) == 0 ? s : Double.NaN;
    }

    private static double exactProduct(double a, double b) {
        double p = a * b;
        if (!Double.isFinite(p)) {
            return Double.NaN;
        }
        return new BigDecimal(a).multiply(new BigDecimal(b)).compareTo(new BigDecimal(p)) == 0 ? p : Double.NaN;
    }

    /** Like terms collected (where their coefficients add exactly), zero terms dropped. */
    private Sum collect(List<Term> terms) {
        LinkedHashMap<String, List<Term>> byKey = new LinkedHashMap<>();
        for (Term t : terms) {
            spend(t.factors.size() + 1);
            List<Term> like = byKey.computeIfAbsent(t.key(), k -> new ArrayList<>());
            boolean merged = false;
            for (int i = 0; i < like.size(); i++) {
                double c = exactSum(like.get(i).coef, t.coef);
                if (!Double.isNaN(c)) {
                    like.set(i, new Term(c, like.get(i).factors));
                    merged = true;
                    break;
                }
            }
            if (!merged) {
                like.add(t);
            }
        }
        List<Term> out = new ArrayList<>();
        byKey.values().forEach(list -> list.stream().filter(t -> t.coef != 0).forEach(out::add));
        return new Sum(out);
    }

    private Sum add(Sum a, Sum b) {
        List<Term> all = new ArrayList<>(a.terms);
        all.addAll(b.terms);
        return collect(all);
    }

    private Sum neg(Sum a) {
        List<Term> out = new ArrayList<>();
        for (Term t : a.terms) {
            out.add(new Term(-t.coef, t.factors));
        }
        return new Sum(out);
    }

    /** The product of two terms: factors merged, and cancelled where the factor is never zero; null when a coefficient would be rounded. */
    private Term times(Term a, Term b) {
        double coef = exactProduct(a.coef, b.coef);
        if (Double.isNaN(coef)) {
            return null;
        }
        LinkedHashMap<Integer, Power> f = copy(a.factors);
        b.factors.forEach((id, p) -> {
            Power q = f.computeIfAbsent(id, k -> new Power(0, 0));
            q.num += p.num;
            q.den += p.den;
        });
        f.entrySet().removeIf(e -> {
            Power p = e.getValue();
            if (p.num > 0 && p.den > 0 && nonzero(graph.get(e.getKey()))) {
                double net = p.num - p.den;
                p.num = Math.max(0, net);
                p.den = Math.max(0, -net);
            }
            return p.num == 0 && p.den == 0;
        });
        return new Term(coef, f);
    }

    /** {@code a·b}: a term distributed over a sum, sums multiplied out when that is small, else kept as factors. */
    private Sum mul(Sum a, Sum b) {
        if (a.terms.isEmpty() || b.terms.isEmpty()) {
            return new Sum(List.of());
        }
        Sum factored = timesAsFactors(a, b);
        if (a.single() || b.single() || a.terms.size() * b.terms.size() <= EXPAND) {
            Sum expanded = distribute(a, b);
            if (expanded != null) {
                expanded = simplest(expanded);
                // multiplied out only when that is smaller: o·(1 - o) stays a product
                return cost(expanded) < cost(factored) ? expanded : factored;
            }
        }
        return factored;
    }

    private Sum distribute(Sum a, Sum b) {
        List<Term> out = new ArrayList<>();
        for (Term s : a.terms) {
            for (Term t : b.terms) {
                Term p = times(s, t);
                if (p == null) {
                    return null;
                }
                out.add(p);
            }
        }
        return collect(out);
    }

    /** {@code a·b} with each sum of more than one term kept whole, as one factor. */
    private Sum timesAsFactors(Sum a, Sum b) {
        Term ta = asTerm(a);
        Term tb = asTerm(b);
        Term p = times(ta, tb);
        if (p == null) {
            LinkedHashMap<Integer, Power> f = new LinkedHashMap<>();
            multiply(f, node(a).id(), 1, 0);
            multiply(f, node(b).id(), 1, 0);
            return new Sum(List.of(new Term(1, f)));
        }
        return new Sum(List.of(p));
    }

    /** A sum as one term: itself when it is one, else a factor that is the sum's node. */
    private Term asTerm(Sum s) {
        if (s.single()) {
            return s.terms.get(0);
        }
        LinkedHashMap<Integer, Power> f = new LinkedHashMap<>();
        Node n = node(s);
        f.put(n.id(), new Power(1, 0));
        return new Term(1, f);
    }

    /** {@code a / b}: by the inverse of a term, or over the sum kept whole as a denominator. */
    private Sum div(Sum a, Sum b) {
        if (b.terms.isEmpty()) {
            return null;
        }
        Term d = asTerm(b);
        if (d.coef == 0 || Double.isNaN(exactProduct(1 / d.coef, d.coef)) || exactProduct(1 / d.coef, d.coef) != 1) {
            return null;
        }
        LinkedHashMap<Integer, Power> inverse = new LinkedHashMap<>();
        d.factors.forEach((id, p) -> inverse.put(id, new Power(p.den, p.num)));
        return mul(a, new Sum(List.of(new Term(1 / d.coef, inverse))));
    }

    /** {@code a^k} for a constant k: the powers of a term's factors multiplied, a small whole power of a sum multiplied out if smaller. */
    private Sum pow(Sum a, double k) {
        if (a.single()) {
            Term t = a.terms.get(0);
            double coef = Math.pow(t.coef, k);
            boolean exact = k == Math.rint(k) && Math.abs(k) <= 8 && exactPower(t.coef, (int) k);
            if (!exact && t.coef != 1) {
                return null;
            }
            LinkedHashMap<Integer, Power> f = new LinkedHashMap<>();
            for (Map.Entry<Integer, Power> e : t.factors.entrySet()) {
                Power p = e.getValue();
                if (k != Math.rint(k) && !(p.den == 0 && positive(graph.get(e.getKey())))) {
                    return null; // a fractional power of something that may be negative: (x^2)^0.5 is not x
                }
                f.put(e.getKey(), k >= 0 ? new Power(p.num * k, p.den * k) : new Power(p.den * -k, p.num * -k));
            }
            return new Sum(List.of(new Term(coef, f)));
        }
        if (k == Math.rint(k) && k >= 2 && k <= 3) {
            Sum p = a;
            for (int i = 1; i < k; i++) {
                p = distribute(p, a);
                if (p == null || p.terms.size() > EXPAND) {
                    return null;
                }
            }
            return p;
        }
        return null;
    }

    private static boolean exactPower(double c, int k) {
        if (k < 0) {
            return c == 1 || c == -1 || exactPower(1 / c, -k) && exactProduct(1 / c, c) == 1;
        }
        double p = 1;
        for (int i = 0; i < k; i++) {
            p = exactProduct(p, c);
            if (Double.isNaN(p)) {
                return false;
            }
        }
        return true;
    }

    // ---- the simplest of the ways to write a sum ----

    /** A sum written its cheapest way: as it is, with its sums multiplied out, or with a common factor taken out. */
    private Sum simplest(Sum s) {
        Sum best = s;
        Sum expanded = expandFactors(s);
        if (expanded != null && cost(expanded) < cost(best)) {
            best = expanded;
        }
        Sum factored = factorOut(best);
        if (factored != null && cost(factored) < cost(best)) {
            best = factored;
        }
        return best;
    }

    /**
     * The sum with the sums among its factors multiplied out, round by round: in each round every
     * term multiplies out one of its sums over its other factors, which stay factors until their
     * turn, so that a quotient cancels against them first ({@code ((1 - y)/(1 - p) - y/p)·p·(1 - p)}
     * is {@code (1 - y)·p - y·(1 - p)}, then {@code p - y}). The cheapest round's result, or null
     * when there is nothing to multiply out or it grows past {@link #EXPAND} terms.
     */
    private Sum expandFactors(Sum s) {
        Sum best = null;
        Sum current = s;
        for (int round = 0; round < ROUNDS; round++) {
            Sum next = expandOne(current);
            if (next == null) {
                break;
            }
            current = next;
            if (best == null || cost(next) < cost(best)) {
                best = next;
            }
        }
        return best;
    }

    /** Rounds of multiplying out: sums nested this deep in a product are reached. */
    private static final int ROUNDS = 4;

    private Sum expandOne(Sum s) {
        List<Term> out = new ArrayList<>();
        boolean changed = false;
        for (Term t : s.terms) {
            Integer pick = null;
            for (Map.Entry<Integer, Power> e : t.factors.entrySet()) {
                if (sumOfNode.containsKey(e.getKey()) && e.getValue().num == 1 && e.getValue().den == 0) {
                    pick = e.getKey();
                    break;
                }
            }
            if (pick == null) {
                out.add(t);
                continue;
            }
            LinkedHashMap<Integer, Power> rest = copy(t.factors);
            rest.remove(pick);
            Term others = new Term(t.coef, rest);
            for (Term u : sumOfNode.get(pick).terms) {
                Term product = times(others, u);
                if (product == null) {
                    return null;
                }
                out.add(product);
            }
            changed = true;
            if (out.size() > 2 * EXPAND) {
                return null;
            }
        }
        if (!changed) {
            return null;
        }
        Sum collected = collect(out);
        return collected.terms.size() > EXPAND ? null : collected;
    }

    /** The factors every term has (to its least power) and the whole-number content of the coefficients, taken out of the sum. */
    private Sum factorOut(Sum s) {
        if (s.terms.size() < 2) {
            return null;
        }
        LinkedHashMap<Integer, Power> common = null;
        for (Term t : s.terms) {
            if (common == null) {
                common = copy(t.factors);
                common.values().forEach(p -> p.den = 0);
                common.entrySet().removeIf(e -> e.getValue().num <= 0);
                continue;
            }
            common.entrySet().removeIf(e -> !t.factors.containsKey(e.getKey()) || t.factors.get(e.getKey()).num <= 0);
            for (Map.Entry<Integer, Power> e : common.entrySet()) {
                e.getValue().num = Math.min(e.getValue().num, t.factors.get(e.getKey()).num);
            }
        }
        double content = integerContent(s);
        if (common.isEmpty() && content == 1) {
            return null;
        }
        List<Term> rest = new ArrayList<>();
        for (Term t : s.terms) {
            LinkedHashMap<Integer, Power> f = copy(t.factors);
            for (Map.Entry<Integer, Power> e : common.entrySet()) {
                Power p = f.get(e.getKey());
                p.num -= e.getValue().num;
                if (p.num == 0 && p.den == 0) {
                    f.remove(e.getKey());
                }
            }
            rest.add(new Term(t.coef / content, f));
        }
        Sum inner = collect(rest);
        // what is left in the bracket may be a sum of sums: s·(p0 + s) is s·(p1 + 2·p0)
        Sum flat = expandFactors(inner);
        if (flat != null && cost(flat) <= cost(inner)) {
            inner = flat;
        }
        Node innerNode = node(inner);
        LinkedHashMap<Integer, Power> f = new LinkedHashMap<>();
        // the sum left first, then what was taken out: (p - y)·x1, (o - t)·o·(1 - o)
        multiply(f, innerNode.id(), 1, 0);
        common.forEach((id, p) -> multiply(f, id, p.num, 0));
        return new Sum(List.of(new Term(content, f)));
    }

    /**
     * The number every coefficient is a multiple of: the greatest whole number dividing them all
     * (all whole), or their size when they are all of one size ({@code 0.5·a - 0.5·b} is
     * {@code 0.5·(a - b)}); else 1.
     */
    private static double integerContent(Sum s) {
        double size = Math.abs(s.terms.get(0).coef);
        if (s.terms.stream().allMatch(t -> Math.abs(t.coef) == size)) {
            return size;
        }
        long g = 0;
        for (Term t : s.terms) {
            double c = Math.abs(t.coef);
            if (c != Math.rint(c) || c > 1e15) {
                return 1;
            }
            g = java.math.BigInteger.valueOf(g).gcd(java.math.BigInteger.valueOf((long) c)).longValue();
        }
        return g <= 1 ? 1 : g;
    }

    /** The nodes writing a sum takes, counting the sums it has as factors. */
    private int cost(Sum s) {
        int c = Math.max(0, s.terms.size() - 1);
        for (Term t : s.terms) {
            int num = 0;
            int den = 0;
            for (Map.Entry<Integer, Power> e : t.factors.entrySet()) {
                Power p = e.getValue();
                int innerCost = costOfNode.getOrDefault(e.getKey(), 0);
                if (p.num > 0) {
                    num++;
                    c += (p.num != 1 ? 1 : 0) + innerCost;
                }
                if (p.den > 0) {
                    den++;
                    c += (p.den != 1 ? 1 : 0) + innerCost;
                }
            }
            boolean coefficient = Math.abs(t.coef) != 1 || num == 0 && den == 0;
            c += Math.max(0, num + (coefficient ? 1 : 0) - 1) + (den > 0 ? den : 0);
            if (t.coef < 0 && s.terms.get(0) == t) {
                c++;
            }
        }
        return c;
    }

    // ---- writing a sum as nodes ----

    /** A sum's terms, coefficients and all, as a key: sums alike have the same. */
    private String keyOf(Sum s) {
        if (s.key == null) {
            // a sum is asked for its node more than once (as a factor, a term, the result): its key is made once
            spend(s.terms.size() + 1);
            List<String> keys = new ArrayList<>();
            for (Term t : s.terms) {
                keys.add(t.coef + "·" + t.key());
            }
            java.util.Collections.sort(keys);
            s.key = String.join("+", keys);
        }
        return s.key;
    }

    /**
     * Whether a sum has only positive terms of distinct factors each to the first power: the
     * only sums whose own writing is kept, for the order of its factors and terms
     * ({@code x·y}, {@code 1 + y^2}); anything with a sign, a power or a quotient is written anew.
     */
    private static boolean plain(Sum s) {
        if (s.terms.isEmpty()) {
            return false;
        }
        for (Term t : s.terms) {
            if (t.coef <= 0) {
                return false;
            }
            for (Power p : t.factors.values()) {
                if (p.num != 1 || p.den != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether the arithmetic of {@code n} is written without brackets of its own level: no
     * product as the right operand of a product ({@code a·(b·c)}), no sum as the right operand of
     * a sum. Such a form is read back as it is written.
     */
    private boolean flat(Node n) {
        java.util.ArrayDeque<Node> work = new java.util.ArrayDeque<>();
        work.push(n);
        while (!work.isEmpty()) {
            Node x = work.pop();
            if (atom.test(x) || !ARITHMETIC.contains(x.op())) {
                continue;
            }
            Op op = x.op();
            if (op != Op.ADD && op != Op.MUL) {
                return false; // a sign, a quotient or a power: the sum is plain, so its own writing took a detour
            }
            if (x.arity() == 2) {
                Op right = x.input(1).op();
                boolean product = op == Op.MUL || op == Op.DIV;
                boolean sum = op == Op.ADD || op == Op.SUB;
                if (!atom.test(x.input(1)) && (product && (right == Op.MUL || right == Op.DIV || right == Op.MUL_NO_NAN)
                        || sum && (right == Op.ADD || right == Op.SUB) || op == Op.MUL_NO_NAN)) {
                    return false;
                }
            }
            for (int k = 0; k < x.arity(); k++) {
                work.push(x.input(k));
            }
        }
        return true;
    }

    /** The operations written for {@code n} above its atoms, counted up to {@code limit + 1}. */
    private int writtenSize(Node n, int limit) {
        BitSet seen = new BitSet();
        java.util.ArrayDeque<Node> work = new java.util.ArrayDeque<>();
        work.push(n);
        int count = 0;
        while (!work.isEmpty() && count <= limit) {
            Node x = work.pop();
            if (seen.get(x.id()) || atom.test(x)) {
                continue;
            }
            seen.set(x.id());
            count++;
            for (int k = 0; k < x.arity(); k++) {
                work.push(x.input(k));
            }
        }
        return count;
    }

    /**
     * The node of a sum: the expression's own node for it when that is written as shortly (x·y
     * stays x·y), else one made: positive terms first, then by degree, then in the order their factors were defined. */
    private Node node(Sum s) {
        Node own = plain(s) ? written.get(keyOf(s)) : null;
        if (own != null) {
            int cost = cost(s);
            if (writtenSize(own, cost) <= cost && flat(own)) {
                if (s.terms.size() > 1 && !sumOfNode.containsKey(own.id())) {
                    sumOfNode.put(own.id(), s);
                    costOfNode.put(own.id(), cost);
                }
                return own;
            }
        }
        List<Term> ordered = new ArrayList<>(s.terms);
        ordered.sort(Comparator.<Term>comparingInt(t -> t.coef < 0 ? 1 : 0)
                .thenComparing(Comparator.comparingDouble(Term::degree).reversed())
                .thenComparing(Canonical::definitionOrder));
        if (ordered.size() == 1 && ordered.get(0).factors.isEmpty()) {
            return graph.constant(ordered.get(0).coef); // a number is written with its sign: -0.5, not -(0.5)
        }
        Node acc = null;
        for (Term t : ordered) {
            Node magnitude = term(t);
            if (acc == null) {
                acc = t.coef < 0 ? graph.node(Op.NEG, magnitude) : magnitude;
            } else {
                acc = graph.node(t.coef < 0 ? Op.SUB : Op.ADD, acc, magnitude);
            }
        }
        if (acc == null) {
            acc = graph.constant(0);
        }
        if (s.terms.size() > 1 && !sumOfNode.containsKey(acc.id())) {
            sumOfNode.put(acc.id(), s);
            costOfNode.put(acc.id(), cost(s));
            // a sum stands in a product where its earliest factor was written
            int first = Integer.MAX_VALUE;
            for (Term t : s.terms) {
                first = Math.min(first, firstRank(t));
            }
            rank.putIfAbsent(acc.id(), first);
        }
        return acc;
    }

    /**
     * Terms alike in sign and degree in the order of their factors' definitions (nodes made
     * earlier first): the path through out_o1 before the one through out_o2, w5 before w7.
     */
    private static int definitionOrder(Term a, Term b) {
        int[] x = a.factors.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] y = b.factors.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        return java.util.Arrays.compare(x, y);
    }

    private int firstRank(Term t) {
        int best = Integer.MAX_VALUE;
        for (int id : t.factors.keySet()) {
            best = Math.min(best, rank.getOrDefault(id, Integer.MAX_VALUE - 1));
        }
        return best;
    }

    /** The node of a term's magnitude: coefficient, then the numerator's factors in order, over the denominator's. */
    private Node term(Term t) {
        Node num = null;
        double c = Math.abs(t.coef);
        boolean hasNumerator = t.factors.values().stream().anyMatch(p -> p.num > 0);
        if (c != 1 || !hasNumerator) {
            num = graph.constant(c);
        }
        Node den = null;
        List<Map.Entry<Integer, Power>> inOrder = new ArrayList<>(t.factors.entrySet());
        inOrder.sort(Comparator.<Map.Entry<Integer, Power>>comparingInt(e -> rank.getOrDefault(e.getKey(), Integer.MAX_VALUE))
                .thenComparingInt(e -> sumOfNode.containsKey(e.getKey()) ? 1 : 0));
        for (Map.Entry<Integer, Power> e : inOrder) {
            Node base = graph.get(e.getKey());
            Power p = e.getValue();
            if (p.num > 0) {
                Node f = power(base, p.num);
                num = num == null ? f : graph.node(Op.MUL, num, f);
            }
            if (p.den > 0) {
                Node f = power(base, p.den);
                den = den == null ? f : graph.node(Op.MUL, den, f);
            }
        }
        return den == null ? num : graph.node(Op.DIV, num, den);
    }

    private Node power(Node base, double k) {
        return k == 1 ? base : graph.node(Op.POW, base, graph.constant(k));
    }

    // ---- reading an expression ----

    /** The canonical node of {@code root}, its subexpressions done first. */
    private Node canonical(Node root) {
        rankInWritingOrder(root);
        int[] ids = Graph.below(root, n -> !atom.test(n), n -> true);
        for (int i = ids.length - 1; i >= 0; i--) {
            Node n = graph.get(ids[i]);
            Sum sum = read(n);
            sums.put(n.id(), sum);
            if (ARITHMETIC.contains(n.op())) {
                written.putIfAbsent(keyOf(sum), n);
            }
        }
        return built(sums.get(root.id()), root.shape());
    }

    /**
     * The node of a sum where a value of exactly {@code shape} is needed. A sum's value broadcasts
     * to its node's shape but may be smaller ({@code x - x} is 0, {@code c·onehot} summed over its
     * classes is c): element by element that is the same value, and only an operation that reads
     * its operand whole (a sum, a matrix product, a reshape) or the result itself needs the shape.
     */
    private Node built(Sum s, Shape shape) {
        Node x = node(s);
        return x.shape().equals(shape) ? x : graph.node(Op.BROADCAST_TO, shape.dims(), x);
    }

    /**
     * Ranks the nodes of the expression in the order it writes them, left to right: the order in
     * which a product writes its factors ({@code (p - y)·x1}, as the chain rule made it).
     */
    private void rankInWritingOrder(Node root) {
        // the arithmetic around the root first, left to right; what is inside a function's argument
        // after that, level by level: y in cos(x·y)·y stands where the product writes it, at the end
        java.util.ArrayDeque<Node> level = new java.util.ArrayDeque<>();
        level.add(root);
        while (!level.isEmpty()) {
            java.util.ArrayDeque<Node> inside = new java.util.ArrayDeque<>();
            java.util.ArrayDeque<Node> work = new java.util.ArrayDeque<>();
            while (!level.isEmpty()) {
                work.push(level.removeLast());
            }
            while (!work.isEmpty()) {
                Node n = work.pop();
                if (rank.containsKey(n.id())) {
                    continue;
                }
                rank.put(n.id(), rank.size());
                if (atom.test(n)) {
                    continue;
                }
                if (ARITHMETIC.contains(n.op())) {
                    for (int k = n.arity() - 1; k >= 0; k--) {
                        work.push(n.input(k));
                    }
                } else {
                    for (int k = 0; k < n.arity(); k++) {
                        inside.add(n.input(k));
                    }
                }
            }
            level = inside;
        }
    }

    /** The operations a sum of terms is made of. */
    private static final java.util.Set<Op> ARITHMETIC = java.util.EnumSet.of(Op.ADD, Op.SUB, Op.NEG, Op.MUL, Op.MUL_NO_NAN, Op.DIV,
            Op.POW);

    /** The sum of one node, its inputs read already. */
    private Sum read(Node n) {
        if (atom.test(n)) {
            if (n.isConstant() && uniform(n.constantTensor())) {
                return constant(n.constantTensor().get(0)); // [[-0.5, -0.5], [-0.5, -0.5]] is -0.5, broadcast
            }
            return atomOf(n);
        }
        Op op = n.op();
        Sum a = n.arity() > 0 ? sums.get(n.input(0).id()) : null;
        Sum b = n.arity() > 1 ? sums.get(n.input(1).id()) : null;
        Sum result = switch (op) {
            case ADD -> add(a, b);
            case SUB -> add(a, neg(b));
            case NEG -> neg(a);
            case MUL -> mul(a, b);
            case MUL_NO_NAN -> nonzero(n.input(1)) ? mul(a, b) : null;
            case DIV -> div(a, b);
            case POW -> n.input(1).isScalarConstant() ? pow(a, n.input(1).constantValue()) : null;
            default -> null;
        };
        if (result != null) {
            return op == Op.ADD || op == Op.SUB || op == Op.NEG ? simplest(result) : result;
        }
        if ((op == Op.LOG || op == Op.EXP) && a.single() && a.terms.get(0).coef == 1 && a.terms.get(0).factors.size() == 1) {
            // log(exp(x)) is x for every x; exp(log(x)) is x where log is defined, so only for an x known to be positive
            Map.Entry<Integer, Power> only = a.terms.get(0).factors.entrySet().iterator().next();
            Node inner = graph.get(only.getKey());
            Op inverse = op == Op.LOG ? Op.EXP : Op.LOG;
            if (only.getValue().num == 1 && only.getValue().den == 0 && inner.op() == inverse
                    && (op == Op.LOG || positive(inner.input(0)))) {
                return sumOf(inner.input(0));
            }
        }
        if ((op == Op.RESHAPE || op == Op.BROADCAST_TO) && (a.terms.isEmpty() || a.single() && a.terms.get(0).factors.isEmpty())) {
            return a; // a number put in another shape is the number, broadcast
        }
        if (op == Op.SUM && a.single() && a.terms.get(0).factors.size() == 1) {
            // a one-hot row has one 1: c times the sum over its classes is c (of every row: the shape is the sum's)
            Term t = a.terms.get(0);
            Map.Entry<Integer, Power> only = t.factors.entrySet().iterator().next();
            if (only.getValue().num == 1 && only.getValue().den == 0 && sumsToOne(graph.get(only.getKey()), n.attrs()[0])) {
                return constant(t.coef);
            }
        }
        if ((LINEAR.contains(op) || op == Op.RESHAPE && n.input(0).shape().isScalar()) && a.single() && a.terms.get(0).coef != 1) {
            // a linear operation takes a number out: sum(-y) is -sum(y)
            Term t = a.terms.get(0);
            Sum unit = new Sum(List.of(new Term(1, t.factors)));
            Node inner = rebuiltOn(n, unit);
            rank.putIfAbsent(inner.id(), rank.getOrDefault(n.id(), rank.size()));
            return mul(constant(t.coef), atomOf(inner));
        }
        Node made = rebuilt(n);
        rank.putIfAbsent(made.id(), rank.getOrDefault(n.id(), rank.size()));
        return atomOf(made);
    }

    private static boolean uniform(dev.chainrule.tensor.Tensor t) {
        for (int i = 1; i < t.size(); i++) {
            if (Double.compare(t.get(i), t.get(0)) != 0) {
                return false;
            }
        }
        return t.size() > 0;
    }

    /** The sum a node made here stands for (itself as one factor when it is no sum). */
    private Sum sumOf(Node built) {
        Sum s = sumOfNode.get(built.id());
        if (s != null) {
            return s;
        }
        return built.isScalarConstant() ? constant(built.constantValue()) : atomOf(built);
    }

    /** Whether a sum over {@code axis} of {@code x} adds the classes of a one-hot value: every row of {@code onehot(labels, k)} sums to 1. */
    private static boolean sumsToOne(Node x, int axis) {
        while (x.op() == Op.COPY) {
            x = x.input(0);
        }
        if (x.op() != Op.ONEHOT) {
            return false;
        }
        int classes = x.shape().rank() - 1;
        return axis == classes || axis < 0 && x.shape().rank() == 1;
    }

    /**
     * Operations of one operand that are linear in it: a number times their operand comes out.
     * Reshape only of a number: a vector made a column or a row keeps its number, so that
     * {@code (2·h) ⊗ x} is written as the outer product it is.
     */
    private static final java.util.Set<Op> LINEAR = java.util.EnumSet.of(Op.SUM, Op.TRANSPOSE, Op.BROADCAST_TO,
            Op.SUM_TO, Op.INDEX, Op.PAD);

    private Node rebuiltOn(Node n, Sum a) {
        return graph.node(n.op(), n.attrs(), built(a, n.input(0).shape()));
    }

    /** A node that is no arithmetic, made again of its inputs' canonical nodes (and the identities of its kind). */
    private Node rebuilt(Node n) {
        Node a = built(sums.get(n.input(0).id()), n.input(0).shape());
        Node b = n.arity() > 1 ? built(sums.get(n.input(1).id()), n.input(1).shape()) : null;
        if (n.op() == Op.EXP && a.op() == Op.LOG_SOFTMAX) {
            // exp(log_softmax(z)) is softmax(z), on the same domain
            return graph.node(Op.SOFTMAX, a.attrs(), a.input(0));
        }
        return b == null ? graph.node(n.op(), n.attrs(), a) : graph.node(n.op(), n.attrs(), a, b);
    }

    // ---- what is known of a value's sign ----

    /** How deep the sign of a value is looked for; deeper, it is not known (and nothing is cancelled). */
    private static final int SIGN_DEPTH = 16;

    /** True when every element of the node's value is positive, whatever its inputs. */
    static boolean positive(Node n) {
        return positive(n, 0);
    }

    private static boolean positive(Node n, int depth) {
        for (int guard = 0; guard < 64 && depth < SIGN_DEPTH; guard++) {
            switch (n.op()) {
                case CONSTANT -> {
                    dev.chainrule.tensor.Tensor t = n.constantTensor();
                    for (int i = 0; i < t.size(); i++) {
                        if (!(t.get(i) > 0)) {
                            return false;
                        }
                    }
                    return true;
                }
                case SIGMOID, EXP, SOFTPLUS, SOFTMAX -> {
                    return true;
                }
                case COPY -> n = n.input(0);
                case SUB -> {
                    // 1 - sigmoid(x) and 1 - softmax(x) lie in (0, 1)
                    Node a = n.input(0);
                    Node b = n.input(1);
                    while (b.op() == Op.COPY) {
                        b = b.input(0);
                    }
                    return a.isScalarConstant() && a.constantValue() >= 1 && (b.op() == Op.SIGMOID || b.op() == Op.SOFTMAX);
                }
                case ADD, MUL, DIV -> {
                    return positive(n.input(0), depth + 1) && positive(n.input(1), depth + 1);
                }
                case POW -> {
                    return positive(n.input(0), depth + 1);
                }
                default -> {
                    return false;
                }
            }
        }
        return false;
    }

    /** True when no element of the node's value can be zero. */
    static boolean nonzero(Node n) {
        if (n.op() == Op.NEG) {
            return positive(n.input(0));
        }
        if (n.isConstant()) {
            dev.chainrule.tensor.Tensor t = n.constantTensor();
            for (int i = 0; i < t.size(); i++) {
                if (t.get(i) == 0 || !Double.isFinite(t.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return positive(n);
    }
}
