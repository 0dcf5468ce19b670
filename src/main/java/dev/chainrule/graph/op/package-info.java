/**
 * The table of operations, each defined once: {@link dev.chainrule.graph.op.Op} gives an
 * operation's arity, its value, its local derivatives written against an
 * {@link dev.chainrule.graph.op.Algebra} (so one rule gives numbers, graph nodes, tape registers
 * and bytecode), its scalar view written against {@link dev.chainrule.graph.op.Scalars}, the
 * points at the edges of its domain, and its {@link dev.chainrule.graph.op.Notation} in every
 * printer. Everything else reads this table; nothing else knows an operation.
 */
package dev.chainrule.graph.op;
