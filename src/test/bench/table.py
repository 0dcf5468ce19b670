#!/usr/bin/env python3
"""Writes the README's performance tables from one run of run-all.sh (target/bench/*.txt).

Every chainrule figure and the hand-written Java anchors come from the files of that run; the
numpy, PyTorch, micrograd and SymPy figures are the issues' (measured once on this machine), and
are marked as such in the README.

Usage: python3 src/test/bench/table.py [target/bench] > target/bench/table.md
"""
import re
import sys
from pathlib import Path

bench = Path(sys.argv[1] if len(sys.argv) > 1 else "target/bench")

# figures measured outside chainrule, once, by the issues that set the targets
NUMPY_222_US, TORCH_222_US, MICROGRAD_222_US = 17.6, 80, 71
TORCH_DAG_US, MICROGRAD_DAG = 8.6, "5–6.6 µs"
NUMPY_MLP_MS = "0.74–0.80"
NUMPY_MLP_MS_MID = 0.77
NUMPY_CLASSIFIER_MS, TORCH_CLASSIFIER_S = 74, 0.24
SYMPY_DEPTH40_MS = 67
MICROGRAD_CLI_US = 4.9


def jmh(name):
    """{(benchmark, params...): (score, error, unit)} of a JMH text result file."""
    results = {}
    path = bench / f"{name}.txt"
    if not path.exists():
        return results
    for line in path.read_text().splitlines():
        tokens = line.split()
        if not tokens or "." not in tokens[0] or "avgt" not in tokens:
            continue
        at = tokens.index("avgt")
        params = tuple(t for t in tokens[1:at] if t != "N/A")
        rest = tokens[at + 2:]
        score = float(rest[0])
        error = float(rest[2]) if len(rest) > 3 and rest[1] == "±" else float("nan")
        results[(tokens[0].split(".", 1)[1],) + params] = (score, error, rest[-1])
    return results


def ms(result):
    score, _, unit = result
    return {"ms/op": 1.0, "us/op": 1e-3, "ns/op": 1e-6, "s/op": 1e3}[unit] * score


def err_ms(result):
    score, error, unit = result
    return ms((error, 0, unit))


def fmt(value, digits=3):
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def per(result, count, scale=1e6):
    """A result in ms per operation as (value ± error) per item, in ns (scale 1e6) or µs (1e3)."""
    return f"{fmt(ms(result) * scale / count)} ± {fmt(err_ms(result) * scale / count, 2)}"


training = jmh("training")
scalar = jmh("scalar")
memory = jmh("memory")
symbolic = jmh("symbolic")
parse = jmh("parse")
three = {**jmh("threeways"), **jmh("threeways-100000")}
cli = (bench / "cli.txt").read_text() if (bench / "cli.txt").exists() else ""
cold = (bench / "cold-start.txt").read_text() if (bench / "cold-start.txt").exists() else ""
suite = (bench / "suite.txt").read_text() if (bench / "suite.txt").exists() else ""


def cli_figure(pattern):
    m = re.search(pattern, cli)
    return m.groups() if m else None


rows = []
row = rows.append

hand = training.get(("network222ByHand1000",))
steps = training.get(("network222Steps1000",))
if hand and steps:
    hand_ns = ms(hand) * 1e6 / 1000
    step_ns = ms(steps) * 1e6 / 1000
    row(("2-2-2 network (seed 002), one gradient-descent step through `Model.train` (1000 steps per call)",
         f"{per(steps, 1000)} ns",
         f"hand-written Java {fmt(hand_ns)} ns; numpy {NUMPY_222_US} µs; PyTorch {TORCH_222_US} µs; micrograd {MICROGRAD_222_US} µs",
         f"{step_ns / hand_ns:.1f}× the Java loop; {NUMPY_222_US * 1e3 / step_ns:,.0f}× faster than numpy"))
train_cli = cli_figure(r"train 2-2-2, 1 step: ([\d.]+) s; 2,000,001 steps: ([\d.]+) s; per step: (\d+) ns")
if train_cli and hand:
    hand_ns = ms(hand) * 1e6 / 1000
    row(("the same through the command line: `train FILE --of E --lr 0.5 --steps N`, the 2,000,001-step run minus the 1-step run, per step (JVM start and JIT warm-up included)",
         f"{train_cli[2]} ns ({train_cli[1]} s − {train_cli[0]} s)",
         f"hand-written Java {fmt(hand_ns)} ns (target: 2.5×)",
         f"{int(train_cli[2]) / hand_ns:.2f}× the Java loop"))

