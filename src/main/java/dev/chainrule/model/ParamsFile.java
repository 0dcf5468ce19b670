package dev.chainrule.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.chainrule.graph.Node;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The params of a model as a JSON file: one entry per param, its value written as a number, a
 * list or a list of lists, as the language writes literals:
 * <pre>{"W1": [[0.15, 0.2], [0.25, 0.3]], "b1": [0.35, 0.35], "w5": 0.4}</pre>
 * Numbers are written so they read back to the same double. Reading checks the names and the
 * shapes both ways: every param of the model has a value in the file, and every value in the
 * file belongs to a param of that shape.
 */
public final class ParamsFile {
    private ParamsFile() {
    }

    /** A params file could not be taken; the message says why, naming the param. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** The params of {@code scope}, in declaration order, as the text of a file. */
    public static String write(Scope scope) {
        StringBuilder out = new StringBuilder("{\n");
        List<Node> params = scope.params();
        for (int i = 0; i < params.size(); i++) {
            Node p = params.get(i);
            out.append("  ").append(quote(p.leafName())).append(": ");
            value(out, scope.leafValue(p));
            out.append(i + 1 < params.size() ? ",\n" : "\n");
        }
        return out.append("}\n").toString();
    }

    private static void value(StringBuilder out, Tensor t) {
        Shape shape = t.shape();
        if (shape.isScalar()) {
            out.append(number(t.item()));
            return;
        }
        int columns = shape.rank() == 2 ? shape.dim(1) : shape.dim(0);
        int rows = shape.rank() == 2 ? shape.dim(0) : 1;
        out.append(shape.rank() == 2 ? "[" : "");
        for (int r = 0; r < rows; r++) {
            out.append(r > 0 ? ", " : "").append('[');
            for (int c = 0; c < columns; c++) {
                out.append(c > 0 ? ", " : "").append(number(t.get(r * columns + c)));
            }
            out.append(']');
        }
        out.append(shape.rank() == 2 ? "]" : "");
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String quote(String name) {
        return new JsonPrimitive(name).toString();
    }

    /** The deepest nesting a params file has: an object of matrices is 3, and 8 leaves room. */
    static final int DEEPEST = 8;

    /**
     * The value of each param of {@code scope} that {@code text} gives, keyed by the param's leaf.
     *
     * @param file how to name the file in messages
     * @throws Refused for text that is not such a file, a name that is no param, a value of
     *                 another shape, or a param the file has no value for
     */
    public static Map<Node, Tensor> read(Scope scope, String text, String file) throws Refused {
        JsonObject object;
        if (dev.chainrule.io.JsonNesting.tooDeep(text, DEEPEST)) {
            throw new Refused(file + " nests its values more than " + DEEPEST + " deep; a params file holds numbers, vectors and matrices");
        }
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw new Refused(file + " is not a params file: it should hold {\"name\": value, ...}");
            }
            object = root.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new Refused(file + " is not JSON: " + firstLine(e.getMessage()));
        }
        Map<Node, Tensor> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            String name = entry.getKey();
            Node leaf = scope.lookup(name);
            if (leaf != null && leaf.isLeaf() && leaf.leafKind() == dev.chainrule.graph.LeafKind.INPUT) {
                throw new Refused(file + " has a value for '" + name + "', which is an input of the model; a params file holds params only");
            }
            if (leaf == null || !leaf.isLeaf() || leaf.leafKind() != dev.chainrule.graph.LeafKind.PARAM) {
                throw new Refused(file + " has a value for '" + name + "', which is not a param of the model"
                        + dev.chainrule.diag.Suggestions.didYouMean(name, names(scope.params())));
            }
            Tensor value = tensor(entry.getValue(), name, file);
            if (!value.shape().equals(leaf.shape())) {
                throw new Refused(file + " gives '" + name + "' a " + describe(value.shape()) + ", and the model's '" + name
                        + "' is a " + describe(leaf.shape()));
            }
            values.put(leaf, value);
        }
        for (Node p : scope.params()) {
            if (!values.containsKey(p)) {
                throw new Refused(file + " has no value for the param '" + p.leafName() + "'");
            }
        }
        return values;
    }

    private static String describe(Shape shape) {
        return shape.isScalar() ? "scalar" : shape + " value";
    }

    private static List<String> names(List<Node> leaves) {
        List<String> names = new ArrayList<>();
        leaves.forEach(l -> names.add(l.leafName()));
        return names;
    }

    /** A number, a list of numbers, or a list of equally long lists of numbers. */
    private static Tensor tensor(JsonElement e, String name, String file) throws Refused {
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            return Tensor.scalar(finite(e, name, file));
        }
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw new Refused(file + " gives '" + name + "' something that is not a number, a list or a list of lists");
        }
        JsonArray rows = e.getAsJsonArray();
        boolean matrix = rows.get(0).isJsonArray();
        int columns = matrix ? rows.get(0).getAsJsonArray().size() : rows.size();
        List<Double> data = new ArrayList<>();
        for (JsonElement row : rows) {
            if (row.isJsonArray() != matrix || matrix && row.getAsJsonArray().size() != columns) {
                throw new Refused(file + " gives '" + name + "' rows of different lengths or kinds");
            }
            for (JsonElement x : matrix ? row.getAsJsonArray() : List.of(row)) {
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isNumber()) {
                    throw new Refused(file + " gives '" + name + "' an element that is not a number: " + x);
                }
                data.add(finite(x, name, file));
            }
        }
        if (columns == 0) {
            throw new Refused(file + " gives '" + name + "' empty rows");
        }
        double[] values = data.stream().mapToDouble(Double::doubleValue).toArray();
        return Tensor.of(matrix ? Shape.of(rows.size(), columns) : Shape.of(rows.size()), values);
    }

    private static double finite(JsonElement x, String name, String file) throws Refused {
        double v;
        try {
            v = x.getAsDouble();
        } catch (NumberFormatException e) {
            throw new Refused(file + " gives '" + name + "' an element that is not a number: " + x);
        }
        if (!Double.isFinite(v)) {
            throw new Refused(file + " gives '" + name + "' a number too large for a double: " + x);
        }
        return v;
    }

    /** The reader's message, its first line, without the name of the Java exception it came in. */
    private static String firstLine(String message) {
        if (message == null) {
            return "it cannot be read";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.replaceFirst("^([a-z]+\\.)+[A-Za-z]+(Exception|Error): ", "");
    }
}
