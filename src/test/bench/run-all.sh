#!/usr/bin/env bash
# Every performance figure of the README's table, in one run on this machine:
# the JMH benchmarks of src/test/java/dev/chainrule/bench, then the cold start of the jar.
# Usage: bash src/test/bench/run-all.sh      (about 45 minutes; results in target/bench/)
set -euo pipefail
cd "$(dirname "$0")/../../.."
mkdir -p target/bench
mvn -B -q -ntp -DskipTests package
mvn -B -q -ntp -Pbench test-compile
jmh() {  # name, then JMH arguments
  local name=$1; shift
  mvn -B -q -ntp -Pbench exec:exec -Dbench.args="$* -rf text -rff target/bench/$name.txt" | tee target/bench/$name.log
}
jmh training   "TrainingBench -f 1 -wi 3 -i 5 -w 2s -r 2s"
jmh scalar     "ScalarChainBench -f 1 -wi 2 -i 5"
jmh memory     "ScalarChainBench.tapeCompile -f 1 -wi 1 -i 3 -prof gc"
jmh symbolic   "SymbolicAndParseBench.symbolicGradient -f 1 -wi 2 -i 3"
jmh parse      "SymbolicAndParseBench.parseAndBuild -f 1 -wi 1 -i 3"
jmh threeways  "ThreeWaysBench -f 1 -wi 2 -i 3 -w 1s -r 1s"
jmh threeways-100000 "ThreeWaysBench.(reverse|finiteDifferencesOneParam) -p n=100000 -f 1 -wi 2 -i 3 -w 1s -r 1s"
bash src/test/bench/cold-start.sh 9 | tee target/bench/cold-start.txt
echo "results: target/bench/*.txt"
