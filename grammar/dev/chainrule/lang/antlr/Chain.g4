/*
 * The chainrule model language. No embedded actions: the parse tree is turned into the AST by
 * dev.chainrule.lang.AstBuilder, which walks it without recursion.
 *
 * One statement a line; ';' separates statements on one line. '#' starts a comment.
 */
grammar Chain;

program
    : separator* (statement (separator+ statement)*)? separator* EOF
    ;

// A lone expression, as given to --of on the command line.
standaloneExpr
    : expr EOF
    ;

separator
    : NEWLINE
    | ';'
    ;

statement
    : kind=(INPUT | PARAM) binding (',' binding)*                 # declareStatement
    | NAME '=' expr                                              # defineStatement
    | PRINT expr (',' expr)*                                     # printStatement
    | GRAD expr (WRT nameList)?                                  # gradStatement
    | DERIVE expr WRT NAME                                       # deriveStatement
    | EXPLAIN expr WRT NAME (LBRACKET index (',' index)* RBRACKET)?  # explainStatement
    | CHECK expr (WRT nameList)?                                 # checkStatement
    | TRAIN expr LR number STEPS number (WRT nameList)? (OPTIMIZER NAME)? (BATCH number OVER NAME ',' NAME)?  # trainStatement
    | GRAPH expr                                                 # graphStatement
    | DATA NAME ',' NAME '=' NAME '(' (dataArgument (',' dataArgument)*)? ')'  # dataStatement
    | PREDICT NAME WITH NAME '=' expr (',' NAME '=' expr)*       # predictStatement
    | PLOT kind=NAME (NAME OVER NAME ',' NAME)? (TO STRING)?     # plotStatement
    ;

// An argument of a data source: a file name, a number, a named column range such as x=0..1, or a
// named word such as header=true.
dataArgument
    : STRING                                                     # pathArgument
    | number                                                     # numberArgument
    | NAME '=' (RANGE | NUMBER)                                  # columnsArgument
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

nameList
    : NAME (',' NAME)*
    ;

// One position of an index: a whole number (negative counts from the end) or ':' for all.
index
    : sign='-'? NUMBER
    | COLON
    ;

// A function argument; initialisers take named ones such as seed=1.
argument
    : (NAME '=')? expr
    ;

// Alternatives are listed from the tightest binding to the loosest. '^' is right-associative and
// binds tighter than unary minus, so -x^2 is -(x^2) and 2^-x is 2^(-x).
expr
    : expr LBRACKET index (',' index)* RBRACKET                  # indexExpr
    | expr QUOTE                                                 # transposeExpr
    | <assoc=right> expr '^' expr                                # powerExpr
    | op=('-' | '+') expr                                        # unaryExpr
    | expr op=('*' | '/' | '@') expr                             # productExpr
    | expr op=('+' | '-') expr                                   # sumExpr
    | GRAD '(' expr ',' NAME ')'                                 # gradExpr
    | NAME '(' (argument (',' argument)*)? ')'                   # callExpr
    | NAME                                                       # nameExpr
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
CHECK   : 'check' ;
TRAIN   : 'train' ;
GRAPH   : 'graph' ;
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
TO      : 'to' ;

SEMI    : ';' ;
COMMA   : ',' ;
ASSIGN  : '=' ;
PLUS    : '+' ;
MINUS   : '-' ;
STAR    : '*' ;
SLASH   : '/' ;
CARET   : '^' ;
AT      : '@' ;
COLON   : ':' ;
QUOTE   : '\'' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
LPAREN  : '(' ;
RPAREN  : ')' ;

NAME    : [a-zA-Z_] [a-zA-Z_0-9]* ;
RANGE   : DIGITS '..' DIGITS ;
STRING  : '"' ~["\r\n]* '"' ;
NUMBER  : DIGITS ('.' DIGITS?)? EXPONENT? | '.' DIGITS EXPONENT? ;

NEWLINE : '\r'? '\n' ;
COMMENT : '#' ~[\r\n]* -> skip ;
WS      : [ \t]+ -> skip ;

// Any other character becomes a token of its own so the parser reports it with its position.
UNEXPECTED : . ;

fragment DIGITS   : [0-9]+ ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
