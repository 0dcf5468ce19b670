package dev.chainrule.autodiff;

import dev.chainrule.graph.op.Op;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassTooLargeException;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Turns a {@link Tape} into straight-line code: a hidden class whose forward method computes
 * each slot in turn ({@code v[5] = SIGMOID.value(v[3], 0)}) and whose backward method adds each
 * slot's rules into the adjoints, with every index, op and folded constant written into the code.
 * The JIT then compiles the sweeps into machine code with the op table's value methods inlined,
 * so a small tape swept by training runs at close to the speed of the same network written by
 * hand.
 *
 * <p>The code is a translation of the tape and nothing else: the ops' values are calls of
 * {@link Op#value}, the rules are the tape's recorded {@link Tape.Rule} instructions, applied in
 * the interpreter's order, so a compiled sweep gives bit for bit the numbers of the interpreted
 * one. Tapes of more than {@link #MAX_SLOTS} slots stay interpreted (their code would take the
 * JIT longer to compile than it saves). The code of the last 32 tape structures is kept (with a
 * copy of each structure, at most 20 bytes a slot), so training the same model again reuses code
 * the JIT has already compiled.
 */
final class TapeCompiler {
    /** The largest tape compiled; larger ones are swept by the interpreter. */
    static final int MAX_SLOTS = 20_000;
    /** Bytes of bytecode per method, below the JIT's limit of 8000 for compiling a method at all. */
    private static final int METHOD_BUDGET = 6000;
    private static final String OP = "dev/chainrule/graph/op/Op";
    private static final String OP_DESC = "L" + OP + ";";
    private static final String SWEEP = "dev/chainrule/autodiff/TapeCompiler$Compiled";
    private static final String NAME = "dev/chainrule/autodiff/CompiledTape";
    private static final Map<Key, Compiled> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Compiled> eldest) {
            return size() > 32;
        }
    };

    private TapeCompiler() {
    }

    /** The call site of each op's value, by ordinal, made when first linked: every slot of that op shares it. */
    private static final CallSite[] SITES = new CallSite[Op.values().length];

    /** The bootstrap of the compiled code's op calls: the call site named after an op is bound to that op's value. */
    static CallSite opValue(MethodHandles.Lookup caller, String op, MethodType type) {
        Op o = Op.valueOf(op);
        synchronized (SITES) {
            if (SITES[o.ordinal()] == null) {
                SITES[o.ordinal()] = new ConstantCallSite(o.valueHandle().asType(type));
            }
            return SITES[o.ordinal()];
        }
    }

    private static final Handle OP_VALUE = new Handle(Opcodes.H_INVOKESTATIC, "dev/chainrule/autodiff/TapeCompiler", "opValue",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/CallSite;", false);

    /** The sweeps of a compiled tape, over the tape's value and adjoint arrays. */
    public interface Compiled {
        /** Computes every slot from the leaves and constants already in {@code v}. */
        void forward(double[] v);

        /** Adds every slot's share into {@code adj}, which holds 1 at the root and 0 elsewhere. */
        void backward(double[] v, double[] adj);
    }

    /** The structure the code depends on: codes, inputs, constants (leaf values are read at run time). */
    static final class Key {
        private final int[] code;
        private final int[] in0;
        private final int[] in1;
        private final double[] constants;
        private final int hash;

        Key(Tape tape) {
            this.code = Arrays.copyOf(tape.code, tape.size);
            this.in0 = Arrays.copyOf(tape.in0, tape.size);
            this.in1 = Arrays.copyOf(tape.in1, tape.size);
            int constant = Op.CONSTANT.ordinal();
            this.constants = new double[tape.size];
            for (int i = 0; i < tape.size; i++) {
                constants[i] = (code[i] & Tape.OP) == constant ? tape.values[i] : 0;
            }
            this.hash = ((Arrays.hashCode(code) * 31 + Arrays.hashCode(in0)) * 31 + Arrays.hashCode(in1)) * 31
                    + Arrays.hashCode(constants);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(code, k.code) && Arrays.equals(in0, k.in0)
                    && Arrays.equals(in1, k.in1) && Arrays.equals(constants, k.constants);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The compiled code of a tape of this structure if one was made before, else null. */
    static Compiled cached(Key key) {
        synchronized (CACHE) {
            return CACHE.get(key);
        }
    }

    /**
     * The compiled sweeps of {@code tape}, made now if none is cached; null when the tape is too
     * large to compile.
     */
    static Compiled compile(Tape tape, Key key) {
        if (tape.size > MAX_SLOTS) {
            return null;
        }
        Compiled compiled = cached(key);
        if (compiled != null) {
            return compiled;
        }
        try {
            byte[] bytes = new Writer(tape).classFile();
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
            compiled = (Compiled) lookup.findConstructor(lookup.lookupClass(),
                    java.lang.invoke.MethodType.methodType(void.class)).invoke();
        } catch (ClassTooLargeException | MethodTooLargeException e) {
            return null;
        } catch (Throwable e) {
            throw new IllegalStateException("compiling a tape of " + tape.size + " slots", e);
        }
        synchronized (CACHE) {
            CACHE.put(key, compiled);
        }
        return compiled;
    }

    /** Writes the class file of one tape. */
    private static final class Writer {
        /** Locals of the static sweep methods: v, adj, then g, a, b, out, then the rule's temporaries. */
        private static final int V = 0;
        private static final int ADJ = 1;
        private static final int G = 2;
        private static final int A = 4;
        private static final int B = 6;
        private static final int OUT = 8;
        private static final int TEMP = 10;
        private static final Op[] OPS = Op.values();

        private final Tape tape;
        private final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);

        Writer(Tape tape) {
            this.tape = tape;
        }

        byte[] classFile() {
            cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, NAME, null, "java/lang/Object", new String[] {SWEEP});
            MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
            init.visitCode();
            init.visitVarInsn(Opcodes.ALOAD, 0);
            init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
            init.visitInsn(Opcodes.RETURN);
            init.visitMaxs(0, 0);
            init.visitEnd();
            List<int[]> forward = chunks(true);
            List<int[]> backward = chunks(false);
            for (int k = 0; k < forward.size(); k++) {
                MethodVisitor mv = chunk("f" + k, "([D)V");
                for (int i = forward.get(k)[0]; i < forward.get(k)[1]; i++) {
                    forwardSlot(mv, i);
                }
                end(mv);
            }
            for (int k = 0; k < backward.size(); k++) {
                MethodVisitor mv = chunk("b" + k, "([D[D)V");
                for (int i = backward.get(k)[1] - 1; i >= backward.get(k)[0]; i--) {
                    backwardSlot(mv, i);
                }
                end(mv);
            }
            driver("forward", "([D)V", "f", forward.size(), 1);
            driver("backward", "([D[D)V", "b", backward.size(), 2);
            cw.visitEnd();
            return cw.toByteArray();
        }

        /**
         * Ranges of slots [from, to) whose code fits in one method each, by an upper bound of the
         * bytes each slot takes; backward chunks are listed from the root down.
         */
        private List<int[]> chunks(boolean forward) {
            List<int[]> chunks = new ArrayList<>();
            int end = tape.root + 1;
            int to = end;
            int bytes = 0;
            for (int i = end - 1; i >= 0; i--) {
                int cost = forward ? forwardCost(i) : backwardCost(i);
                if (bytes + cost > METHOD_BUDGET && bytes > 0) {
                    chunks.add(new int[] {i + 1, to});
                    to = i + 1;
                    bytes = 0;
                }
                bytes += cost;
            }
            if (to > 0) {
                chunks.add(new int[] {0, to});
            }
            if (forward) {
                java.util.Collections.reverse(chunks);
            }
            return chunks;
        }

        private MethodVisitor chunk(String name, String descriptor) {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, name, descriptor, null, null);
            mv.visitCode();
            return mv;
        }

        private static void end(MethodVisitor mv) {
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }

        private void driver(String name, String descriptor, String prefix, int chunks, int arrays) {
            MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, name, descriptor, null, null);
            mv.visitCode();
            for (int k = 0; k < chunks; k++) {
                for (int a = 1; a <= arrays; a++) {
                    mv.visitVarInsn(Opcodes.ALOAD, a);
                }
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, NAME, prefix + k, descriptor, false);
            }
            end(mv);
        }

        private static boolean computed(int code) {
            return (code & Tape.OP) > Op.LEAF.ordinal();
        }

        private int forwardCost(int i) {
            return computed(tape.code[i]) ? 24 : 0;
        }

        private int backwardCost(int i) {
            int c = tape.code[i];
            if (!computed(c) || (c & (Tape.NEEDS_A | Tape.NEEDS_B)) == 0) {
                return 0;
            }
            int cost = 40;
            for (int k = 0; k < 2; k++) {
                if ((c & (k == 0 ? Tape.NEEDS_A : Tape.NEEDS_B)) != 0) {
                    cost += 16 + 20 * tape.rules[i][k].ops.length;
                }
            }
            return cost;
        }

        /** {@code v[i] = OP.value(v[x], v[y] or 0)}. */
        private void forwardSlot(MethodVisitor mv, int i) {
            int c = tape.code[i];
            if (!computed(c)) {
                return;
            }
            mv.visitVarInsn(Opcodes.ALOAD, V);
            push(mv, i);
            element(mv, V, tape.in0[i]);
            if (tape.in1[i] >= 0) {
                element(mv, V, tape.in1[i]);
            } else {
                mv.visitInsn(Opcodes.DCONST_0);
            }
            value(mv, OPS[c & Tape.OP]);
            mv.visitInsn(Opcodes.DASTORE);
        }

        /**
         * {@code g = adj[i]; if (g != 0) { adj[x] += g * rule0; adj[y] += g * rule1; }} for the
         * inputs that take an adjoint, as {@link Tape#backward(double[])} does it.
         */
        private void backwardSlot(MethodVisitor mv, int i) {
            int c = tape.code[i];
            if (!computed(c) || (c & (Tape.NEEDS_A | Tape.NEEDS_B)) == 0) {
                return;
            }
            element(mv, ADJ, i);
            mv.visitVarInsn(Opcodes.DSTORE, G);
            mv.visitVarInsn(Opcodes.DLOAD, G);
            mv.visitInsn(Opcodes.DCONST_0);
            mv.visitInsn(Opcodes.DCMPL);
            Label skip = new Label();
            mv.visitJumpInsn(Opcodes.IFEQ, skip);
            element(mv, V, tape.in0[i]);
            mv.visitVarInsn(Opcodes.DSTORE, A);
            if (tape.in1[i] >= 0) {
                element(mv, V, tape.in1[i]);
            } else {
                mv.visitInsn(Opcodes.DCONST_0);
            }
            mv.visitVarInsn(Opcodes.DSTORE, B);
            element(mv, V, i);
            mv.visitVarInsn(Opcodes.DSTORE, OUT);
            if ((c & Tape.NEEDS_A) != 0) {
                accumulate(mv, tape.in0[i], tape.rules[i][0]);
            }
            if ((c & Tape.NEEDS_B) != 0) {
                accumulate(mv, tape.in1[i], tape.rules[i][1]);
            }
            mv.visitLabel(skip);
        }

        /** {@code adj[x] = adj[x] + g * rule}. */
        private void accumulate(MethodVisitor mv, int x, Tape.Rule rule) {
            mv.visitVarInsn(Opcodes.ALOAD, ADJ);
            push(mv, x);
            mv.visitInsn(Opcodes.DUP2);
            mv.visitInsn(Opcodes.DALOAD);
            mv.visitVarInsn(Opcodes.DLOAD, G);
            ruleValue(mv, rule);
            mv.visitInsn(Opcodes.DMUL);
            mv.visitInsn(Opcodes.DADD);
            mv.visitInsn(Opcodes.DASTORE);
        }

        /** Leaves the rule's value on the stack, its instructions run in order into temporaries. */
        private void ruleValue(MethodVisitor mv, Tape.Rule rule) {
            if (rule.result < 0) {
                mv.visitLdcInsn(rule.constant);
                return;
            }
            for (int k = 0; k < rule.ops.length; k++) {
                register(mv, rule, rule.x[k]);
                register(mv, rule, rule.y[k]);
                value(mv, rule.ops[k]);
                mv.visitVarInsn(Opcodes.DSTORE, TEMP + 2 * k);
            }
            register(mv, rule, rule.result);
        }

        /**
         * {@code op.value(a, b)} of the two doubles on the stack, through a call site of its own
         * bound by {@link #opValue} to that op's value: the JIT inlines each op where it is used.
         */
        private static void value(MethodVisitor mv, Op op) {
            mv.visitInvokeDynamicInsn(op.name(), "(DD)D", OP_VALUE);
        }

        /** Registers 0, 1, 2 are a, b, out; then the rule's constants; then one per instruction. */
        private static void register(MethodVisitor mv, Tape.Rule rule, int r) {
            int temps = 3 + rule.constants.length;
            if (r < 3) {
                mv.visitVarInsn(Opcodes.DLOAD, r == 0 ? A : r == 1 ? B : OUT);
            } else if (r < temps) {
                mv.visitLdcInsn(rule.constants[r - 3]);
            } else {
                mv.visitVarInsn(Opcodes.DLOAD, TEMP + 2 * (r - temps));
            }
        }

        private static void element(MethodVisitor mv, int array, int index) {
            mv.visitVarInsn(Opcodes.ALOAD, array);
            push(mv, index);
            mv.visitInsn(Opcodes.DALOAD);
        }

        private static void push(MethodVisitor mv, int n) {
            if (n <= 5) {
                mv.visitInsn(Opcodes.ICONST_0 + n);
            } else if (n <= Byte.MAX_VALUE) {
                mv.visitIntInsn(Opcodes.BIPUSH, n);
            } else if (n <= Short.MAX_VALUE) {
                mv.visitIntInsn(Opcodes.SIPUSH, n);
            } else {
                mv.visitLdcInsn(n);
            }
        }
    }
}
