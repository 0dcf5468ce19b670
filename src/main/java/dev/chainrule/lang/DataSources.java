package dev.chainrule.lang;

import dev.chainrule.data.Csv;
import dev.chainrule.data.Dataset;
import dev.chainrule.data.Generators;
import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Suggestions;
import dev.chainrule.graph.Limits;
import dev.chainrule.io.Confinement;
import dev.chainrule.io.FileRefused;
import dev.chainrule.tensor.ShapeException;
import java.nio.file.Path;
import java.util.List;
import dev.chainrule.model.ModelOptions;

/**
 * The sources of {@code data X, y = ...}: {@code csv("file.csv", x=0..1, y=2)} read relative to the
 * model file, and the generators {@code moons(n, noise, seed)}, {@code circles(n, noise, factor, seed)},
 * {@code xor(n, noise, seed)} and {@code blobs(n, centers, seed)}.
 */
public final class DataSources {
    private static final List<String> SOURCES = List.of("csv", "moons", "circles", "xor", "blobs");

    private DataSources() {
    }

    /** The dataset a data statement names. */
    static Dataset load(Ast.Data data, ModelOptions options) {
        String source = data.source().name();
        Limits limits = options.limits();
        return switch (source) {
            case "csv" -> csv(data, options);
            case "moons" -> {
                double[] a = numbers(data, 3, "moons(n, noise, seed)");
                yield Generators.moons(points(data, a[0], 0, limits), a[1], seed(data, a[2], 2));
            }
            case "circles" -> {
                double[] a = numbers(data, 4, "circles(n, noise, factor, seed)");
                yield Generators.circles(points(data, a[0], 0, limits), a[1], a[2], seed(data, a[3], 3));
            }
            case "xor" -> {
                double[] a = numbers(data, 3, "xor(n, noise, seed)");
                yield Generators.xor(points(data, a[0], 0, limits), a[1], seed(data, a[2], 2));
            }
            case "blobs" -> {
                double[] a = numbers(data, 3, "blobs(n, centers, seed)");
                yield Generators.blobs(points(data, a[0], 0, limits), count(data, a[1], 1), seed(data, a[2], 2));
            }
            default -> throw ChainException.semantic(data.source().span(), "unknown data source '" + source + "'"
                    + Suggestions.didYouMean(source, SOURCES) + " (csv, moons, circles, xor, blobs)");
        };
    }

    private static double[] numbers(Ast.Data data, int count, String form) {
        List<Ast.DataArgument> args = data.args();
        if (args.size() != count) {
            throw ChainException.semantic(data.span(), data.source().name() + " takes " + count + " numbers: " + form);
        }
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            Ast.DataArgument a = args.get(i);
            if (a.name() != null || a.path() != null) {
                throw ChainException.semantic(a.span(), "expected a number here: " + form);
            }
            out[i] = a.number();
        }
        return out;
    }

    private static int count(Ast.Data data, double v, int index) {
        if (!(v >= 1 && v == Math.rint(v) && v <= 10_000_000)) {
            throw ChainException.semantic(data.args().get(index).span(), "expected a whole number of at least 1");
        }
        return (int) v;
    }

    /** A count of points of two coordinates, within the model's limit on elements. */
    private static int points(Ast.Data data, double v, int index, Limits limits) {
        int n = count(data, v, index);
        try {
            limits.requireElements(2L * n, n + " points of 2 coordinates");
        } catch (ShapeException tooMany) {
            throw ChainException.semantic(data.args().get(index).span(), tooMany.getMessage());
        }
        return n;
    }

    private static long seed(Ast.Data data, double v, int index) {
        if (!(v >= 0 && v == Math.rint(v))) {
            throw ChainException.semantic(data.args().get(index).span(), "a seed is a whole number of at least 0");
        }
        return (long) v;
    }

    private static Dataset csv(Ast.Data data, ModelOptions options) {
        Ast.DataArgument path = null;
        Ast.DataArgument x = null;
        Ast.DataArgument y = null;
        for (Ast.DataArgument a : data.args()) {
            if (a.path() != null && path == null) {
                path = a;
            } else if ("x".equals(a.name()) && x == null) {
                x = a;
            } else if ("y".equals(a.name()) && y == null) {
                y = a;
            } else if (!"header".equals(a.name())) {
                throw ChainException.semantic(a.span(), "csv takes a file name, x=FIRST..LAST, y=COLUMN and header=true|false");
            }
        }
        if (path == null || x == null || y == null) {
            throw ChainException.semantic(data.span(), "csv takes a file name, x=FIRST..LAST and y=COLUMN, "
                    + "such as csv(\"points.csv\", x=0..1, y=2)");
        }
        if (x.from() > x.to()) {
            throw ChainException.semantic(x.span(), "the columns of x run from the first to the last, such as x=0..1");
        }
        Csv.Header header = header(data);
        Path folder = modelFolder(path.span().source());
        try {
            Path file = Confinement.resolve(folder, path.path(), options.readable());
            if (file == null) {
                throw ChainException.semantic(path.span(), "csv reads files in the model's folder (" + folder + ") and below; "
                        + path.path() + " is outside it (allow its folder with --allow-read DIR)");
            }
            return Csv.read(file, x.from(), x.to(), y.from(), header, options.limits());
        } catch (FileRefused refused) {
            throw ChainException.semantic(path.span(), refused.getMessage());
        }
    }

    /** {@code header=true} or {@code header=false}, or AUTO when the model does not say. */
    private static Csv.Header header(Ast.Data data) {
        for (Ast.DataArgument a : data.args()) {
            if ("header".equals(a.name())) {
                if ("true".equals(a.word())) {
                    return Csv.Header.YES;
                }
                if ("false".equals(a.word())) {
                    return Csv.Header.NO;
                }
                throw ChainException.semantic(a.span(), "header is true or false, as in header=true");
            }
        }
        return Csv.Header.AUTO;
    }

    /** The folder of the model file (the working folder for a model with no file). */
    static Path modelFolder(Source model) {
        Path modelFile = Path.of(model.name().replace("example:", "")).toAbsolutePath();
        return modelFile.getParent().normalize();
    }
}