big = scalar.get(("buildTapeForwardBackward", "1000000"))
if big:
    row(("scalar DAG of 10^6 mixed ops (`ScalarChainBench`): build the graph + lower + forward + backward, per node",
         f"{per(big, 1e6)} ns",
         f"PyTorch {TORCH_DAG_US} µs; micrograd {MICROGRAD_DAG} (target: 50 ns)",
         f"{TORCH_DAG_US * 1e3 / (ms(big) * 1e6 / 1e6):.0f}× faster than PyTorch; {ms(big) * 1e6 / 1e6 / 50:.1f}× the target"))
mid = [scalar.get(("buildTapeForwardBackward", n)) for n in ("100000", "10000")]
if all(mid):
    row(("the same, 10^5 / 10^4 nodes", f"{fmt(ms(mid[0]) * 1e6 / 1e5)} ns / {fmt(ms(mid[1]) * 1e6 / 1e4)} ns", "", ""))
build, lower = scalar.get(("build", "1000000")), scalar.get(("tapeCompile", "1000000"))
if build and lower:
    row(("of which at 10^6: build, lower", f"{per(build, 1e6)} ns, {per(lower, 1e6)} ns", "", ""))
sweep_big, sweep_small = scalar.get(("tapeForwardBackward", "1000000")), scalar.get(("tapeForwardBackward", "10000"))
hand_big, hand_small = scalar.get(("byHandForwardBackward", "1000000")), scalar.get(("byHandForwardBackward", "10000"))
if sweep_big and sweep_small and hand_big and hand_small:
    a, b = ms(sweep_big) * 1e6 / 1e6, ms(sweep_small) * 1e6 / 1e4
    ha, hb = ms(hand_big) * 1e6 / 1e6, ms(hand_small) * 1e6 / 1e4
    row(("forward + backward on a built tape, per node: 10^6 nodes (interpreted) / 10^4 nodes (compiled)",
         f"{fmt(a)} ns / {fmt(b)} ns", f"the same DAG written by hand in Java: {fmt(ha)} ns / {fmt(hb)} ns",
         f"{a / ha:.1f}× / {b / hb:.1f}× the Java code"))
alloc = memory.get(("tapeCompile:gc.alloc.rate.norm", "1000000"))
if alloc:
    row(("bytes allocated per node while lowering a 10^6-node graph to a tape", f"{alloc[0] / 1e6:.0f} bytes", "", ""))

mlp10, mlp1 = training.get(("mlpSteps10",)), training.get(("mlpStep",))
if mlp10:
    step = ms(mlp10) / 10
    row(("784-128-10 tanh MLP, softmax cross-entropy, batch 64, per SGD step (10 steps per call, `mlpSteps10`)",
         f"{fmt(step)} ± {fmt(err_ms(mlp10) / 10, 2)} ms", f"numpy {NUMPY_MLP_MS} ms (1 thread; target: 1.5×)",
         f"{step / NUMPY_MLP_MS_MID:.1f}× numpy"))
if mlp1:
    row(("the same, one `train` call of one step (two forward sweeps, one backward)", f"{per(mlp1, 1, 1)} ms", "", ""))
classifier = training.get(("classifier2000Epochs",))
if classifier:
    row(("2-3-1 classifier (seed 004), 200 points, 2000 full-batch epochs", f"{per(classifier, 1, 1)} ms",
         f"numpy {NUMPY_CLASSIFIER_MS} ms (target: 0.5×); PyTorch {TORCH_CLASSIFIER_S} s",
         f"{ms(classifier) / NUMPY_CLASSIFIER_MS:.2f}× numpy"))

depths = ["10", "40", "1000", "100000"]
sym = [symbolic.get(("symbolicGradient", d)) for d in depths]
if all(sym):
    times = " / ".join(f"{fmt(ms(s) * 1e3)} µs" if ms(s) < 1 else f"{fmt(ms(s))} ms" for s in sym)
    row((f"symbolic gradient of sin∘…∘sin(x·y), depth {' / '.join(depths)}", times, f"SymPy at depth 40: {SYMPY_DEPTH40_MS} ms",
         f"{SYMPY_DEPTH40_MS / ms(sym[1]):,.0f}× faster at depth 40"))

