/**
 * Finite-difference checks of gradients and of the rules behind them.
 * {@link dev.chainrule.check.GradientCheck} re-evaluates the target with one leaf moved at a time
 * and compares reverse mode's gradient with Richardson extrapolation of central differences
 * (Ridders' method, which adapts its step) and with the plain central difference; a
 * {@link dev.chainrule.check.CheckReport} gives, per leaf, analytic and numeric values, errors,
 * whether they agree, and when they do not, the first node whose own rule disagrees.
 * {@link dev.chainrule.check.RuleCheck} checks every rule of the op table the same way.
 */
package dev.chainrule.check;
