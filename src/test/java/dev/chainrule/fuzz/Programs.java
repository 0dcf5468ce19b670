package dev.chainrule.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Random model programs for fuzzing, read off a list of choices so that QuickTheories shrinks a
 * failing program by shrinking its choices (towards 0, the simplest pick everywhere, never a
 * deliberate mistake). Three kinds:
 * raw bytes, token soup (language tokens in random order), and well-formed programs that use every
 * statement kind, every function and tensors of several shapes, with deliberate mistakes mixed in
 * (unknown names, mismatched shapes, bad arguments).
 */
final class Programs {
    static final List<String> TOKENS = List.of("input", "param", "print", "grad", "derive", "explain", "check", "train",
            "graph", "data", "wrt", "lr", "steps", "optimizer", "batch", "predict", "with", "plot", "over", "to",
            "x", "y", "W", "b", "E", "sigmoid", "sum", "softmax", "normal", "seed", "moons", "csv", "adam",
            "0", "1", "0.5", "-2", "1e308", "1e-320", "3.", ".5", "0..1", "\"f.csv\"", "\"",
            "=", ",", ";", "+", "-", "*", "/", "^", "@", ":", "'", "[", "]", "(", ")", "..", "\n", "\r\n", " ", "#", "\t", "é", "\u0000");

    private static final String[] UNARY = {"sigmoid", "tanh", "relu", "exp", "log", "sqrt", "abs", "sin", "cos", "softplus",
        "step", "sign"};
    private static final String[] REDUCE = {"sum", "mean", "max", "softmax", "log_softmax", "logsumexp"};
    private static final String[] INFIX = {" + ", " - ", " * ", " / ", "^", " @ "};
    private static final String[] LITERALS = {"0.5", "-1.25", "[0.1, -0.2]", "[0.3, 0.7, -1.1]", "[[0.5, -0.4], [1.2, 0.3]]",
        "[[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6]]", "[[1, 2], [3, 4], [5, 6]]", "normal(2, 3, seed=1)", "uniform(3, 2, -1, 1, seed=2)",
        "zeros(2)", "ones(3)", "0", "1e300", "-0", "onehot([1, 0], 2)", "uniform(2, -1, 1, seed=3)"};
    /** Mistakes in values, used one time in ten: malformed literals, and sizes near and past every limit. */
    private static final String[] BAD_LITERALS = {"[[]]", "[1, [2]]", "normal(2, seed=-1)", "zeros(0)", "[[1, 2], [3]]", "1e400",
        "normal(3, 3, 3, seed=1)", "uniform(2, 2, 1, -1, seed=1)", "zeros(2, 0)", "ones(1e9)", "onehot([5], 3)",
        "onehot([0.5, 1], 2)", "normal(2, 2, seed=1e30)", "[[[1]]]", "zeros(100000, 100000)", "ones(2.5)",
        "ones(65536, 1) + ones(1, 65536)", "ones(46341, 1) * ones(1, 46341)", "ones(2147483647, 1) @ ones(1, 2)",
        "onehot([1], 3000000000)", "onehot([1, 0], 2147483647)", "normal(2147483647, 2, seed=1)", "zeros(16385, 16385)",
        "ones(1, 65536) - ones(65536)", "sum(ones(65536, 1) + ones(1, 65536))"};
    /**
     * Data sources: generators, and data files made by the fuzz run beside the model (see
     * {@link FuzzProperties#files}): odd first rows, a BOM, NUL bytes, a FIFO, a folder, links and
     * paths that lead outside.
     */
    private static final String[] DATA = {"moons(20, 0.1, 1)", "circles(16, 0.1, 0.5, 2)", "xor(12, 0.2, 3)", "blobs(10, 2, 4)",
        "csv(\"missing.csv\", x=0..1, y=2)", "csv(\"../escape.csv\", x=0..1, y=2)", "moons(0, 0.1, 1)", "nosuch(1)",
        "csv(\"bom.csv\", x=0..1, y=2)", "csv(\"nan-first.csv\", x=0..1, y=2)", "csv(\"typo-first.csv\", x=0..1, y=2)",
        "csv(\"names.csv\", x=0..1, y=2, header=false)", "csv(\"numbers.csv\", x=0..1, y=2, header=true)",
        "csv(\"nul.csv\", x=0..1, y=2)", "csv(\"crlf.csv\", x=0..1, y=2)", "csv(\"header-only.csv\", x=0..1, y=2)",
        "csv(\"empty.csv\", x=0..1, y=2)", "csv(\"fifo.csv\", x=0..1, y=2)", "csv(\"folder.csv\", x=0..1, y=2)",
        "csv(\"outside-link.csv\", x=0..1, y=2)", "csv(\"/dev/zero\", x=0..1, y=2)", "csv(\"numbers.csv\", x=0..1, y=2, header=maybe)",
        "csv(\"numbers.csv\", x=0..9, y=2)", "csv(\"\", x=0..1, y=2)"};
    /** Where plots are written: ordinary names, and names that lead outside, into folders, links and other files. */
    private static final String[] PLOT_FILES = {"b.png", "sub/b.png", "../../x.png", "/tmp/chainrule-fuzz-outside.png",
        "", ".", "..", "folder.csv", "notes.png", "outside-link.png", "nested/../../b.png", "fifo.csv"};

