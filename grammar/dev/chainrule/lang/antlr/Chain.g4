/*
 * The chainrule model language. No embedded actions: the parse tree is turned into the AST by
 * dev.chainrule.lang.AstBuilder, which walks it without recursion.
 *
 * One statement a line; ';' separates statements on one line. '#' starts a comment. Blocks
 * (def NAME(...): and for t in a..b:) hold statements a line each and close with 'end'.
 */
grammar Chain;

options { contextSuperClass = dev.chainrule.lang.ParseContext; }

program
    : separator* (statement (separator+ statement)*)? separator* EOF
    ;

// The same language as program, one statement at a time: the separators before a statement, the
// statement and what ends it, or the end of input. SourceParser reads a file as these in a row, so
// that only one statement's tokens and tree are held at once.
nextStatement
    : separator* (statement (separator | EOF) | EOF)
    ;

// Entry rules for what is typed on the command line, so that flags read the language's grammar:
// a lone expression (--of), a list of targets (--wrt, including W1[0, 1] and h1.net), and one
// assignment (--set x=[1, 2]).
standaloneExpr
    : expr EOF
    ;

standaloneTargets
    : target (',' target)* EOF
    ;

standaloneAssignment
    : NAME '=' expr EOF
    ;

separator
    : NEWLINE
    | ';'
    ;

// Statements that hold others (def ...: and for ...:) close with 'end'; one-line forms take a
// single statement after ':' or '='.
statement
    : kind=(INPUT | PARAM) binding (',' binding)*                # declareStatement
    | NAME (LBRACKET expr (',' expr)* RBRACKET)? '=' expr        # defineStatement
    | DEF NAME '(' parameters? ')' '=' expr                      # functionStatement
    | DEF NAME '(' parameters? ')' ':' block RETURN expr separator+ END  # functionBlockStatement
    | FOR NAME IN expr DOTDOT expr ':' (statement | block END)   # forStatement
    | INCLUDE STRING                                             # includeStatement
    | SAVE NAME TO STRING                                        # saveStatement
    | LOAD NAME FROM STRING                                      # loadStatement
    | PRINT expr (',' expr)*                                     # printStatement
    | GRAD expr (WRT targets)?                                   # gradStatement
    | DERIVE expr WRT target                                     # deriveStatement
    | EXPLAIN expr WRT target EXPAND?                            # explainStatement
    | CHECK expr (WRT targets)?                                  # checkStatement
    | TRAIN expr LR number STEPS number (WRT targets)? (OPTIMIZER NAME)? (BATCH number OVER NAME ',' NAME)?  # trainStatement
    | GRAPH expr (WRT target)?                                   # graphStatement
    | EXPORT expr (WRT targets)? TO NAME                         # exportStatement
    | DATA NAME ',' NAME '=' NAME '(' (dataArgument (',' dataArgument)*)? ')'  # dataStatement
    | PREDICT NAME WITH NAME '=' expr (',' NAME '=' expr)*       # predictStatement
    | PLOT kind=NAME (NAME OVER NAME ',' NAME)? (TO STRING)?     # plotStatement
    ;

// The statements of a block, each on its own line (or after ';').
block
    : separator+ (statement separator+)*
    ;

parameters
    : NAME (',' NAME)*
    ;

// What a derivative is taken with respect to: a name (an input, a param or any defined node), a
// member of a family (h[2]), a name made inside a call (h1.net), and one element of any of them
// (W1[0, 1], h[2][0]).
target
    : targetPart ('.' targetPart)*
    ;

targetPart
    : NAME (LBRACKET expr (',' expr)* RBRACKET)*
    ;

targets
    : target (',' target)*
    ;

// An argument of a data source: a file name, a number, a named column range such as x=0..1, or a
// named word such as header=true.
dataArgument
    : STRING                                                     # pathArgument
    | number                                                     # numberArgument
    | NAME '=' NUMBER (DOTDOT NUMBER)?                           # columnsArgument
    | NAME '=' NAME                                              # wordArgument
    ;

