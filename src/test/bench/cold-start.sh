#!/usr/bin/env bash
# Wall time of a cold `java -jar target/chainrule.jar demo`, JVM start included: the median of N runs.
# Usage: bash src/test/bench/cold-start.sh [N]   (after mvn package)
set -euo pipefail
cd "$(dirname "$0")/../../.."
runs=${1:-9}
times=()
for _ in $(seq "$runs"); do
  t=$( { /usr/bin/time -f "%e" java -jar target/chainrule.jar demo > /dev/null; } 2>&1 | tail -n 1 )
  times+=("$t")
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "cold demo, $runs runs (s): $(echo $sorted | tr '\n' ' ')"
echo "median: $(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p") s"
