#!/usr/bin/env bash
# The command line timed whole, as a user runs it (JVM start included), on this machine:
#  - `run` of generated scalar models of 10^4, 10^5 and 10^6 lines (parse and build only): lines per
#    second beyond the start of an empty model, and the resident memory;
#  - `grad FILE --of L --json` of the same models: the cost per node is the difference of the
#    10^6- and 10^5-line runs over the difference of their lines (one node a line);
#  - `train` of the 2-2-2 network of seed 002 (the backprop-2-2-2 example's model): the cost per step
#    is the difference of a 2,000,001-step and a 1-step run, set against the hand-written Java loop
#    of TrainingBench.network222ByHand1000 (JMH, run here too unless NO_ANCHOR=1).
# Each figure is the median of RUNS runs (default 5).
# Usage: bash src/test/bench/cli.sh [RUNS]     (builds the jar first; results in target/bench/cli.txt)
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs=${1:-5}
out=target/bench
mkdir -p "$out/models"
[ -f target/chainrule.jar ] || mvn -B -q -ntp -DskipTests package
jar=target/chainrule.jar

for n in 10000 100000 1000000; do
  python3 src/test/bench/scalar-model.py "$n" > "$out/models/scalar-$n.chain"
done
printf 'param p = 1\n' > "$out/models/scalar-1.chain"
java -jar "$jar" examples --show backprop-2-2-2 | sed -n '1,/^E = /p' > "$out/models/net222.chain"

# median wall seconds and median max RSS (MB) of RUNS runs of a command
measure() {
  local times=() mems=()
  for _ in $(seq "$runs"); do
    local line
    line=$( { /usr/bin/time -f "%e %M" "$@" > /dev/null; } 2>&1 | tail -n 1 )
    times+=("${line% *}")
    mems+=("${line#* }")
  done
  local mid=$(( (runs + 1) / 2 ))
  echo "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "${mid}p") $(( $(printf '%s\n' "${mems[@]}" | sort -n | sed -n "${mid}p") / 1024 ))"
}

{
  echo "# chainrule on the command line, $(date -u +%F), $(nproc) cores, $(java -version 2>&1 | head -n 1), median of $runs runs"
  read -r t1 m1 <<< "$(measure java -jar "$jar" run "$out/models/scalar-1.chain")"
  echo "run, 1 line: ${t1} s, ${m1} MB"
  declare -A grad_t
  for n in 10000 100000 1000000; do
    read -r t m <<< "$(measure java -jar "$jar" run "$out/models/scalar-$n.chain")"
    rate=$(python3 -c "print(f'{$n / max($t - $t1, 1e-9):,.0f}')")
    echo "run (parse + build), $n lines: ${t} s, ${m} MB; $rate lines per second beyond the 1-line run"
    read -r t m <<< "$(measure java -jar "$jar" grad "$out/models/scalar-$n.chain" --of L --json)"
    grad_t[$n]=$t
    echo "grad --json, $n lines: ${t} s, ${m} MB"
  done
  per_node=$(python3 -c "print(f'{(${grad_t[1000000]} - ${grad_t[100000]}) / 900000 * 1e6:.2f}')")
  echo "grad per node (10^6 minus 10^5 lines): ${per_node} µs"

  read -r s1 _ <<< "$(measure java -jar "$jar" train "$out/models/net222.chain" --of E --lr 0.5 --steps 1)"
  read -r s2 _ <<< "$(measure java -jar "$jar" train "$out/models/net222.chain" --of E --lr 0.5 --steps 2000001)"
  per_step=$(python3 -c "print(f'{($s2 - $s1) / 2000000 * 1e9:.0f}')")
  echo "train 2-2-2, 1 step: ${s1} s; 2,000,001 steps: ${s2} s; per step: ${per_step} ns"
  if [ "${NO_ANCHOR:-0}" != 1 ]; then
    mvn -B -q -ntp -Pbench test-compile exec:exec \
      -Dbench.args="TrainingBench.network222ByHand1000 -f 1 -wi 3 -i 5 -w 1s -r 1s -rf text -rff $PWD/$out/anchor.txt" > /dev/null
    hand_ms=$(awk '/network222ByHand1000/ {print $(NF-3)}' "$out/anchor.txt")
    ratio=$(python3 -c "print(f'{$per_step / ($hand_ms * 1e6 / 1000):.2f}')")
    echo "the hand-written Java loop (JMH network222ByHand1000): $(python3 -c "print(f'{$hand_ms * 1e6 / 1000:.0f}')") ns per step; train on the command line: ${ratio}x"
  fi
} | tee "$out/cli.txt"