    private final List<Integer> choices;
    private int at;

    private Programs(List<Integer> choices) {
        this.choices = choices;
    }

    private int pick(int bound) {
        if (at >= choices.size()) {
            return 0;
        }
        return Math.floorMod(choices.get(at++), bound);
    }

    private String of(String[] options) {
        return options[pick(options.length)];
    }

    private String literal() {
        return pick(10) == 9 ? of(BAD_LITERALS) : of(LITERALS);
    }

    /** Bytes as text (ISO-8859-1, so every byte is one character). */
    static String bytes(List<Integer> bytes) {
        byte[] b = new byte[bytes.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (int) bytes.get(i);
        }
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Tokens of the language (and a few strangers) in the order the choices give. */
    static String soup(List<Integer> choices) {
        StringBuilder s = new StringBuilder();
        for (int c : choices) {
            s.append(TOKENS.get(Math.floorMod(c, TOKENS.size()))).append(Math.floorMod(c, 3) == 0 ? " " : "");
        }
        return s.toString();
    }

    private static final String[] JSON_VALUES = {"null", "3", "-1", "\"text\"", "[]", "{}", "true", "[1, 2]", "{\"a\": 1}"};

    /** A JSON value that is usually not what a field wants. */
    private String oddValue() {
        return JSON_VALUES[pick(JSON_VALUES.length)];
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t").replace("\u0000", "\\u0000") + "\"";
    }

    /**
     * A notebook file, well-formed or not: cells of every kind with sources that are programs,
     * lists of lines, or values of the wrong type; keys missing; the whole truncated.
     */
    static String notebook(List<Integer> choices) {
        return new Programs(choices).notebook();
    }

    private String notebook() {
        StringBuilder cells = new StringBuilder();
        int n = pick(5);
        for (int i = 0; i < n; i++) {
            cells.append(i > 0 ? ", " : "").append(cell());
        }
        String body = switch (pick(8)) {
            case 0 -> oddValue();
            case 1 -> "{\"cells\": " + oddValue() + "}";
            case 2 -> "{\"metadata\": {}}";
            default -> "{\"cells\": [" + cells + "], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
        };
        return pick(10) == 9 ? body.substring(0, pick(body.length() + 1)) : body;
    }

    private String cell() {
        if (pick(10) == 9) {
            return oddValue();
        }
        StringBuilder cell = new StringBuilder("{");
        int type = pick(6);
        cell.append(type == 5 ? "" : "\"cell_type\": " + (type < 3 ? "\"code\"" : type == 3 ? "\"markdown\"" : oddValue()) + ", ");
        cell.append("\"metadata\": {}, ");
        String program = pick(2) == 0 ? program() : soupOf(8);
        cell.append("\"source\": ").append(switch (pick(6)) {
            case 0 -> oddValue();
            case 1 -> "[" + String.join(", ", program.lines().map(Programs::quoted).toList()) + ", " + oddValue() + "]";
            case 2, 3 -> "[" + String.join(", ", program.lines().map(line -> quoted(line + "\n")).toList()) + "]";
            default -> quoted(program);
        });
        if (pick(3) == 0) {
            cell.append(", \"outputs\": ").append(pick(2) == 0 ? "[]" : oddValue());
        }
        return cell.append("}").toString();
    }

    private String soupOf(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(TOKENS.get(pick(TOKENS.size()))).append(' ');
        }
        return s.toString();
    }

