package dev.chainrule.lang;

import dev.chainrule.diag.Span;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Tensor;
import java.util.List;

/**
 * The abstract syntax tree: what the user wrote, with where they wrote it. Records only; no
 * method here walks a tree recursively (deep trees are walked by explicit stacks elsewhere).
 */
public final class Ast {
    private Ast() {
    }

    /** A whole source: its statements in order. */
    public record Program(List<Stmt> statements) {
    }

    /** An expression. */
    public sealed interface Expr {
        Span span();

        /** Direct subexpressions, left to right. */
        List<Expr> children();
    }

    public record Number(double value, Span span) implements Expr {
        @Override
        public List<Expr> children() {
            return List.of();
        }
    }

    /** A vector or matrix written out: {@code [1, 2]}, {@code [[1, 2], [3, 4]]}. */
    public record Literal(Tensor value, Span span) implements Expr {
        @Override
        public List<Expr> children() {
            return List.of();
        }
    }

    public record Name(String name, Span span) implements Expr {
        @Override
        public List<Expr> children() {
            return List.of();
        }
    }

    /** {@code -a} ({@link Op#NEG}); a unary plus is dropped by the parser. */
    public record Unary(Op op, Expr operand, Span span) implements Expr {
        @Override
        public List<Expr> children() {
            return List.of(operand);
        }
    }

    /** {@code a + b}, {@code a - b}, {@code a * b}, {@code a / b}, {@code a ^ b}. */
    public record Binary(Op op, Expr left, Expr right, Span span) implements Expr {
        @Override
        public List<Expr> children() {
            return List.of(left, right);
        }
    }

    /**
     * {@code f(args)}; the function is resolved by the model builder. {@code names} holds each
     * argument's name ({@code seed} in {@code seed=1}) or null for a positional argument.
     */
    public record Call(String function, Span functionSpan, List<Expr> args, List<String> names, Span span) implements Expr {
        @Override
        public List<Expr> children() {
            return args;
        }
    }

    /**
     * {@code x[i, j]}: one position per axis, {@link #ALL} for {@code :}; negative positions count
     * from the end and are resolved against the shape by the builder.
     */
    public record Index(Expr of, List<Integer> positions, List<Span> positionSpans, Span span) implements Expr {
        /** The position written {@code :}, taking the whole axis. */
        public static final int ALL = Integer.MIN_VALUE;

        @Override
        public List<Expr> children() {
            return List.of(of);
        }
    }

    /** {@code grad(of, wrt)}: the symbolic derivative, itself an expression. */
    public record Grad(Expr of, NameRef wrt, Span span) implements Expr {
        @Override
        public List<Expr> children() {
            return List.of(of);
        }
    }

    /** A name in a statement clause such as {@code wrt a, b}. */
    public record NameRef(String name, Span span) {
    }

    /** A file written in a statement, {@code "loss.png"}: the path without its quotes, and where it is written. */
    public record PathRef(String path, Span span) {
    }

    /** A statement. */
    public sealed interface Stmt {
        Span span();
    }

    /**
     * One {@code name = value} of a declaration. The value is an expression of constants: a
     * number, a literal, an initialiser such as {@code normal(3, 2, seed=1)}, or arithmetic on them.
     */
    public record Binding(NameRef name, Expr value) {
    }

    /** {@code input a = 1, b = 2} or {@code param ...}. */
    public record Declare(LeafKind kind, List<Binding> bindings, Span span) implements Stmt {
    }

    /** {@code name = expr}. */
    public record Define(NameRef name, Expr expr, Span span) implements Stmt {
    }

    public record Print(List<Expr> exprs, Span span) implements Stmt {
    }

    /** {@code grad E [wrt ...]}; an empty wrt list means every param. */
    public record GradStmt(Expr of, List<NameRef> wrt, Span span) implements Stmt {
    }

    public record Derive(Expr of, NameRef wrt, Span span) implements Stmt {
    }

    /** {@code explain E wrt x}, or {@code explain E wrt W[0, 1]} for one element of a tensor leaf. */
    public record Explain(Expr of, NameRef wrt, List<Integer> positions, List<Span> positionSpans, Span span) implements Stmt {
    }

    /** {@code check E [wrt ...]}; an empty wrt list means every param. */
    public record Check(Expr of, List<NameRef> wrt, Span span) implements Stmt {
    }

    /** {@code batch B over X, y}: mini-batches of B rows of X and y. */
    public record Batch(double size, Span sizeSpan, NameRef x, NameRef y) {
    }

    /**
     * {@code train E lr R steps N [wrt ...] [optimizer NAME] [batch B over X, y]}; an empty wrt
     * list means every param, no optimizer sgd, no batch the full data.
     */
    public record Train(Expr of, double lr, Span lrSpan, double steps, Span stepsSpan, List<NameRef> wrt,
                        NameRef optimizer, Batch batch, Span span) implements Stmt {
    }

    public record GraphStmt(Expr of, Span span) implements Stmt {
    }

    /** {@code predict NAME with X = value, ...}: a name's value with inputs replaced. */
    public record Predict(NameRef name, List<NameRef> inputs, List<Expr> values, Span span) implements Stmt {
    }

    /**
     * {@code plot loss [to "file.png"]} or {@code plot boundary OUT over X, y [to "file.png"]};
     * {@code out}, {@code x}, {@code y} are null for a loss plot, {@code file} null for the default.
     */
    public record Plot(NameRef kind, NameRef out, NameRef x, NameRef y, PathRef file, Span span) implements Stmt {
    }

    /** {@code data X, y = source(args)}: a data set from a file or a generator. */
    public record Data(NameRef x, NameRef y, NameRef source, List<DataArgument> args, Span span) implements Stmt {
    }

    /**
     * One argument of a data source: a file path ({@code path}), a number, named columns
     * {@code x=0..1} ({@code name}, {@code from}, {@code to}), or a named word {@code header=true}
     * ({@code name}, {@code word}).
     */
    public record DataArgument(String name, String path, double number, int from, int to, String word, Span span) {
    }
}
