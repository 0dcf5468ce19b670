package dev.chainrule.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Random model programs for fuzzing, read off a list of choices so that QuickTheories shrinks a
 * failing program by shrinking its choices (towards 0, the simplest pick everywhere, never a
 * deliberate mistake). Three kinds:
 * raw bytes, token soup (language tokens in random order), and well-formed programs that use every
 * statement kind, every function and tensors of several shapes, with deliberate mistakes mixed in
 * (unknown names, mismatched shapes, bad arguments). Well-formed programs also write functions
 * (one-line and blocks, called with the wrong number of arguments, calling themselves), loops that
 * build families (reading members not yet defined, with bounds reversed, negative, or past the
 * model's limits), includes of helper files, missing files, files outside and the model itself,
 * slices with odd bounds and steps, comparisons, the functions of shapes and axes with odd counts,
 * derivatives with respect to interior nodes, family members, names made inside calls and
 * elements, and params saved and loaded from good and bad files. A third of the programs are
 * careful: no deliberate mistakes and values that fit together, so that they reach the commands.
 */
public final class Programs {
    static final List<String> TOKENS = List.of("input", "param", "print", "grad", "derive", "explain", "check", "train",
            "graph", "data", "wrt", "lr", "steps", "optimizer", "batch", "predict", "with", "plot", "over", "to",
            "x", "y", "W", "b", "E", "sigmoid", "sum", "softmax", "normal", "seed", "moons", "csv", "adam",
            "0", "1", "0.5", "-2", "1e308", "1e-320", "3.", ".5", "0..1", "\"f.csv\"", "\"",
            "=", ",", ";", "+", "-", "*", "/", "^", "@", ":", "'", "[", "]", "(", ")", "..", "\n", "\r\n", " ", "#", "\t", "é", "\u0000",
            // functions, loops, families, includes, params files, slices, comparisons and targets
            "def", "return", "end", "for", "in", "include", "save", "load", "from", "params", "expand", ".", ":", "::",
            "<", "<=", ">", ">=", "==", "!=", "h", "t", "T", "f", "net", "axis", "axis=", "1..3", "1..100000000", "3..1",
            "where", "clip", "concat", "stack", "reshape", "pad", "sum_to", "broadcast_to", "argmax_mask", "max", "mean",
            "log1p", "expm1", "onehot", "len", "size", "\"w.json\"", "\"layers.chain\"", "\"cycle.chain\"", "\"fuzz.chain\"",
            "\"../outside.chain\"", "\"saved.json\"", "-1", "[t-1]", "[:, 1:]", "[::2]", "h[0]", "h[t]", "h1.net", "\n    ",
            "\nend\n");

    private static final String[] UNARY = {"sigmoid", "tanh", "relu", "exp", "log", "sqrt", "abs", "sin", "cos", "softplus",
        "step", "sign", "log1p", "expm1", "T"};
    private static final String[] REDUCE = {"sum", "mean", "max", "softmax", "log_softmax", "logsumexp", "argmax_mask"};
    private static final String[] INFIX = {" + ", " - ", " * ", " / ", "^", " @ "};
    private static final String[] COMPARISONS = {" < ", " <= ", " > ", " >= ", " == ", " != "};
    private static final String[] LITERALS = {"0.5", "-1.25", "[0.1, -0.2]", "[0.3, 0.7, -1.1]", "[[0.5, -0.4], [1.2, 0.3]]",
        "[[0.1, 0.2, 0.3], [-0.4, 0.5, -0.6]]", "[[1, 2], [3, 4], [5, 6]]", "normal(2, 3, seed=1)", "uniform(3, 2, -1, 1, seed=2)",
        "zeros(2)", "ones(3)", "0", "1e300", "-0", "onehot([1, 0], 2)", "uniform(2, -1, 1, seed=3)"};
    /** Values of a careful program: scalars, 2-vectors and 2×2 matrices, which broadcast and multiply together. */
    private static final String[] CAREFUL_LITERALS = {"0.5", "[0.1, -0.2]", "[[0.5, -0.4], [1.2, 0.3]]", "normal(2, 2, seed=1)",
        "uniform(2, -1, 1, seed=3)", "-1.25", "[0.3, 0.7]", "ones(2)", "[[1, 2], [3, 4]]", "uniform(2, 2, -1, 1, seed=2)"};
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
    private boolean careful;

    private Programs(List<Integer> choices) {
        this.choices = choices;
    }

    private int pick(int bound) {
        if (at >= choices.size()) {
            return 0;
        }
        return Math.floorMod(choices.get(at++), bound);
    }

    /**
     * A deliberate mistake, one time in {@code n}; never in a careful program (a third of them, and
     * the one every choice of 0 gives), so that programs also reach the statements after the first
     * mistake would have stopped them.
     */
    private boolean rare(int n) {
        return pick(n) == n - 1 && !careful;
    }

    private String of(String[] options) {
        return options[pick(options.length)];
    }

    private String literal() {
        if (careful) {
            return of(CAREFUL_LITERALS);
        }
        return rare(10) ? of(BAD_LITERALS) : of(LITERALS);
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

    /** A function written with def: its name, how many parameters it takes, and the local names its body defines. */
    private record Fn(String name, int arity, List<String> locals) {
    }

    /** Functions written so far (notebook cells share them), families defined so far, loop variables in force. */
    private final List<Fn> functions = new ArrayList<>();
    private final List<String> families = new ArrayList<>();
    private final List<String> loopVars = new ArrayList<>();
    /** Names made inside calls, for targets: {@code v3.net}, {@code v3.f0.net}, {@code v3.acc[1]}. */
    private final List<String> callNames = new ArrayList<>();
    /** The user functions called in the expression being generated, for the names their calls make. */
    private final List<Fn> called = new ArrayList<>();

    /** Whole numbers (indices, sizes, axes, positions): small ones mostly, sometimes odd ones. */
    private static final String[] SMALL_WHOLE = {"0", "1", "2", "-1", "3", "-2", "1"};
    private static final String[] ODD_WHOLE = {"1.5", "len(p0)", "size(p0, 0)", "size(p0, 1)", "2^3", "-0", "N", "T", "1e9",
        "9007199254740993", "p0", "len(1)", "(1 - 3)", "100000000", "-100000000", "size(p0, 7)", "len(h0)", "1/0", "0/0"};
    private static final String[] SLICE_BOUNDS = {"0", "1", "2", "-1", "-3", "5", "100", "-100", "3", "1.5"};
    private static final String[] SLICE_STEPS = {"1", "2", "0", "-1", "3", "-2", "100", "2147483648", "2147483647"};
    private static final String[] AXES = {"0", "1", "-1", "2", "-3", "1.5", "3"};
    /** Loop bounds: small, reversed, empty, negative; and huge ones, past the model's limits and at them. */
    private static final String[] LOOP_FROM = {"1", "0", "2", "-2", "3", "1.5", "N", "-100000000", "T"};
    private static final String[] LOOP_TO = {"3", "2", "1", "0", "N", "len(p0)", "-1", "4", "2.5", "p0", "N", "size(p0, -1)"};
    private static final String[] HUGE_BOUNDS = {"100000000", "33554433", "1e9", "9007199254740992", "2^62", "1e400", "-100000000",
        "33554432", "5000000"};
    private static final String[] LOOP_VARIABLES = {"t", "i", "k", "t", "s", "t", "p0", "N"};
    /** Members a loop body reads, relative to its variable: mostly the one before, sometimes past what is defined. */
    private static final String[] OFFSETS = {" - 1", " - 1", " - 1", "", " + 1", " - 2", " - 100"};
    private static final String[] NEW_FUNCTIONS = {"where", "clip", "concat", "stack", "reshape", "pad", "sum_to", "broadcast_to",
        "argmax_mask", "max", "mean", "T", "mul_no_nan", "len", "size", "onehot", "log1p", "expm1", "softmax", "logsumexp"};
    /** Files an include names: helpers made beside the model (see {@link FuzzProperties#files}), missing ones, ones outside. */
    private static final String[] INCLUDES = {"layers.chain", "missing.chain", "../outside.chain", "cycle.chain", "fuzz.chain",
        "a.chain", "broken.chain", "sub/inner.chain", "numbers.csv", "folder.csv", "fifo.csv", "/dev/zero", "",
        "outside-link.chain", "layers.chain", "nested/../layers.chain", "params.chain", "deep.chain", "/etc/passwd"};
    /** Params files to load: valid ones, wrong shapes and names, not JSON, special files, paths outside. */
    private static final String[] LOAD_FILES = {"saved.json", "w.json", "w-shapes.json", "w-ragged.json", "w-text.json",
        "w-deep.json", "w-huge.json", "w-list.json", "w-empty.json", "w-dup.json", "w-extra.json", "w-nested.json", "w-big.json",
        "missing.json", "../escape.json", "outside-link.json", "folder.csv", "fifo.csv", "/dev/zero", "", "numbers.csv", "w-strings.json"};
    /** Where params are saved: ordinary names, and names that lead outside, into folders, links and other files. */
    private static final String[] SAVE_FILES = {"saved.json", "saved.json", "sub/saved.json", "../chainrule-fuzz-escaped.json",
        "/tmp/chainrule-fuzz-outside.json", "notes.png", "folder.csv", "fifo.csv", "outside-link.json", "", ".", "..",
        "nested/../saved.json", "saved2.json"};
    /** Targets that are wrong in some way: unknown, a constant, too many positions, a part that is no name made in a call. */
    private static final String[] ODD_TARGETS = {"nosuch", "h0[1, 2]", "p0.x", "p0[0][0]", "T", "h0", "p0[0:1]", "h0[1].net.x",
        "v1.net[0, 0, 0]", "X", "y[0]", "h0[t]", "p0[9]", "f0", "v1.nosuch", "h0[1][0]", "sum"};

    private String whole() {
        if (!loopVars.isEmpty() && pick(2) == 0) {
            String t = loopVars.get(pick(loopVars.size()));
            return switch (pick(5)) {
                case 0 -> t;
                case 1 -> t + " - 1";
                case 2 -> t + " + 1";
                case 3 -> "-" + t;
                default -> "2*" + t;
            };
        }
        return rare(12) ? of(ODD_WHOLE) : of(SMALL_WHOLE);
    }

    /** One position of an index: a whole number, or a slice with random bounds and steps (0, negative, empty ones too). */
    private String position() {
        if (pick(2) == 0) {
            return whole();
        }
        String start = pick(3) == 0 ? "" : pick(6) == 5 ? whole() : of(SLICE_BOUNDS);
        String stop = pick(3) == 0 ? "" : pick(6) == 5 ? whole() : of(SLICE_BOUNDS);
        return switch (pick(5)) {
            case 0, 1 -> start + ":" + stop;
            case 2 -> start + ":" + stop + ":" + (pick(3) == 0 ? "" : of(SLICE_STEPS));
            case 3 -> ":";
            default -> "::" + of(SLICE_STEPS);
        };
    }

    private String family() {
        return families.isEmpty() ? "h0" : families.get(pick(families.size()));
    }

    /** What a derivative is taken with respect to: leaves, interior nodes, family members, names made in calls, elements. */
    private String target(List<String> names) {
        String name = names.isEmpty() ? "q" : names.get(pick(names.size()));
        return switch (pick(10)) {
            case 0, 1, 2 -> name;
            case 3, 4 -> families.isEmpty() && pick(4) > 0 ? name : family() + "[" + whole() + "]";
            case 5 -> callNames.isEmpty() ? pick(4) == 0 ? name + ".net" : name : callNames.get(pick(callNames.size()));
            case 6 -> (pick(3) == 0 ? family() + "[" + whole() + "]" : pick(3) == 0 && !callNames.isEmpty()
                    ? callNames.get(pick(callNames.size())) : name) + "[" + whole() + (pick(2) == 0 ? "" : ", " + whole()) + "]";
            case 7 -> family() + "[" + whole() + "]." + (pick(2) == 0 ? "net" : "f0.net");
            case 8 -> rare(2) ? of(ODD_TARGETS) : name;
            default -> name + "." + (functions.isEmpty() ? "f0" : functions.get(pick(functions.size())).name()) + ".net";
        };
    }

    /** What a command differentiates: a name, a member of a family, or an expression. */
    private String subject(List<String> names) {
        return switch (pick(4)) {
            case 0, 1 -> names.isEmpty() ? "1" : names.get(pick(names.size()));
            case 2 -> families.isEmpty() ? "sum(" + expr(names, 2) + ")" : family() + "[" + whole() + "]";
            default -> "sum(" + expr(names, 2) + ")";
        };
    }

    private String targets(List<String> names) {
        StringBuilder s = new StringBuilder(target(names));
        int more = pick(4) == 0 ? 1 + pick(3) : 0;
        for (int i = 0; i < more; i++) {
            s.append(", ").append(target(names));
        }
        return s.toString();
    }

    /** A program of declarations, definitions and commands. */
    public static String wellFormed(List<Integer> choices) {
        return new Programs(choices).program();
    }


    private String program() {
        List<String> names = new ArrayList<>();
        List<String> params = new ArrayList<>();
        StringBuilder s = new StringBuilder();
        careful = pick(3) == 0;
        if (pick(8) == 7) {
            s.append(include(names, params));
        }
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
            s.append("data X, y = ").append(careful ? DATA[pick(4)] : of(DATA)).append('\n');
            names.add("X");
            names.add("y");
        }
        int statements = 1 + pick(8);
        for (int i = 0; i < statements; i++) {
            String target = names.isEmpty() ? "1" : names.get(pick(names.size()));
            String wrt = params.isEmpty() ? "q" : params.get(pick(params.size()));
            switch (pick(26)) {
                case 0, 1, 2, 3 -> {
                    String name = pick(30) == 29 && !names.isEmpty() ? names.get(pick(names.size())) : "v" + i;
                    called.clear();
                    s.append(name).append(" = ").append(expr(names, 0)).append('\n');
                    callsMade(name);
                    names.add(name);
                }
                case 4 -> s.append("print ").append(expr(names, 0)).append('\n');
                case 5 -> s.append("grad ").append(pick(3) == 0 ? expr(names, 2) : target)
                        .append(switch (pick(3)) {
                            case 0 -> "";
                            case 1 -> " wrt " + wrt;
                            default -> " wrt " + targets(names);
                        }).append('\n');
                case 6 -> s.append("derive ").append(target).append(" wrt ").append(pick(2) == 0 ? wrt : target(names)).append('\n');
                case 7 -> s.append("explain ").append(target).append(" wrt ").append(switch (pick(3)) {
                    case 0 -> wrt + "[" + pick(3) + (pick(2) == 0 ? "" : ", " + (pick(4) - 1)) + "]";
                    case 1 -> wrt;
                    default -> target(names);
                }).append(pick(3) == 0 ? " expand" : "").append('\n');
                case 8 -> s.append("check ").append(target).append(switch (pick(3)) {
                    case 0 -> "";
                    case 1 -> " wrt " + wrt;
                    default -> " wrt " + targets(names);
                }).append('\n');
                case 9 -> s.append("train ").append(target).append(" lr ").append(of(new String[] {"0.1", "0.5", "1e10", "0"}))
                        .append(" steps ").append(pick(12)).append(pick(2) == 0 ? "" : " wrt " + (pick(4) == 0 ? targets(names) : wrt))
                        .append(pick(2) == 0 ? "" : " optimizer " + of(new String[] {"sgd", "momentum", "adam", "rmsprop"}))
                        .append(names.contains("X") && pick(2) == 0 ? " batch " + (pick(30)) + " over X, y" : "").append('\n');
                case 10 -> s.append("graph ").append(target).append('\n');
                case 11 -> s.append("predict ").append(target).append(" with ").append(names.isEmpty() ? "z" : names.get(pick(names.size())))
                        .append(" = ").append(literal()).append('\n');
                case 12 -> s.append(pick(2) == 0 ? "plot loss" + (pick(2) == 0 ? "" : " to \"" + of(PLOT_FILES) + "\"") + "\n"
                        : "plot boundary " + target + " over X, y to \"" + of(PLOT_FILES) + "\"\n");
                case 13 -> s.append(pick(10) == 9 ? target : "w" + i).append(" = ").append(expr(names, 0)).append("  # maybe a redefinition\n");
                case 14, 15 -> s.append(familyLoop(names, i));
                case 16 -> s.append(loopOfCommands(names, i));
                case 17, 18 -> s.append(function(names));
                case 19 -> {
                    if (functions.isEmpty()) {
                        s.append(function(names));
                    }
                    Fn f = functions.get(pick(functions.size()));
                    String name = "c" + i;
                    called.clear();
                    called.add(f);
                    s.append(name).append(" = ").append(call(f, names, 1)).append('\n');
                    callsMade(name);
                    names.add(name);
                }
                case 20 -> s.append(include(names, params));
                case 21 -> s.append(pick(3) == 0 ? "load params from \"" + of(LOAD_FILES) + "\"\n"
                        : pick(6) == 0 ? of(new String[] {"save W to \"saved.json\"\n", "load p0 from \"w.json\"\n"})
                        : "save params to \"" + of(SAVE_FILES) + "\"\n" + (pick(2) == 0 ? "load params from \"saved.json\"\n" : ""));
                case 22 -> {
                    if (!names.contains("N") || rare(4)) {
                        s.append("N = ").append(of(new String[] {"3", "2", "0", "-1", "1.5", "100000000", "len(p0)", "size(p0, 1)",
                            "p0", "33554432"})).append('\n');
                        names.add("N");
                    }
                }
                case 23 -> {
                    String labels = names.contains("y") && pick(4) > 0 ? "y" : of(new String[] {"[0, 1]", "p0", "[2, 0, 1]", "y'"});
                    String k = of(new String[] {"2", "3", "1", "4", "0", "-1", "len(X)"});
                    String name = "o" + i;
                    s.append(name).append(" = ").append(switch (pick(4)) {
                        case 0 -> "onehot(" + labels + ", " + k + ")";
                        case 1 -> "softmax_cross_entropy(" + expr(names, 2) + ", onehot(" + labels + ", " + k + "))";
                        case 2 -> "sum(onehot(" + labels + ", " + k + ") * " + expr(names, 2) + ")";
                        default -> "cross_entropy(softmax(" + expr(names, 2) + "), onehot(" + labels + ", " + k + "))";
                    }).append('\n');
                    names.add(name);
                }
                case 24 -> s.append("print ").append(newCall(names, 1)).append(", ").append(expr(names, 1)).append('\n');
                default -> s.append("print ").append(expr(names, 2)).append('[').append(position())
                        .append(pick(2) == 0 ? "" : ", " + position()).append("]\n");
            }
        }
        return s.toString();
    }

    /** After {@code name = ...f(...)...}: the names the calls made, as targets ({@code name.net}, {@code name.f.net}). */
    private void callsMade(String name) {
        for (Fn f : called) {
            for (String local : f.locals()) {
                callNames.add(name + "." + local);
                callNames.add(name + "." + f.name() + "." + local);
            }
        }
        called.clear();
    }

    /** An include of a helper file, a missing one, one outside, the model itself; a helper's names become usable. */
    private String include(List<String> names, List<String> params) {
        String file = careful ? of(new String[] {"layers.chain", "params.chain"}) : of(INCLUDES);
        if (file.equals("layers.chain")) {
            functions.add(new Fn("dense", 3, List.of()));
            functions.add(new Fn("block2", 2, List.of("net", "acc[1]", "acc[2]")));
            names.add("lw");
            params.add("lw");
        } else if (file.equals("params.chain")) {
            names.add("pw");
            params.add("pw");
            families.add("hp");
        }
        return "include \"" + file + "\"\n";
    }

    /** A family built by a loop: {@code h[0] = ...} then {@code for t in a..b: h[t] = ...h[t-1]...}, on one line or as a block. */
    private String familyLoop(List<String> names, int i) {
        StringBuilder s = new StringBuilder();
        String family = pick(12) == 0 && !names.isEmpty() ? names.get(pick(names.size())) : pick(6) == 0 ? family() : "h" + families.size();
        String variable = of(LOOP_VARIABLES);
        if (pick(4) > 0) {
            s.append(family).append("[").append(pick(5) == 0 ? whole() : "0").append("] = ").append(expr(names, 1)).append('\n');
        }
        String from = rare(6) ? of(LOOP_FROM) : "1";
        String to = rare(10) ? of(HUGE_BOUNDS) : of(LOOP_TO);
        s.append("for ").append(variable).append(" in ").append(from).append("..").append(to).append(':');
        families.add(family);
        loopVars.add(variable);
        String member = family + "[" + variable + of(OFFSETS) + "]";
        String body = family + "[" + (pick(8) == 0 ? whole() : variable) + "] = " + switch (pick(5)) {
            case 0 -> "tanh(" + expr(names, 2) + " * " + member + " + " + variable + ")";
            case 1 -> member + " + " + expr(names, 2);
            case 2 -> "sigmoid(" + expr(names, 2) + " @ " + member + ")";
            case 3 -> member + " * " + variable;
            default -> expr(names, 1);
        };
        if (pick(2) == 0) {
            s.append(' ').append(body).append('\n');
        } else {
            s.append('\n').append("    ").append(body).append('\n');
            int more = pick(3);
            for (int k = 0; k < more; k++) {
                s.append("    ").append(loopStatement(names, i * 10 + k)).append('\n');
            }
            s.append("end\n");
        }
        loopVars.remove(loopVars.size() - 1);
        return s.toString();
    }

    /** A statement inside a loop: another family, a command on this step, a nested loop, or a mistake (a plain definition, a declaration). */
    private String loopStatement(List<String> names, int i) {
        String variable = loopVars.get(loopVars.size() - 1);
        return switch (pick(10)) {
            case 0, 1 -> {
                String family = "g" + i;
                families.add(family);
                yield family + "[" + variable + "] = " + expr(names, 2);
            }
            case 2 -> "print " + expr(names, 2);
            case 3 -> "grad " + subject(names) + " wrt " + targets(names);
            case 4 -> "check " + expr(names, 3) + (pick(2) == 0 ? "" : " wrt " + targets(names));
            case 5 -> "explain " + subject(names) + " wrt " + target(names) + (pick(2) == 0 ? "" : " expand");
            case 6 -> {
                String inner = variable.equals("j") ? "t" : "j";
                String family = "m" + i;
                families.add(family);
                loopVars.add(inner);
                String line = "for " + inner + " in 1.." + (rare(10) ? of(HUGE_BOUNDS) : of(LOOP_TO)) + ": " + family + "["
                        + variable + " * 10 + " + inner + "] = " + expr(names, 2);
                loopVars.remove(loopVars.size() - 1);
                yield line;
            }
            case 7 -> rare(2) ? "v" + i + " = " + expr(names, 2) + "  # a plain definition in a loop"
                    : "grad sum(" + expr(names, 2) + ") wrt " + targets(names);
            case 8 -> rare(2) ? of(new String[] {"param z" + i + " = 1", "include \"layers.chain\"", "def fl(a) = a",
                "data X2, y2 = xor(4, 0.1, 1)"}) : "print " + variable;
            default -> "derive " + subject(names) + " wrt " + target(names);
        };
    }

    /** A loop whose body runs commands, and nested loops: the sizes multiply. */
    private String loopOfCommands(List<String> names, int i) {
        String variable = of(LOOP_VARIABLES);
        String to = rare(10) ? of(HUGE_BOUNDS) : of(LOOP_TO);
        StringBuilder s = new StringBuilder("for " + variable + " in " + (rare(6) ? of(LOOP_FROM) : "1") + ".." + to + ":\n");
        loopVars.add(variable);
        int n = 1 + pick(3);
        for (int k = 0; k < n; k++) {
            s.append("  ").append(loopStatement(names, i * 10 + k)).append('\n');
        }
        loopVars.remove(loopVars.size() - 1);
        return s.append("end\n").toString();
    }

    /**
     * A function, on one line or as a block of local definitions and loops: some call themselves or
     * functions not yet written, some have bodies whose shapes fit only some arguments, some hold
     * statements a function cannot.
     */
    private String function(List<String> names) {
        String name = rare(10) ? of(new String[] {"sum", "p0", "f0", "dense", "h0", "T"}) : "f" + functions.size();
        int arity = pick(4);
        List<String> parameters = new ArrayList<>();
        String[] parameterNames = {"a", "b", "c"};
        for (int k = 0; k < arity; k++) {
            parameters.add(rare(12) ? of(new String[] {"a", "p0", "t", "x"}) : parameterNames[k]);
        }
        List<String> visible = new ArrayList<>(parameters);
        if (pick(3) == 0 || visible.isEmpty()) {
            visible.addAll(names);
        }
        List<String> locals = new ArrayList<>();
        Fn fn = new Fn(name, arity, locals);
        if (pick(3) == 0) {
            functions.add(fn);  // written before its body, so the body may call it: a recursive call
        }
        StringBuilder s = new StringBuilder("def " + name + "(" + String.join(", ", parameters) + ")");
        if (pick(2) == 0) {
            s.append(" = ").append(expr(visible, 1)).append('\n');
        } else {
            s.append(":\n");
            int definitions = pick(3);
            String[] localNames = {"net", "out", "z"};
            for (int k = 0; k < definitions; k++) {
                s.append("    ").append(localNames[k]).append(" = ").append(expr(visible, 1)).append('\n');
                visible.add(localNames[k]);
                locals.add(localNames[k]);
            }
            if (pick(2) == 0) {
                String variable = of(new String[] {"t", "t", "s", "a"});
                String to = rare(10) ? of(HUGE_BOUNDS) : of(LOOP_TO);
                s.append("    acc[0] = ").append(expr(visible, 2)).append('\n');
                families.add("acc");
                loopVars.add(variable);
                s.append("    for ").append(variable).append(" in 1..").append(to).append(":\n");
                s.append("        acc[").append(variable).append("] = acc[").append(variable).append(of(OFFSETS)).append("] * ")
                        .append(expr(visible, 2)).append('\n');
                s.append("    end\n");
                loopVars.remove(loopVars.size() - 1);
                families.remove(families.size() - 1);
                locals.add("acc[1]");
                locals.add("acc[0]");
                visible.add("acc[" + of(new String[] {"1", "2", "0", "-1", "3"}) + "]");
            }
            if (rare(8)) {
                s.append("    ").append(of(new String[] {"print a", "param q = 1", "grad a", "include \"layers.chain\"",
                    "def inner(x) = x", "a = 1"})).append('\n');
            }
            s.append("    return ").append(expr(visible, 1)).append('\n').append("end\n");
        }
        if (!functions.contains(fn)) {
            functions.add(fn);
        }
        return s.toString();
    }

    /** A call of a written function, with the right number of arguments or (sometimes) not. */
    private String call(Fn f, List<String> names, int depth) {
        int n = rare(8) ? Math.max(0, f.arity() + pick(3) - 1) : f.arity();
        List<String> args = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            args.add(expr(names, depth + 1));
        }
        if (n > 0 && rare(16)) {
            args.set(0, "a=" + args.get(0));
        }
        return f.name() + "(" + String.join(", ", args) + ")";
    }

    /** A call of one of the new functions, with random (sometimes wrong) argument counts, sizes and axes. */
    private String newCall(List<String> names, int depth) {
        String f = of(NEW_FUNCTIONS);
        int operands = switch (f) {
            case "where", "clip" -> 3;
            case "concat", "stack" -> 1 + pick(3);
            case "mul_no_nan" -> 2;
            default -> 1;
        };
        if (rare(12)) {
            operands = pick(4);
        }
        List<String> args = new ArrayList<>();
        for (int k = 0; k < operands; k++) {
            args.add(expr(names, depth + 1));
        }
        switch (f) {
            case "reshape" -> {
                int n = pick(4);
                for (int k = 0; k < n; k++) {
                    args.add(of(new String[] {"2", "-1", "3", "1", "4", "6", "0", "-2", "N", "2147483647"}));
                }
            }
            case "pad" -> {
                int n = pick(4) == 0 ? pick(7) : 3 * (1 + pick(2));
                for (int k = 0; k < n; k++) {
                    args.add(rare(20) ? of(new String[] {"-1", "100000", "0", "2147483647", "1073741824"}) : of(new String[] {"0", "1", "1", "2"}));
                }
            }
            case "sum_to", "broadcast_to" -> {
                int n = pick(4);
                for (int k = 0; k < n; k++) {
                    args.add(of(new String[] {"1", "2", "3", "0", "-1", "2", "2147483647"}));
                }
            }
            case "size" -> args.add(of(AXES));
            case "onehot" -> args.add(of(new String[] {"2", "3", "1", "0", "-1"}));
            case "max", "mean", "softmax", "logsumexp" -> {
                if (pick(3) == 0) {
                    args.add(of(AXES));
                }
            }
            default -> { }
        }
        if (pick(4) == 0) {
            args.add((rare(8) ? of(new String[] {"seed=", "keep=", "axis="}) : "axis=") + of(AXES));
        }
        return f + "(" + String.join(", ", args) + ")";
    }

    private String expr(List<String> names, int depth) {
        int kind = depth > 4 ? pick(3) : pick(20);
        return switch (kind) {
            case 0 -> names.isEmpty() ? "u" : names.get(pick(names.size()));
            case 1 -> literal();
            case 2 -> rare(10) ? "undefined_" + pick(3) : names.isEmpty() ? "2" : names.get(pick(names.size()));
            case 3, 4 -> of(UNARY) + "(" + expr(names, depth + 1) + ")";
            case 5, 6 -> "(" + expr(names, depth + 1) + of(INFIX) + expr(names, depth + 1) + ")";
            case 7 -> of(REDUCE) + "(" + expr(names, depth + 1) + (pick(3) == 0 ? ", " + (pick(4) - 1) : "") + ")";
            case 8 -> expr(names, depth + 1) + "[" + (pick(3) - 1) + (pick(2) == 0 ? "" : ", " + (pick(2) == 0 ? ":" : "" + pick(3))) + "]";
            case 9 -> "(" + expr(names, depth + 1) + ")'";
            case 10 -> of(new String[] {"max", "min", "pow", "cross_entropy", "softmax_cross_entropy"})
                    + "(" + expr(names, depth + 1) + ", " + expr(names, depth + 1) + ")";
            case 11 -> switch (pick(4)) {
                case 0 -> "onehot([0, 2, 1], 3)";
                case 1 -> "grad(grad(" + expr(names, depth + 1) + ", p0), p0)";
                case 2 -> of(new String[] {"normal", "uniform", "zeros", "ones", "sum", "softmax", "onehot", "nosuch"})
                        + "(" + expr(names, depth + 1) + (pick(2) == 0 ? "" : ", seed=" + pick(3)) + ")";
                default -> "grad(" + expr(names, depth + 1) + ", " + (names.isEmpty() ? "p0" : names.get(pick(names.size()))) + ")";
            };
            case 12 -> expr(names, depth + 1) + "[" + position() + (pick(2) == 0 ? "" : ", " + position()) + "]";
            case 13, 14 -> newCall(names, depth);
            case 15 -> "(" + expr(names, depth + 1) + of(COMPARISONS) + expr(names, depth + 1) + ")";
            case 16 -> {
                if (functions.isEmpty() && pick(4) > 0) {
                    yield names.isEmpty() ? "2" : names.get(pick(names.size()));
                }
                Fn f = functions.isEmpty() || rare(12) ? new Fn(of(new String[] {"f0", "f9", "dense", "nosuch"}), 1, List.of())
                        : functions.get(pick(functions.size()));
                called.add(f);
                yield call(f, names, depth);
            }
            case 17 -> families.isEmpty() ? (pick(4) == 0 || names.isEmpty() ? "h0[1]" : names.get(pick(names.size())))
                    : switch (pick(10)) {
                        case 0 -> family();
                        case 1 -> family() + "[1, 2]";
                        case 2 -> family() + "[0:2]";
                        default -> family() + "[" + whole() + "]";
                    };
            case 18 -> !loopVars.isEmpty() && pick(3) > 0 ? loopVars.get(pick(loopVars.size()))
                    : "(" + expr(names, depth + 1) + " * " + of(new String[] {"len(p0)", "size(p0, 1)", "len(p0)", "size(p0, -1)", "N"}) + ")";
            default -> "grad(" + (careful ? "sum(" + expr(names, depth + 1) + ")" : expr(names, depth + 1)) + ", " + target(names) + ")";
        };
    }
}
