/**
 * Finite-difference checks of gradients. {@link dev.chainrule.check.GradientCheck} re-evaluates the
 * target with one leaf moved at a time and compares reverse mode's gradient with Richardson
 * extrapolation of central differences (Ridders' method, which adapts its step) and with the plain
 * two-point central difference, with steps scaled to each leaf's value; a
 * {@link dev.chainrule.check.CheckReport} gives, per leaf, analytic and numeric values, absolute
 * and relative errors, and whether they agree within the tolerances.
 */
package dev.chainrule.check;
