#!/usr/bin/env python3
"""Writes a generated scalar model of N lines to standard output: one node a line.

100 params p0..p99; a chain x1, x2, ... that cycles through `+ p`, `* p`, sin, tanh and exp of the
line before, and every fifth member added into a running sum s, whose last member is L. Without the
sum the adjoints of a chain this long would underflow to 0 (the mix is that of ScalarChainBench).

Usage: python3 src/test/bench/scalar-model.py N > model.chain
"""
import sys

lines = int(sys.argv[1])
out = sys.stdout
write = out.write
for k in range(100):
    write("param p%d = %.2f\n" % (k, 0.5 + (k % 10) / 10))
write("x0 = p0\ns0 = 0\n")
n = 102
i = 1
j = 0
while n < lines - 1:
    k = (i // 5) % 100
    step = i % 5
    if step == 0:
        write("x%d = x%d + p%d\n" % (i, i - 1, k))
    elif step == 1:
        write("x%d = x%d * p%d\n" % (i, i - 1, k))
    elif step == 2:
        write("x%d = sin(x%d)\n" % (i, i - 1))
    elif step == 3:
        write("x%d = tanh(x%d)\n" % (i, i - 1))
    else:
        write("x%d = exp(x%d)\n" % (i, i - 1))
    n += 1
    if step == 4 and n < lines - 1:
        j += 1
        write("s%d = s%d + x%d\n" % (j, j - 1, i))
        n += 1
    i += 1
write("L = s%d\n" % j)
