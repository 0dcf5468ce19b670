package dev.chainrule.lang;

import dev.chainrule.diag.Span;
import dev.chainrule.graph.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * Where a name is looked up while a model is built: the loop variables in force, innermost
 * first, and the frame of the call being inlined (the model's top level outside any call).
 *
 * @param frame  the call being inlined, or {@link Frame#TOP}
 * @param loop   the innermost loop variable, or null outside loops
 * @param naming the name the value being built will get ({@code h1}, {@code h[3]}, {@code h1.net}),
 *               or null; calls inside it name what they make after it
 * @param whole  the expression that is the whole right-hand side of that definition, or null:
 *               a call written there is named by the definition itself ({@code h1.net})
 */
record Env(Frame frame, LoopVariable loop, String naming, Ast.Expr whole) {
    /** The top level, outside loops and calls. */
    static final Env TOP = new Env(Frame.TOP, null, null, null);

    /** A loop variable and its value for one step. */
    record LoopVariable(String name, long value, LoopVariable outer) {
    }

    /** The value of a loop variable in force, or null. */
    Long loopValue(String name) {
        for (LoopVariable v = loop; v != null; v = v.outer()) {
            if (v.name().equals(name)) {
                return v.value();
            }
        }
        return null;
    }

    /** This environment inside one more step of a loop. */
    Env withLoop(String name, long value) {
        return new Env(frame, new LoopVariable(name, value, loop), naming, whole);
    }

    /** This environment while building the definition {@code name = whole}. */
    Env naming(String name, Ast.Expr whole) {
        return new Env(frame, loop, name, whole);
    }

    /** True inside a loop. */
    boolean inLoop() {
        return loop != null;
    }

    /**
     * One inlined call: its parameters and local names, the names its locals get in the model
     * ({@code h1.net}), and the call that made it, for messages and for refusing recursion.
     */
    static final class Frame {
        /** The model's top level: no call. */
        static final Frame TOP = new Frame(null, null, null, "", null);

        final Frame caller;
        final String function;
        final Ast.Call site;
        /** What names made in this call are prefixed with: {@code h1} for {@code h1 = dense(...)}. */
        final String prefix;
        /** The function's definition (for the line a message names), or null at the top. */
        final Ast.Function definition;
        final Map<String, Node> locals = new HashMap<>();
        final Map<String, Span> localsAt = new HashMap<>();
        /** Local families ({@code a[t]} inside the body) and their members' positions. */
        final Map<String, NavigableSet<Long>> families = new HashMap<>();

        Frame(Frame caller, String function, Ast.Call site, String prefix, Ast.Function definition) {
            this.caller = caller;
            this.function = function;
            this.site = site;
            this.prefix = prefix;
            this.definition = definition;
        }

        boolean isTop() {
            return caller == null;
        }

        /** The qualified name a local gets in the model: {@code h1.net}. */
        String qualified(String local) {
            return prefix.isEmpty() ? local : prefix + "." + local;
        }

        /** True when {@code name} is being inlined here or in a caller: calling it again would never end. */
        boolean active(String name) {
            for (Frame f = this; f != null && f.function != null; f = f.caller) {
                if (f.function.equals(name)) {
                    return true;
                }
            }
            return false;
        }

        /** The chain of calls from the outermost to this one: {@code f → g → f}. */
        String chain(String next) {
            java.util.Deque<String> names = new java.util.ArrayDeque<>();
            for (Frame f = this; f != null && f.function != null; f = f.caller) {
                names.addFirst(f.function);
            }
            names.addLast(next);
            return String.join(" → ", names);
        }

        void addMember(String family, long position) {
            families.computeIfAbsent(family, k -> new TreeSet<>()).add(position);
        }
    }
}
