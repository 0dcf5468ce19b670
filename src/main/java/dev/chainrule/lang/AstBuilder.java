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

    AstBuilder(Source source) {
        this.source = source;
    }

    Ast.Program program(ChainParser.ProgramContext program) {
        List<Ast.Stmt> statements = new ArrayList<>();
        for (ChainParser.StatementContext statement : program.statement()) {
            statements.add(statement(statement));
        }
        return new Ast.Program(statements);
    }

    private Ast.DataArgument dataArgument(ChainParser.DataArgumentContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof ChainParser.PathArgumentContext p) {
            String quoted = p.STRING().getText();
            return new Ast.DataArgument(null, quoted.substring(1, quoted.length() - 1), Double.NaN, -1, -1, null, span);
        }
        if (ctx instanceof ChainParser.NumberArgumentContext n) {
            return new Ast.DataArgument(null, null, number(n.number()), -1, -1, null, span);
        }
        if (ctx instanceof ChainParser.WordArgumentContext w) {
            return new Ast.DataArgument(w.NAME(0).getText(), null, Double.NaN, -1, -1, w.NAME(1).getText(), span);
        }
        ChainParser.ColumnsArgumentContext c = (ChainParser.ColumnsArgumentContext) ctx;
        String name = c.NAME().getText();
        if (c.RANGE() != null) {
            String[] ends = c.RANGE().getText().split("\\.\\.");
            return new Ast.DataArgument(name, null, Double.NaN, Integer.parseInt(ends[0]), Integer.parseInt(ends[1]), null, span);
        }
        double v = parse(c.NUMBER().getSymbol(), false);
        if (v != Math.rint(v)) {
            throw ChainException.semantic(span, "a column is a whole number, not " + c.NUMBER().getText());
        }
        return new Ast.DataArgument(name, null, Double.NaN, (int) v, (int) v, null, span);
    }

    Ast.Expr standalone(ChainParser.StandaloneExprContext ctx) {
        return expr(ctx.expr());
    }

    private Ast.Stmt statement(ChainParser.StatementContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof ChainParser.DeclareStatementContext c) {
            LeafKind kind = c.kind.getType() == ChainParser.INPUT ? LeafKind.INPUT : LeafKind.PARAM;
            List<Ast.Binding> bindings = new ArrayList<>();
            for (ChainParser.BindingContext b : c.binding()) {
                bindings.add(new Ast.Binding(name(b.NAME()), expr(b.expr())));
            }
            return new Ast.Declare(kind, bindings, span);
        }
        if (ctx instanceof ChainParser.DefineStatementContext c) {
            return new Ast.Define(name(c.NAME()), expr(c.expr()), span);
        }
        if (ctx instanceof ChainParser.PrintStatementContext c) {
            List<Ast.Expr> exprs = new ArrayList<>();
            for (ChainParser.ExprContext e : c.expr()) {
                exprs.add(expr(e));
            }
            return new Ast.Print(exprs, span);
        }
        if (ctx instanceof ChainParser.GradStatementContext c) {
            return new Ast.GradStmt(expr(c.expr()), names(c.nameList()), span);
        }
        if (ctx instanceof ChainParser.DeriveStatementContext c) {
            return new Ast.Derive(expr(c.expr()), name(c.NAME()), span);
        }
        if (ctx instanceof ChainParser.ExplainStatementContext c) {
            List<Integer> positions = new ArrayList<>();
            List<Span> spans = new ArrayList<>();
            positions(c.index(), positions, spans);
            return new Ast.Explain(expr(c.expr()), name(c.NAME()), positions, spans, span);
        }
        if (ctx instanceof ChainParser.CheckStatementContext c) {
            return new Ast.Check(expr(c.expr()), names(c.nameList()), span);
        }
        if (ctx instanceof ChainParser.TrainStatementContext c) {
            Ast.NameRef optimizer = c.OPTIMIZER() == null ? null : name(c.NAME(0));
            Ast.Batch batch = null;
            if (c.BATCH() != null) {
                int first = optimizer == null ? 0 : 1;
                batch = new Ast.Batch(number(c.number(2)), span(c.number(2)), name(c.NAME(first)), name(c.NAME(first + 1)));
            }
            return new Ast.Train(expr(c.expr()), number(c.number(0)), span(c.number(0)),
                    number(c.number(1)), span(c.number(1)), names(c.nameList()), optimizer, batch, span);
        }
        if (ctx instanceof ChainParser.PredictStatementContext c) {
            List<Ast.NameRef> inputs = new ArrayList<>();
            List<Ast.Expr> values = new ArrayList<>();
            for (int i = 1; i < c.NAME().size(); i++) {
                inputs.add(name(c.NAME(i)));
                values.add(expr(c.expr(i - 1)));
            }
            return new Ast.Predict(name(c.NAME(0)), inputs, values, span);
        }
        if (ctx instanceof ChainParser.PlotStatementContext c) {
            List<TerminalNode> names = c.NAME();
            Ast.PathRef file = c.STRING() == null ? null : new Ast.PathRef(
                    c.STRING().getText().substring(1, c.STRING().getText().length() - 1), span(c.STRING().getSymbol()));
            boolean boundary = names.size() == 4;
            return new Ast.Plot(name(names.get(0)), boundary ? name(names.get(1)) : null,
                    boundary ? name(names.get(2)) : null, boundary ? name(names.get(3)) : null, file, span);
        }
        if (ctx instanceof ChainParser.DataStatementContext c) {
            List<Ast.DataArgument> args = new ArrayList<>();
            for (ChainParser.DataArgumentContext a : c.dataArgument()) {
                args.add(dataArgument(a));
            }
            return new Ast.Data(name(c.NAME(0)), name(c.NAME(1)), name(c.NAME(2)), args, span);
        }
        if (ctx instanceof ChainParser.GraphStatementContext c) {
            return new Ast.GraphStmt(expr(c.expr()), span);
        }
        throw new IllegalStateException("statement kind not handled: " + ctx.getClass().getSimpleName());
    }

    /** Builds one expression without recursion: children first, then the node itself. */
    private Ast.Expr expr(ChainParser.ExprContext root) {
        Deque<ParserRuleContext> work = new ArrayDeque<>();
        Deque<Boolean> expanded = new ArrayDeque<>();
        work.push(root);
        expanded.push(false);
        while (!work.isEmpty()) {
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
        List<Integer> positions = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        positions(ctx.index(), positions, spans);
        return new Ast.Index(built.pop(), positions, spans, span(ctx));
    }

    private void positions(List<ChainParser.IndexContext> indices, List<Integer> positions, List<Span> spans) {
        for (ChainParser.IndexContext index : indices) {
            spans.add(span(index));
            if (index.COLON() != null) {
                positions.add(Ast.Index.ALL);
                continue;
            }
            double v = parse(index.NUMBER().getSymbol(), index.sign != null);
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE / 2) {
                throw ChainException.semantic(span(index), "an index is a whole number, not " + index.getText());
            }
            positions.add((int) v);
        }
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
        return ctx.op.getType() == ChainParser.MINUS ? new Ast.Unary(Op.NEG, operand, span(ctx)) : operand;
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
    public Ast.Expr visitGradExpr(ChainParser.GradExprContext ctx) {
        return new Ast.Grad(built.pop(), name(ctx.NAME()), span(ctx));
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
        return new Ast.Name(ctx.NAME().getText(), span(ctx));
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

    /** A bracketed expression keeps its meaning but takes the span of its brackets. */
    private static Ast.Expr retarget(Ast.Expr e, Span span) {
        if (e instanceof Ast.Number n) {
            return new Ast.Number(n.value(), span);
        }
        if (e instanceof Ast.Name n) {
            return new Ast.Name(n.name(), n.span());
        }
        if (e instanceof Ast.Literal l) {
            return new Ast.Literal(l.value(), span);
        }
        if (e instanceof Ast.Unary u) {
            return new Ast.Unary(u.op(), u.operand(), span);
        }
        if (e instanceof Ast.Binary b) {
            return new Ast.Binary(b.op(), b.left(), b.right(), span);
        }
        if (e instanceof Ast.Call c) {
            return new Ast.Call(c.function(), c.functionSpan(), c.args(), c.names(), span);
        }
        if (e instanceof Ast.Index i) {
            return new Ast.Index(i.of(), i.positions(), i.positionSpans(), span);
        }
        Ast.Grad g = (Ast.Grad) e;
        return new Ast.Grad(g.of(), g.wrt(), span);
    }

    private List<Ast.NameRef> names(ChainParser.NameListContext list) {
        List<Ast.NameRef> names = new ArrayList<>();
        if (list != null) {
            for (TerminalNode name : list.NAME()) {
                names.add(name(name));
            }
        }
        return names;
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
        Span first = span(start);
        return stop.getLine() == start.getLine()
                ? new Span(source, first.line(), first.column(),
                        Math.max(1, stop.getStopIndex() - start.getStartIndex() + 1))
                : first.to(span(stop));
    }
}
