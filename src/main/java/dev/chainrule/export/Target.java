package dev.chainrule.export;

import java.util.Locale;
import java.util.Set;

/** What {@code chainrule export --to} writes. */
public enum Target {
    /** A Java class that needs only the JDK. */
    JAVA("java", Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements",
            "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected", "public",
            "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient",
            "try", "void", "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits", "Math",
            "Result", "gradient", "String", "Double")),
    /** A Python module that needs only numpy. */
    NUMPY("py", Python.KEYWORDS),
    /** A Python module with a {@code torch.nn.Module} and a {@code torch.autograd.Function}. */
    PYTORCH("py", Python.PYTORCH_KEYWORDS),
    /** A header-only C99 function. */
    C("h", Set.of("auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
            "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed", "sizeof",
            "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "_Complex",
            "_Imaginary", "exp", "log", "sin", "cos", "tanh", "sqrt", "fabs", "pow", "expm1", "log1p", "fmax", "fmin", "INFINITY",
            "NAN", "main", "y0", "y1", "j0", "j1", "gamma", "erf")),
    /** A LaTeX document of the forward pass and every backward step. */
    LATEX("tex", Set.of());

    /** The file extension of what it writes. */
    public final String extension;
    /** Words that cannot be variables there (and names that would shadow what the code uses). */
    final Set<String> reserved;

    Target(String extension, Set<String> reserved) {
        this.extension = extension;
        this.reserved = reserved;
    }

    /** The target's name on the command line. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every target's word, in order: {@code java, numpy, pytorch, c, latex}. */
    public static java.util.List<String> words() {
        return java.util.Arrays.stream(values()).map(Target::word).toList();
    }

    /**
     * What the exported code is called: after the file it is written to ({@code stem}, its name
     * without extension), or {@code model} when there is none (null); a Java class with a capital
     * ({@code Model}, {@code Net}).
     */
    public String codeName(String stem) {
        String name = stem == null ? "model" : stem;
        if (this != JAVA) {
            return name;
        }
        return name.isEmpty() ? "Model" : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    /** The target a command-line word names ({@code numpy}), or null. */
    public static Target byWord(String word) {
        for (Target t : values()) {
            if (t.word().equals(word)) {
                return t;
            }
        }
        return null;
    }

    /** Python's words, and the names the generated modules use. */
    private static final class Python {
        static final Set<String> KEYWORDS = Set.of("False", "None", "True", "and", "as", "assert", "async", "await", "break", "class",
                "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
                "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "np", "torch",
                "self", "ctx", "match", "case", "type", "print", "len", "sum", "max", "min", "abs");
        static final Set<String> PYTORCH_KEYWORDS;

        static {
            java.util.HashSet<String> words = new java.util.HashSet<>(KEYWORDS);
            // attributes of torch.nn.Module that a param of the same name would replace
            words.addAll(Set.of("forward", "training", "parameters", "buffers", "modules", "children", "state_dict", "cuda", "cpu",
                    "to", "train", "eval", "double", "float", "half", "apply", "zero_grad", "register_buffer", "inputs", "DT"));
            PYTORCH_KEYWORDS = Set.copyOf(words);
        }
    }
}
