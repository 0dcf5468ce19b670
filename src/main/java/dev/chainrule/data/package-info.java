/**
 * Data sets: examples as a matrix {@code X} (one row an example) with labels {@code y}, read from
 * CSV files or drawn by the seeded generators ({@code moons}, {@code circles}, {@code xor},
 * {@code blobs}) that the classifier tutorials use. A seed fixes every number, so runs repeat.
 */
package dev.chainrule.data;
