/**
 * Pictures of training, drawn headless with JFreeChart into PNG files: the loss per step of a
 * training run, and a classifier's output over a grid spanning its data with the data points on
 * top (the decision-boundary picture of the classifier tutorials).
 */
package dev.chainrule.plot;
