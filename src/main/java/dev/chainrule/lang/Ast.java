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

    /** One method per kind of expression. */
    public interface ExprVisitor<R> {
        R number(Number e);

        R literal(Literal e);

        R name(Name e);

        R unary(Unary e);

        R binary(Binary e);

        R call(Call e);

        R index(Index e);

        R field(Field e);

        R grad(Grad e);
    }

    /** A whole source: its statements in order. */
    public record Program(List<Stmt> statements) {
    }

    /** An expression. */
    public sealed interface Expr {
        Span span();

        /** Dispatches on the kind of expression: every kind has a method, so a new kind cannot be forgotten. */
        <R> R accept(ExprVisitor<R> visitor);

        /** Direct subexpressions, left to right. */
        List<Expr> children();
    }

    public record Number(double value, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.number(this);
        }

        @Override
        public List<Expr> children() {
            return List.of();
        }
    }

    /** A vector or matrix written out: {@code [1, 2]}, {@code [[1, 2], [3, 4]]}. */
    public record Literal(Tensor value, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.literal(this);
        }

        @Override
        public List<Expr> children() {
            return List.of();
        }
    }

    public record Name(String name, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.name(this);
        }

        @Override
        public List<Expr> children() {
            return List.of();
        }
    }

    /** {@code -a} ({@link Op#NEG}); a unary plus is dropped by the parser. */
    public record Unary(Op op, Expr operand, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.unary(this);
        }

        @Override
        public List<Expr> children() {
            return List.of(operand);
        }
    }

    /** {@code a + b}, {@code a - b}, {@code a * b}, {@code a / b}, {@code a ^ b}. */
    public record Binary(Op op, Expr left, Expr right, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.binary(this);
        }

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
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.call(this);
        }

        @Override
        public List<Expr> children() {
            return args;
        }
    }

    /**
     * {@code x[i, j:k]}: a position or a slice per axis, left to right; axes not written are taken
     * whole. When {@code of} names a family ({@code h[t]}), the one position picks a member.
     */
    public record Index(Expr of, List<Position> positions, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.index(this);
        }

        /** Only the indexed value: positions are worked out before the model runs, not built as nodes. */
        @Override
        public List<Expr> children() {
            return List.of(of);
        }
    }

    /**
     * {@code h[2].net}: a name made inside a call that a member of a family (or another name
     * made inside a call) names; found by its qualified name, not built from {@code of}.
     */
    public record Field(Expr of, String field, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.field(this);
        }

        @Override
        public List<Expr> children() {
            return List.of();
        }
    }

    /**
     * One position of an index: {@code at} for a single position (the axis is dropped), else a
     * slice {@code start:stop:step} whose parts are null where left out.
     */
    public record Position(Expr at, Expr start, Expr stop, Expr step, Span span) {
        public boolean isSlice() {
            return at == null;
        }
    }

    /** {@code grad(of, wrt)}: the symbolic derivative, itself an expression. */
    public record Grad(Expr of, Target wrt, Span span) implements Expr {
        @Override
        public <R> R accept(ExprVisitor<R> visitor) {
            return visitor.grad(this);
        }

        @Override
        public List<Expr> children() {
            return List.of(of);
        }
    }

    /** A name in a statement clause such as {@code optimizer adam}. */
    public record NameRef(String name, Span span) {
    }

    /**
     * What a derivative is taken with respect to: {@code w1}, {@code W1[0, 1]}, {@code h[2]},
     * {@code h1.net}, {@code h[2].net[0]}: names joined by dots, each with an optional index.
     */
    public record Target(List<TargetPart> parts, Span span) {
        /** A target of one plain name. */
        public static Target of(NameRef name) {
            return new Target(List.of(new TargetPart(name, List.of(), name.span())), name.span());
        }

        /** The target as written, without spaces: {@code W1[0,1]}. */
        public String text() {
            return span.text();
        }
    }

    /** One name of a target and the indices written after it, each a list of positions (none when none is written). */
    public record TargetPart(NameRef name, List<List<Expr>> indices, Span span) {
    }

    /** A file written in a statement, {@code "loss.png"}: the path without its quotes, and where it is written. */
    public record PathRef(String path, Span span) {
    }

    /** A statement. */
    public sealed interface Stmt {
        Span span();

        /** Dispatches on the kind of statement: every kind has a method, so a new kind cannot be forgotten. */
        <R> R accept(StmtVisitor<R> visitor);
    }

    /** One method per kind of statement. */
    public interface StmtVisitor<R> {
        R declare(Declare s);

        R define(Define s);

        R function(Function s);

        R loop(For s);

        R include(Include s);

        R save(Save s);

        R load(Load s);

        R print(Print s);

        R grad(GradStmt s);

        R derive(Derive s);

        R export(ExportStmt s);

        R explain(Explain s);

        R check(Check s);

        R train(Train s);

        R graph(GraphStmt s);

        R predict(Predict s);

        R plot(Plot s);

        R data(Data s);
    }

    /**
     * One {@code name = value} of a declaration. The value is an expression of constants: a
     * number, a literal, an initialiser such as {@code normal(3, 2, seed=1)}, or arithmetic on them.
     */
    public record Binding(NameRef name, Expr value) {
    }

    /** {@code input a = 1, b = 2} or {@code param ...}. */
    public record Declare(LeafKind kind, List<Binding> bindings, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.declare(this);
        }
    }

    /** {@code name = expr}, or {@code name[t] = expr} for a member of a family ({@code member} null otherwise). */
    public record Define(NameRef name, Expr member, Expr expr, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.define(this);
        }
    }

    /**
     * {@code def name(params) = result}, or the block form whose body holds definitions and loops
     * before {@code return result}.
     */
    public record Function(NameRef name, List<NameRef> params, List<Stmt> body, Expr result, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.function(this);
        }
    }

    /** {@code for t in from..to: body}: the body once per whole number from {@code from} to {@code to}, both included. */
    public record For(NameRef variable, Expr from, Expr to, List<Stmt> body, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.loop(this);
        }
    }

    /** {@code include "layers.chain"}: the statements of another file, read relative to this one. */
    public record Include(PathRef file, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.include(this);
        }
    }

    /** {@code save params to "w.json"}. */
    public record Save(NameRef what, PathRef file, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.save(this);
        }
    }

    /** {@code load params from "w.json"}. */
    public record Load(NameRef what, PathRef file, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.load(this);
        }
    }

    public record Print(List<Expr> exprs, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.print(this);
        }
    }

    /** {@code grad E [wrt ...]}; an empty wrt list means every param. */
    public record GradStmt(Expr of, List<Target> wrt, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.grad(this);
        }
    }

    public record Derive(Expr of, Target wrt, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.derive(this);
        }
    }

    /**
     * {@code explain E wrt x}, {@code explain E wrt W[0, 1]} for one element; {@code expand}
     * opens the calls that are folded into one step by default.
     */
    public record Explain(Expr of, Target wrt, boolean expand, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.explain(this);
        }
    }

    /** {@code check E [wrt ...]}; an empty wrt list means every param. */
    public record Check(Expr of, List<Target> wrt, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.check(this);
        }
    }

    /** {@code batch B over X, y}: mini-batches of B rows of X and y. */
    public record Batch(double size, Span sizeSpan, NameRef x, NameRef y) {
    }

    /**
     * {@code train E lr R steps N [wrt ...] [optimizer NAME] [batch B over X, y]}; an empty wrt
     * list means every param, no optimizer sgd, no batch the full data.
     */
    public record Train(Expr of, double lr, Span lrSpan, double steps, Span stepsSpan, List<Target> wrt,
                        NameRef optimizer, Batch batch, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.train(this);
        }
    }

    /**
     * {@code graph E}, or {@code graph E wrt x}: the drawing of E's graph, with the paths from x
     * to E highlighted and labelled with their local derivatives ({@code wrt} null for none).
     */
    /** {@code export E wrt a, b to numpy}: the gradient as code. */
    public record ExportStmt(Expr of, java.util.List<Target> wrt, String to, Span toSpan, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.export(this);
        }
    }

    public record GraphStmt(Expr of, Target wrt, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.graph(this);
        }
    }

    /** {@code predict NAME with X = value, ...}: a name's value with inputs replaced. */
    public record Predict(NameRef name, List<NameRef> inputs, List<Expr> values, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.predict(this);
        }
    }

    /**
     * {@code plot loss [to "file.png"]} or {@code plot boundary OUT over X, y [to "file.png"]};
     * {@code out}, {@code x}, {@code y} are null for a loss plot, {@code file} null for the default.
     */
    public record Plot(NameRef kind, NameRef out, NameRef x, NameRef y, PathRef file, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.plot(this);
        }
    }

    /** {@code data X, y = source(args)}: a data set from a file or a generator. */
    public record Data(NameRef x, NameRef y, NameRef source, List<DataArgument> args, Span span) implements Stmt {
        @Override
        public <R> R accept(StmtVisitor<R> visitor) {
            return visitor.data(this);
        }
    }

    /**
     * One argument of a data source: a file path ({@code path}), a number, named columns
     * {@code x=0..1} ({@code name}, {@code from}, {@code to}), or a named word {@code header=true}
     * ({@code name}, {@code word}).
     */
    public record DataArgument(String name, String path, double number, int from, int to, String word, Span span) {
    }
}