sizes = ["10000", "100000", "1000000"]
parsed = [parse.get(("parseAndBuild", n)) for n in sizes]
if all(parsed):
    row(("parse + build a generated model of 10^4 / 10^5 / 10^6 lines, in one warm JVM (`SymbolicAndParseBench`)",
         " / ".join(f"{fmt(ms(p))} ms" for p in parsed)
         + " (" + " / ".join(f"{int(n) / ms(p) * 1e3:,.0f}" for n, p in zip(sizes, parsed)) + " lines per second)",
         "target: 1,000,000 lines per second", f"{1e6 / (int(sizes[-1]) / ms(parsed[-1]) * 1e3):.1f}× short of it at 10^6"))

runs = re.findall(r"run \(parse \+ build\), (\d+) lines: ([\d.]+) s, (\d+) MB; ([\d,]+) lines per second", cli)
if runs:
    row(("the command line, `run FILE` of a generated model of 10^4 / 10^5 / 10^6 lines (parse and build; JVM start included)",
         " / ".join(f"{t} s" for _, t, _, _ in runs) + " (" + " / ".join(r for _, _, _, r in runs)
         + " lines per second beyond a 1-line model); resident " + " / ".join(f"{m} MB" for _, _, m, _ in runs),
         "target: 1,000,000 lines per second", ""))
grads = re.findall(r"grad --json, (\d+) lines: ([\d.]+) s, (\d+) MB", cli)
per_node = cli_figure(r"grad per node \(10\^6 minus 10\^5 lines\): ([\d.]+) µs")
if grads and per_node:
    us = float(per_node[0])
    row(("the command line, `grad FILE --of L --json` of the same models; per node, the 10^6-line run minus the 10^5-line run",
         " / ".join(f"{t} s" for _, t, _ in grads) + f"; {us} µs per node; resident " + " / ".join(f"{m} MB" for _, _, m in grads),
         f"micrograd in memory {MICROGRAD_CLI_US} µs per node (target: 1 µs and 1.5 GB)",
         f"{MICROGRAD_CLI_US / us:.2f}× micrograd's speed; {us:.1f}× the target"))
median = re.search(r"median: ([\d.]+) s", cold)
if median:
    spread = re.search(r"\(s\): (.*)", cold).group(1).split()
    row(("`java -jar target/chainrule.jar demo`, cold, median of 9", f"{median.group(1)} s wall ({spread[0]}–{spread[-1]})", "", ""))
verify = re.search(r"verify: ([\d.]+) s, max RSS (\d+) KB", suite)
if verify:
    row(("`mvn -B verify` from a clean tree (912 tests, the KaTeX, exported-code and kernel tests included)",
         f"{float(verify.group(1)):.0f} s, {int(verify.group(2)) // 1024} MB resident at most", "target: 60 s, 2 GB",
         f"{float(verify.group(1)) / 60:.2f}× the time target"))

print("| workload | chainrule | anchor | ratio |")
print("|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(r) + " |")

if three:
    print()
    print("| n | reverse mode | finite differences | forward mode (DerivativeStructure) |")
    print("|---|---|---|---|")
    for n in ("10", "1000", "100000"):
        rev = three.get(("reverse", n))
        fd = three.get(("finiteDifferences", n))
        fd1 = three.get(("finiteDifferencesOneParam", n))
        fwd = three.get(("forwardMode", n))
        if not rev:
            continue
        r = ms(rev)
        cells = [n, f"{fmt(r * 1e3)} µs" if r < 1 else f"{fmt(r)} ms"]
        if fd:
            cells.append(f"{fmt(ms(fd))} ms ({ms(fd) / r:,.0f}×)")
        elif fd1:
            total = ms(fd1) * int(n) / 1e3
            cells.append(f"≈ {total:,.0f} s ({fmt(ms(fd1))} ms per partial × {int(n):,}; {total * 1e3 / r:,.0f}×)")
        else:
            cells.append("")
        cells.append(f"{fmt(ms(fwd))} ms ({ms(fwd) / r:,.0f}×)" if fwd else "out of reach")
        print("| " + " | ".join(cells) + " |")