    private static final String[] IPS = {"\"127.0.0.1\"", "\"localhost\"", "\"::1\"", "\"0.0.0.0\"", "\"\"", "null", "5",
        "\"127.0.0.1; rm\"", "\"10.0.0.1\""};
    private static final String[] TRANSPORTS = {"\"tcp\"", "\"udp\"", "\"ipc\"", "\"\"", "null", "7", "\"inproc\""};
    private static final String[] PORTS = {"5001", "0", "-1", "65535", "65536", "70000", "99999999999", "\"5002\"", "null", "1.5",
        "5001"};
    private static final String[] KEYS = {"\"secret\"", "\"\"", "null", "3", "\"a b\""};
    private static final String[] SCHEMES = {"\"hmac-sha256\"", "\"hmac-md5\"", "\"\"", "null", "\"none\""};

    /** A kernel connection file: every field of every type, ports in and out of range, keys missing. */
    static String connectionFile(List<Integer> choices) {
        return new Programs(choices).connectionFile();
    }

    private String connectionFile() {
        String[] names = {"ip", "transport", "shell_port", "control_port", "stdin_port", "hb_port", "iopub_port", "key", "signature_scheme"};
        List<String> fields = new ArrayList<>();
        for (String name : names) {
            if (pick(8) == 7) {
                continue;
            }
            String value = switch (name) {
                case "ip" -> IPS[pick(IPS.length)];
                case "transport" -> TRANSPORTS[pick(TRANSPORTS.length)];
                case "key" -> KEYS[pick(KEYS.length)];
                case "signature_scheme" -> SCHEMES[pick(SCHEMES.length)];
                default -> PORTS[pick(PORTS.length)];
            };
            fields.add("\"" + name + "\": " + value);
        }
        String body = "{" + String.join(", ", fields) + "}";
        return switch (pick(10)) {
            case 8 -> oddValue();
            case 9 -> body.substring(0, pick(body.length() + 1));
            default -> body;
        };
    }

    /** A program of declarations, definitions and commands. */
    static String wellFormed(List<Integer> choices) {
        return new Programs(choices).program();
    }