binding
    : NAME '=' expr
    ;

// A number, a vector [1, 2] or a matrix [[1, 2], [3, 4]].
value
    : number
    | literal
    ;

literal
    : LBRACKET value (',' value)* RBRACKET
    ;

number
    : sign='-'? NUMBER
    ;

// One position of an index: an expression (a whole number; negative counts from the end), or a
// slice start:stop:step with any part left out.
index
    : expr                                                       # positionIndex
    | start=expr? COLON stop=expr? (COLON step=expr?)?           # sliceIndex
    ;

// A function argument; some take named ones such as seed=1 or axis=0.
argument
    : (NAME '=')? expr
    ;

// Alternatives are listed from the tightest binding to the loosest. '^' is right-associative and
// binds tighter than unary minus, so -x^2 is -(x^2) and 2^-x is 2^(-x). Comparisons bind loosest
// and give 1 or 0.
expr
    : expr LBRACKET index (',' index)* RBRACKET                  # indexExpr
    | expr '.' NAME                                              # fieldExpr
    | expr QUOTE                                                 # transposeExpr
    | <assoc=right> expr '^' expr                                # powerExpr
    | op=('-' | '+') expr                                        # unaryExpr
    | expr op=('*' | '/' | '@') expr                             # productExpr
    | expr op=('+' | '-') expr                                   # sumExpr
    | expr op=('<' | '<=' | '>' | '>=' | '==' | '!=') expr       # compareExpr
    | GRAD '(' expr ',' target ')'                               # gradExpr
    | NAME '(' (argument (',' argument)*)? ')'                   # callExpr
    | NAME ('.' NAME)*                                           # nameExpr
    | NUMBER                                                     # numberExpr
    | literal                                                    # literalExpr
    | '(' expr ')'                                               # parenExpr
    ;

INPUT   : 'input' ;
PARAM   : 'param' ;
PRINT   : 'print' ;
GRAD    : 'grad' ;
DERIVE  : 'derive' ;
EXPLAIN : 'explain' ;
EXPAND  : 'expand' ;
CHECK   : 'check' ;
TRAIN   : 'train' ;
GRAPH   : 'graph' ;
EXPORT  : 'export' ;
DATA    : 'data' ;
WRT     : 'wrt' ;
LR      : 'lr' ;
STEPS   : 'steps' ;
OPTIMIZER : 'optimizer' ;
BATCH   : 'batch' ;
PREDICT : 'predict' ;
WITH    : 'with' ;
PLOT    : 'plot' ;
OVER    : 'over' ;
DEF     : 'def' ;
RETURN  : 'return' ;
END     : 'end' ;
FOR     : 'for' ;
IN      : 'in' ;
INCLUDE : 'include' ;
SAVE    : 'save' ;
LOAD    : 'load' ;
FROM    : 'from' ;
TO      : 'to' ;

SEMI    : ';' ;
COMMA   : ',' ;
EQ      : '==' ;
NE      : '!=' ;
LE      : '<=' ;
GE      : '>=' ;
LT      : '<' ;
GT      : '>' ;
ASSIGN  : '=' ;
PLUS    : '+' ;
MINUS   : '-' ;
STAR    : '*' ;
SLASH   : '/' ;
CARET   : '^' ;
AT      : '@' ;
DOTDOT  : '..' ;
DOT     : '.' ;
COLON   : ':' ;
QUOTE   : '\'' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LPAREN  : '(' ;
RPAREN  : ')' ;

NAME    : [a-zA-Z_] [a-zA-Z_0-9]* ;
STRING  : '"' ~["\r\n]* '"' ;
// No trailing dot ("3." is not a number), so that 1..T reads as a range.
NUMBER  : DIGITS ('.' DIGITS)? EXPONENT? | '.' DIGITS EXPONENT? ;

NEWLINE : '\r'? '\n' ;
COMMENT : '#' ~[\r\n]* -> skip ;
WS      : [ \t]+ -> skip ;

// Any other character becomes a token of its own so the parser reports it with its position.
UNEXPECTED : . ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
