package dev.chainrule.data;

import dev.chainrule.tensor.Tensor;

/**
 * Examples and their labels.
 *
 * @param x an n×d matrix, one example a row
 * @param y n labels (class numbers 0, 1, ... for the generators; any numbers from a file)
 */
public record Dataset(Tensor x, Tensor y) {
}
