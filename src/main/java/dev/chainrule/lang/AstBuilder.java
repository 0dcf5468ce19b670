package dev.chainrule.lang;

import dev.chainrule.diag.ChainException;
import dev.chainrule.diag.Source;
import dev.chainrule.diag.Span;
import dev.chainrule.graph.LeafKind;
import dev.chainrule.graph.op.Op;
import dev.chainrule.tensor.Shape;
import dev.chainrule.tensor.Tensor;
import dev.chainrule.lang.antlr.ChainBaseVisitor;
import dev.chainrule.lang.antlr.ChainParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parse tree to AST. Statements are shallow and are visited directly. Expressions can be as deep
 * as the user makes them (a sum of 10^6 terms is a parse tree 10^6 levels deep), so they are
 * visited in post-order by an explicit work stack: each visit method finds its operands, already
 * built, on top of a value stack instead of visiting its children itself.
 */
final class AstBuilder extends ChainBaseVisitor<Ast.Expr> {
    /** Most dimensions a literal may have: values are scalars, vectors and matrices. */
    static final int MAX_RANK = 2;

    private final Source source;
    private final Deque<Ast.Expr> built = new ArrayDeque<>();
    private final Deque<ParserRuleContext> work = new ArrayDeque<>();
    private final Deque<Boolean> expanded = new ArrayDeque<>();

    AstBuilder(Source source) {
        this.source = source;
    }

    /** One statement of a file's top level. */
    Ast.Stmt topLevel(ChainParser.StatementContext statement) {
        return statement(statement, 0);
    }

    /** Blocks inside blocks may go this deep: far beyond any model, and a bound on this walk. */
    static final int MAX_NESTING = 32;

    private List<Ast.Stmt> statements(List<ChainParser.StatementContext> contexts, int depth) {
        List<Ast.Stmt> statements = new ArrayList<>();
        for (ChainParser.StatementContext statement : contexts) {
            statements.add(statement(statement, depth));
        }
        return statements;
    }

    private List<Ast.Stmt> block(ChainParser.BlockContext block, ChainParser.StatementContext owner, int depth) {
        if (depth >= MAX_NESTING) {
            throw ChainException.syntax(span(owner.getStart()), "blocks nest at most " + MAX_NESTING + " deep here");
        }
        return block == null ? List.of() : statements(block.statement(), depth + 1);
    }

