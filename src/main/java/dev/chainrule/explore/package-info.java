/**
 * What the chain-rule explorer shows, as plain data built from the model and session API: the
 * graph under an output laid out in columns with each node's value and gradient, the paths of an
 * explanation, the reverse sweep (and the forward sweep) one node at a time with one term per
 * consumer, and a training run that steps, plays and pauses. Nothing here knows about HTTP; the
 * web package serves it, and a page only draws it.
 */
package dev.chainrule.explore;
