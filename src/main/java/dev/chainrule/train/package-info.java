/**
 * Training: plain gradient descent over a model's leaves. Every gradient of a step is computed
 * from the old values, then all leaves move at once, as the backpropagation tutorials state their
 * algorithm. The loss before every step is recorded.
 */
package dev.chainrule.train;