    private String program() {
        List<String> names = new ArrayList<>();
        List<String> params = new ArrayList<>();
        StringBuilder s = new StringBuilder();
        int declarations = 1 + pick(4);
        for (int i = 0; i < declarations; i++) {
            String name = "p" + i;
            boolean param = pick(3) > 0;
            s.append(param ? "param " : "input ").append(name).append(" = ").append(literal()).append('\n');
            names.add(name);
            if (param) {
                params.add(name);
            }
        }
        if (pick(4) == 0) {
            s.append("data X, y = ").append(of(DATA)).append('\n');
            names.add("X");
            names.add("y");
        }
        int statements = 1 + pick(8);
        for (int i = 0; i < statements; i++) {
            String target = names.isEmpty() ? "1" : names.get(pick(names.size()));
            String wrt = params.isEmpty() ? "q" : params.get(pick(params.size()));
            switch (pick(14)) {
                case 0, 1, 2, 3 -> {
                    String name = pick(30) == 29 && !names.isEmpty() ? names.get(pick(names.size())) : "v" + i;
                    s.append(name).append(" = ").append(expr(names, 0)).append('\n');
                    names.add(name);
                }
                case 4 -> s.append("print ").append(expr(names, 0)).append('\n');
                case 5 -> s.append("grad ").append(target).append(pick(2) == 0 ? "" : " wrt " + wrt).append('\n');
                case 6 -> s.append("derive ").append(target).append(" wrt ").append(wrt).append('\n');
                case 7 -> s.append("explain ").append(target).append(" wrt ").append(wrt)
                        .append(pick(3) == 0 ? "[" + pick(3) + (pick(2) == 0 ? "" : ", " + (pick(4) - 1)) + "]" : "").append('\n');
                case 8 -> s.append("check ").append(target).append(pick(2) == 0 ? "" : " wrt " + wrt).append('\n');
                case 9 -> s.append("train ").append(target).append(" lr ").append(of(new String[] {"0.1", "0.5", "1e10", "0"}))
                        .append(" steps ").append(pick(12)).append(pick(2) == 0 ? "" : " wrt " + wrt)
                        .append(pick(2) == 0 ? "" : " optimizer " + of(new String[] {"sgd", "momentum", "adam", "rmsprop"}))
                        .append(names.contains("X") && pick(2) == 0 ? " batch " + (pick(30)) + " over X, y" : "").append('\n');
                case 10 -> s.append("graph ").append(target).append('\n');
                case 11 -> s.append("predict ").append(target).append(" with ").append(names.isEmpty() ? "z" : names.get(pick(names.size())))
                        .append(" = ").append(literal()).append('\n');
                case 12 -> s.append(pick(2) == 0 ? "plot loss" + (pick(2) == 0 ? "" : " to \"" + of(PLOT_FILES) + "\"") + "\n"
                        : "plot boundary " + target + " over X, y to \"" + of(PLOT_FILES) + "\"\n");
                default -> s.append(pick(10) == 9 ? target : "w" + i).append(" = ").append(expr(names, 0)).append("  # maybe a redefinition\n");
            }
        }
        return s.toString();
    }

    private String expr(List<String> names, int depth) {
        int kind = depth > 4 ? pick(3) : pick(12);
        return switch (kind) {
            case 0 -> names.isEmpty() ? "u" : names.get(pick(names.size()));
            case 1 -> literal();
            case 2 -> pick(10) == 9 ? "undefined_" + pick(3) : names.isEmpty() ? "2" : names.get(pick(names.size()));
            case 3, 4 -> of(UNARY) + "(" + expr(names, depth + 1) + ")";
            case 5, 6 -> "(" + expr(names, depth + 1) + of(INFIX) + expr(names, depth + 1) + ")";
            case 7 -> of(REDUCE) + "(" + expr(names, depth + 1) + (pick(3) == 0 ? ", " + (pick(4) - 1) : "") + ")";
            case 8 -> expr(names, depth + 1) + "[" + (pick(3) - 1) + (pick(2) == 0 ? "" : ", " + (pick(2) == 0 ? ":" : "" + pick(3))) + "]";
            case 9 -> "(" + expr(names, depth + 1) + ")'";
            case 10 -> of(new String[] {"max", "min", "pow", "cross_entropy", "softmax_cross_entropy"})
                    + "(" + expr(names, depth + 1) + ", " + expr(names, depth + 1) + ")";
            default -> switch (pick(4)) {
                case 0 -> "onehot([0, 2, 1], 3)";
                case 1 -> "grad(grad(" + expr(names, depth + 1) + ", p0), p0)";
                case 2 -> of(new String[] {"normal", "uniform", "zeros", "ones", "sum", "softmax", "onehot", "nosuch"})
                        + "(" + expr(names, depth + 1) + (pick(2) == 0 ? "" : ", seed=" + pick(3)) + ")";
                default -> "grad(" + expr(names, depth + 1) + ", " + (names.isEmpty() ? "p0" : names.get(pick(names.size()))) + ")";
            };
        };
    }
}