    private Ast.DataArgument dataArgument(ChainParser.DataArgumentContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof ChainParser.PathArgumentContext p) {
            return new Ast.DataArgument(null, unquote(p.STRING()), Double.NaN, -1, -1, null, span);
        }
        if (ctx instanceof ChainParser.NumberArgumentContext n) {
            return new Ast.DataArgument(null, null, number(n.number()), -1, -1, null, span);
        }
        if (ctx instanceof ChainParser.WordArgumentContext w) {
            return new Ast.DataArgument(w.NAME(0).getText(), null, Double.NaN, -1, -1, w.NAME(1).getText(), span);
        }
        if (!(ctx instanceof ChainParser.ColumnsArgumentContext c)) {
            throw new IllegalStateException("a data argument the grammar does not have: " + ctx.getText());
        }
        int from = column(c.NUMBER(0), span);
        int to = c.NUMBER().size() > 1 ? column(c.NUMBER(1), span) : from;
        return new Ast.DataArgument(c.NAME().getText(), null, Double.NaN, from, to, null, span);
    }

    private int column(TerminalNode number, Span span) {
        double v = parse(number.getSymbol(), false);
        if (v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw ChainException.semantic(span, "a column is a whole number, not " + number.getText());
        }
        return (int) v;
    }

    Ast.Expr standalone(ChainParser.StandaloneExprContext ctx) {
        return expr(ctx.expr());
    }

    List<Ast.Target> standalone(ChainParser.StandaloneTargetsContext ctx) {
        List<Ast.Target> targets = new ArrayList<>();
        for (ChainParser.TargetContext t : ctx.target()) {
            targets.add(target(t));
        }
        return targets;
    }

    Ast.Binding standalone(ChainParser.StandaloneAssignmentContext ctx) {
        return new Ast.Binding(name(ctx.NAME()), expr(ctx.expr()));
    }

    private Ast.Stmt statement(ChainParser.StatementContext ctx, int depth) {
        return ctx.accept(new Statements(depth));
    }

    /** Builds one statement; {@code depth} counts the blocks around it. */
    private final class Statements extends ChainBaseVisitor<Ast.Stmt> {
        private final int depth;

        Statements(int depth) {
            this.depth = depth;
        }

        @Override
        public Ast.Stmt visitDeclareStatement(ChainParser.DeclareStatementContext c) {
            Span span = span(c);
            LeafKind kind = c.kind.getType() == ChainParser.INPUT ? LeafKind.INPUT : LeafKind.PARAM;
            List<Ast.Binding> bindings = new ArrayList<>();
            for (ChainParser.BindingContext b : c.binding()) {
                bindings.add(new Ast.Binding(name(b.NAME()), expr(b.expr())));
            }
            return new Ast.Declare(kind, bindings, span);
        }

        @Override
        public Ast.Stmt visitDefineStatement(ChainParser.DefineStatementContext c) {
            Span span = span(c);
            boolean member = c.LBRACKET() != null;
            if (member && c.expr().size() > 2) {
                throw ChainException.semantic(span(c.expr(1)).to(span(c.expr(c.expr().size() - 2))),
                        "a member of a family is named by one position, such as " + c.NAME().getText() + "[t]");
            }
            return new Ast.Define(name(c.NAME()), member ? expr(c.expr(0)) : null, expr(c.expr(member ? 1 : 0)), span);
        }

        @Override
        public Ast.Stmt visitFunctionStatement(ChainParser.FunctionStatementContext c) {
            Span span = span(c);
            return new Ast.Function(name(c.NAME()), parameters(c.parameters()), List.of(), expr(c.expr()), span);
        }

        @Override
        public Ast.Stmt visitFunctionBlockStatement(ChainParser.FunctionBlockStatementContext c) {
            Span span = span(c);
            return new Ast.Function(name(c.NAME()), parameters(c.parameters()), block(c.block(), c, depth), expr(c.expr()),
                    span(c.DEF().getSymbol()).to(span(c.RPAREN().getSymbol())));
        }

        @Override
        public Ast.Stmt visitForStatement(ChainParser.ForStatementContext c) {
            Span span = span(c);
            List<Ast.Stmt> body = c.statement() != null ? List.of(statement(c.statement(), depth + 1)) : block(c.block(), c, depth);
            Span head = c.block() != null ? span(c.FOR().getSymbol()).to(span(c.COLON().getSymbol())) : span;
            return new Ast.For(name(c.NAME()), expr(c.expr(0)), expr(c.expr(1)), body, head);
        }

        @Override
        public Ast.Stmt visitIncludeStatement(ChainParser.IncludeStatementContext c) {
            Span span = span(c);
            return new Ast.Include(path(c.STRING()), span);
        }

        @Override
        public Ast.Stmt visitSaveStatement(ChainParser.SaveStatementContext c) {
            Span span = span(c);
            return new Ast.Save(name(c.NAME()), path(c.STRING()), span);
        }

        @Override
        public Ast.Stmt visitLoadStatement(ChainParser.LoadStatementContext c) {
            Span span = span(c);
            return new Ast.Load(name(c.NAME()), path(c.STRING()), span);
        }

        @Override
        public Ast.Stmt visitPrintStatement(ChainParser.PrintStatementContext c) {
            Span span = span(c);
            List<Ast.Expr> exprs = new ArrayList<>();
            for (ChainParser.ExprContext e : c.expr()) {
                exprs.add(expr(e));
            }
            return new Ast.Print(exprs, span);
        }

        @Override
        public Ast.Stmt visitGradStatement(ChainParser.GradStatementContext c) {
            Span span = span(c);
            return new Ast.GradStmt(expr(c.expr()), targets(c.targets()), span);
        }

        @Override
        public Ast.Stmt visitDeriveStatement(ChainParser.DeriveStatementContext c) {
            Span span = span(c);
            return new Ast.Derive(expr(c.expr()), target(c.target()), span);
        }

        @Override
        public Ast.Stmt visitExplainStatement(ChainParser.ExplainStatementContext c) {
            Span span = span(c);
            return new Ast.Explain(expr(c.expr()), target(c.target()), c.EXPAND() != null, span);
        }

        @Override
        public Ast.Stmt visitCheckStatement(ChainParser.CheckStatementContext c) {
            Span span = span(c);
            return new Ast.Check(expr(c.expr()), targets(c.targets()), span);
        }

        @Override
        public Ast.Stmt visitTrainStatement(ChainParser.TrainStatementContext c) {
            Span span = span(c);
            Ast.NameRef optimizer = c.OPTIMIZER() == null ? null : name(c.NAME(0));
            Ast.Batch batch = null;
            if (c.BATCH() != null) {
                int first = optimizer == null ? 0 : 1;
                batch = new Ast.Batch(number(c.number(2)), span(c.number(2)), name(c.NAME(first)), name(c.NAME(first + 1)));
            }
            return new Ast.Train(expr(c.expr()), number(c.number(0)), span(c.number(0)),
                    number(c.number(1)), span(c.number(1)), targets(c.targets()), optimizer, batch, span);
        }

        @Override
        public Ast.Stmt visitPredictStatement(ChainParser.PredictStatementContext c) {
            Span span = span(c);
            List<Ast.NameRef> inputs = new ArrayList<>();
            List<Ast.Expr> values = new ArrayList<>();
            for (int i = 1; i < c.NAME().size(); i++) {
                inputs.add(name(c.NAME(i)));
                values.add(expr(c.expr(i - 1)));
            }
            return new Ast.Predict(name(c.NAME(0)), inputs, values, span);
        }

        @Override
        public Ast.Stmt visitPlotStatement(ChainParser.PlotStatementContext c) {
            Span span = span(c);
            List<TerminalNode> names = c.NAME();
            Ast.PathRef file = c.STRING() == null ? null : path(c.STRING());
            boolean boundary = names.size() == 4;
            return new Ast.Plot(name(names.get(0)), boundary ? name(names.get(1)) : null,
                    boundary ? name(names.get(2)) : null, boundary ? name(names.get(3)) : null, file, span);
        }

        @Override
        public Ast.Stmt visitDataStatement(ChainParser.DataStatementContext c) {
            Span span = span(c);
            List<Ast.DataArgument> args = new ArrayList<>();
            for (ChainParser.DataArgumentContext a : c.dataArgument()) {
                args.add(dataArgument(a));
            }
            return new Ast.Data(name(c.NAME(0)), name(c.NAME(1)), name(c.NAME(2)), args, span);
        }

        @Override
        public Ast.Stmt visitExportStatement(ChainParser.ExportStatementContext c) {
            return new Ast.ExportStmt(expr(c.expr()), targets(c.targets()), c.NAME().getText(), span(c.NAME().getSymbol()), span(c));
        }

        @Override
        public Ast.Stmt visitGraphStatement(ChainParser.GraphStatementContext c) {
            Span span = span(c);
            return new Ast.GraphStmt(expr(c.expr()), c.target() == null ? null : target(c.target()), span);
        }
    }

    private List<Ast.NameRef> parameters(ChainParser.ParametersContext ctx) {
        List<Ast.NameRef> names = new ArrayList<>();
        if (ctx != null) {
            for (TerminalNode name : ctx.NAME()) {
                names.add(name(name));
            }
        }
        return names;
    }

    private Ast.PathRef path(TerminalNode string) {
        return new Ast.PathRef(unquote(string), span(string.getSymbol()));
    }

    private static String unquote(TerminalNode string) {
        String quoted = string.getText();
        return quoted.substring(1, quoted.length() - 1);
    }

    private List<Ast.Target> targets(ChainParser.TargetsContext ctx) {
        List<Ast.Target> targets = new ArrayList<>();
        if (ctx != null) {
            for (ChainParser.TargetContext t : ctx.target()) {
                targets.add(target(t));
            }
        }
        return targets;
    }

    /** {@code h[2].net[0, 1]}: each name with the expressions of the indices written after it. */
    private Ast.Target target(ChainParser.TargetContext ctx) {
        List<Ast.TargetPart> parts = new ArrayList<>();
        for (ChainParser.TargetPartContext part : ctx.targetPart()) {
            List<List<Ast.Expr>> indices = new ArrayList<>();
            List<Ast.Expr> index = null;
            for (int i = 1; i < part.getChildCount(); i++) {
                ParseTree child = part.getChild(i);
                if (child instanceof TerminalNode t && t.getSymbol().getType() == ChainParser.LBRACKET) {
                    index = new ArrayList<>();
                    indices.add(index);
                } else if (child instanceof ChainParser.ExprContext e) {
                    index.add(expr(e));
                }
            }
            parts.add(new Ast.TargetPart(name(part.NAME()), indices, span(part)));
        }
        return new Ast.Target(parts, span(ctx));
    }

    /**
     * Builds one expression without recursion: children first, then the node itself. The work
     * stacks are the builder's own, shared by the nested calls that index and slice positions
     * make, each working above where it found them.
     */
    private Ast.Expr expr(ChainParser.ExprContext root) {
        int base = work.size();
        work.push(root);
        expanded.push(false);
        while (work.size() > base) {
            ParserRuleContext ctx = work.pop();
            if (expanded.pop()) {
                built.push(ctx.accept(this));
                continue;
            }
            work.push(ctx);
            expanded.push(true);
            for (int i = ctx.getChildCount() - 1; i >= 0; i--) {
                ParseTree child = ctx.getChild(i);
                if (child instanceof ChainParser.ArgumentContext argument) {
                    child = argument.expr();
                }
                if (child instanceof ChainParser.ExprContext e) {
                    work.push(e);
                    expanded.push(false);
                }
            }
        }
        return built.pop();
    }

    @Override
    public Ast.Expr visitIndexExpr(ChainParser.IndexExprContext ctx) {
        List<Ast.Position> positions = new ArrayList<>();
        for (ChainParser.IndexContext index : ctx.index()) {
            if (index instanceof ChainParser.PositionIndexContext p) {
                positions.add(new Ast.Position(expr(p.expr()), null, null, null, span(index)));
            } else if (index instanceof ChainParser.SliceIndexContext slice) {
                positions.add(new Ast.Position(null, slice.start == null ? null : expr(slice.start),
                        slice.stop == null ? null : expr(slice.stop), slice.step == null ? null : expr(slice.step), span(index)));
            }
        }
        return new Ast.Index(built.pop(), positions, span(ctx));
    }

    /** {@code x'}: the transpose, the same as {@code T(x)}. */
    @Override
    public Ast.Expr visitTransposeExpr(ChainParser.TransposeExprContext ctx) {
        Ast.Expr of = built.pop();
        return new Ast.Call("T", span(ctx.QUOTE().getSymbol()), List.of(of), java.util.Arrays.asList((String) null), span(ctx));
    }

    @Override
    public Ast.Expr visitPowerExpr(ChainParser.PowerExprContext ctx) {
        Ast.Expr right = built.pop();
        Ast.Expr left = built.pop();
        return new Ast.Binary(Op.POW, left, right, span(ctx));
    }

    @Override
    public Ast.Expr visitUnaryExpr(ChainParser.UnaryExprContext ctx) {
        Ast.Expr operand = built.pop();
        if (ctx.op.getType() != ChainParser.MINUS) {
            return operand;
        }
        // -3 is the number -3 (as printers write a negative constant), not the negation of 3
        return operand instanceof Ast.Number n ? new Ast.Number(-n.value(), span(ctx)) : new Ast.Unary(Op.NEG, operand, span(ctx));
    }

    @Override
    public Ast.Expr visitProductExpr(ChainParser.ProductExprContext ctx) {
        Ast.Expr right = built.pop();
        Ast.Expr left = built.pop();
        Op op = ctx.op.getType() == ChainParser.STAR ? Op.MUL : ctx.op.getType() == ChainParser.AT ? Op.MATMUL : Op.DIV;
        return new Ast.Binary(op, left, right, span(ctx));
    }

    @Override
    public Ast.Expr visitSumExpr(ChainParser.SumExprContext ctx) {
        Ast.Expr right = built.pop();
        Ast.Expr left = built.pop();
        Op op = ctx.op.getType() == ChainParser.PLUS ? Op.ADD : Op.SUB;
        return new Ast.Binary(op, left, right, span(ctx));
    }

    @Override
    public Ast.Expr visitFieldExpr(ChainParser.FieldExprContext ctx) {
        Ast.Expr of = built.pop();
        // h1.net written after a name is one qualified name; after a member, h[2].net, a field of it
        return of instanceof Ast.Name n ? new Ast.Name(n.name() + "." + ctx.NAME().getText(), span(ctx))
                : new Ast.Field(of, ctx.NAME().getText(), span(ctx));
    }

    @Override
    public Ast.Expr visitCompareExpr(ChainParser.CompareExprContext ctx) {
        Ast.Expr right = built.pop();
        Ast.Expr left = built.pop();
        Op op = switch (ctx.op.getType()) {
            case ChainParser.LT -> Op.LT;
            case ChainParser.LE -> Op.LE;
            case ChainParser.GT -> Op.GT;
            case ChainParser.GE -> Op.GE;
            case ChainParser.EQ -> Op.EQ;
            default -> Op.NE;
        };
        return new Ast.Binary(op, left, right, span(ctx));
    }

    @Override
    public Ast.Expr visitGradExpr(ChainParser.GradExprContext ctx) {
        return new Ast.Grad(built.pop(), target(ctx.target()), span(ctx));
    }

    @Override
    public Ast.Expr visitCallExpr(ChainParser.CallExprContext ctx) {
        int count = ctx.argument().size();
        Ast.Expr[] args = new Ast.Expr[count];
        String[] names = new String[count];
        for (int i = count - 1; i >= 0; i--) {
            args[i] = built.pop();
            TerminalNode name = ctx.argument(i).NAME();
            names[i] = name == null ? null : name.getText();
        }
        return new Ast.Call(ctx.NAME().getText(), span(ctx.NAME().getSymbol()), List.of(args),
                java.util.Arrays.asList(names), span(ctx));
    }

    @Override
    public Ast.Expr visitNameExpr(ChainParser.NameExprContext ctx) {
        // h1.net: a name made inside a call, written with the names of the call sites before it
        String name = ctx.getChildCount() == 1 ? ctx.NAME(0).getText() : ctx.getText();
        return new Ast.Name(name, span(ctx));
    }

    @Override
    public Ast.Expr visitNumberExpr(ChainParser.NumberExprContext ctx) {
        return new Ast.Number(parse(ctx.NUMBER().getSymbol(), false), span(ctx));
    }

    @Override
    public Ast.Expr visitLiteralExpr(ChainParser.LiteralExprContext ctx) {
        return new Ast.Literal(literal(ctx.literal(), 1), span(ctx));
    }

    /**
     * A bracketed literal as a tensor: all elements numbers (a vector), or all literals of one
     * shape (one more dimension). Nesting is bounded by {@link #MAX_RANK}, so this recursion is too.
     */
    private Tensor literal(ChainParser.LiteralContext ctx, int depth) {
        if (depth > MAX_RANK) {
            throw ChainException.syntax(span(ctx), "a literal may have at most " + MAX_RANK + " dimensions (a matrix)");
        }
        List<ChainParser.ValueContext> items = ctx.value();
        boolean numbers = items.get(0).number() != null;
        List<Tensor> parts = new ArrayList<>();
        for (ChainParser.ValueContext item : items) {
            if ((item.number() != null) != numbers) {
                throw ChainException.semantic(span(item), "mixes numbers and brackets; every element of a literal must be alike");
            }
            parts.add(numbers ? Tensor.scalar(number(item.number())) : literal(item.literal(), depth + 1));
        }
        Shape inner = parts.get(0).shape();
        for (int i = 1; i < parts.size(); i++) {
            if (!parts.get(i).shape().equals(inner)) {
                throw ChainException.semantic(span(items.get(i)), "this row has shape " + parts.get(i).shape()
                        + " but the first has " + inner + "; the rows of a literal must have one shape");
            }
        }
        int[] dims = new int[inner.rank() + 1];
        dims[0] = parts.size();
        System.arraycopy(inner.dims(), 0, dims, 1, inner.rank());
        double[] data = new double[parts.size() * inner.size()];
        for (int i = 0; i < parts.size(); i++) {
            System.arraycopy(parts.get(i).toArray(), 0, data, i * inner.size(), inner.size());
        }
        return Tensor.of(Shape.of(dims), data);
    }

    @Override
    public Ast.Expr visitParenExpr(ChainParser.ParenExprContext ctx) {
        Ast.Expr inner = built.pop();
        return retarget(inner, span(ctx));
    }

    /**
     * A bracketed expression keeps its meaning but takes the span of its brackets (a name keeps
     * its own, so that a message about the name points at it).
     */
    private static Ast.Expr retarget(Ast.Expr e, Span span) {
        return e.accept(new Ast.ExprVisitor<Ast.Expr>() {
            @Override
            public Ast.Expr number(Ast.Number n) {
                return new Ast.Number(n.value(), span);
            }

            @Override
            public Ast.Expr literal(Ast.Literal l) {
                return new Ast.Literal(l.value(), span);
            }

            @Override
            public Ast.Expr name(Ast.Name n) {
                return n;
            }

            @Override
            public Ast.Expr unary(Ast.Unary u) {
                return new Ast.Unary(u.op(), u.operand(), span);
            }

            @Override
            public Ast.Expr binary(Ast.Binary b) {
                return new Ast.Binary(b.op(), b.left(), b.right(), span);
            }

            @Override
            public Ast.Expr call(Ast.Call c) {
                return new Ast.Call(c.function(), c.functionSpan(), c.args(), c.names(), span);
            }

            @Override
            public Ast.Expr index(Ast.Index i) {
                return new Ast.Index(i.of(), i.positions(), span);
            }

            @Override
            public Ast.Expr field(Ast.Field f) {
                return new Ast.Field(f.of(), f.field(), span);
            }

            @Override
            public Ast.Expr grad(Ast.Grad g) {
                return new Ast.Grad(g.of(), g.wrt(), span);
            }
        });
    }

    private Ast.NameRef name(TerminalNode name) {
        return new Ast.NameRef(name.getText(), span(name.getSymbol()));
    }

    private double number(ChainParser.NumberContext ctx) {
        return parse(ctx.NUMBER().getSymbol(), ctx.sign != null);
    }

    private double parse(Token token, boolean negative) {
        double value = Double.parseDouble(token.getText());
        if (!Double.isFinite(value)) {
            throw ChainException.syntax(span(token), "number " + token.getText() + " is too large for a double");
        }
        return negative ? -value : value;
    }

    private Span span(Token token) {
        return new Span(source, token.getLine(), token.getCharPositionInLine() + 1,
                Math.max(1, token.getStopIndex() - token.getStartIndex() + 1));
    }

    private Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop() != null ? ctx.getStop() : start;
        return stop.getLine() == start.getLine()
                ? new Span(source, start.getLine(), start.getCharPositionInLine() + 1,
                        Math.max(1, stop.getStopIndex() - start.getStartIndex() + 1))
                : span(start).to(span(stop));
    }
}
