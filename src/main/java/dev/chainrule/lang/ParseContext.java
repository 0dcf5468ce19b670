package dev.chainrule.lang;

import java.util.ArrayList;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * The base of the grammar's parse-tree contexts ({@code contextSuperClass} in Chain.g4): a rule
 * has one to a few children, so each list starts with room for {@value #ROOM} rather than
 * ArrayList's ten. A file is read a statement at a time and its trees are dropped at once, so this
 * is garbage made per token, and less of it is less collecting on a model of a million lines.
 */
public class ParseContext extends ParserRuleContext {
    private static final int ROOM = 3;

    public ParseContext() {
    }

    public ParseContext(ParserRuleContext parent, int invokingState) {
        super(parent, invokingState);
    }

    @Override
    public <T extends ParseTree> T addAnyChild(T t) {
        if (children == null) {
            children = new ArrayList<>(ROOM);
        }
        children.add(t);
        return t;
    }
}
