#!/usr/bin/env bash
# Every performance figure of the README's tables, in one run on this machine: the JMH benchmarks
# of src/test/java/dev/chainrule/bench, the command line timed as a user runs it (cli.sh), the
# cold start of the jar, and the test suite from a clean tree. Writes the tables the README shows
# to target/bench/table.md.
# Usage: bash src/test/bench/run-all.sh      (about 25 minutes; results in target/bench/)
set -euo pipefail
cd "$(dirname "$0")/../../.."
# the test suite first, from a clean tree (mvn clean would remove the results of the rest)
suite=$(mktemp)
/usr/bin/time -f "verify: %e s, max RSS %M KB" mvn -B -q -ntp clean verify 2> "$suite" > /dev/null || { cat "$suite"; exit 1; }
mkdir -p target/bench
tail -n 1 "$suite" > target/bench/suite.txt; rm -f "$suite"
mvn -B -q -ntp -Pbench test-compile
jmh() {  # name, then JMH arguments
  local name=$1; shift
  mvn -B -q -ntp -Pbench exec:exec -Dbench.args="$* -rf text -rff target/bench/$name.txt" | tee target/bench/$name.log
}
jmh training   "TrainingBench -f 1 -wi 3 -i 5 -w 2s -r 2s"
# iterations of 5 s: an operation on 10^6 nodes takes 0.1-0.5 s, and the collector's pauses need several to average out
jmh scalar     "ScalarChainBench.(buildTapeForwardBackward|build|tapeCompile|tapeForwardBackward|byHandForwardBackward)$ -f 1 -wi 2 -i 5 -w 5s -r 5s"
jmh memory     "ScalarChainBench.tapeCompile -p nodes=1000000 -f 1 -wi 1 -i 3 -prof gc"
jmh symbolic   "SymbolicAndParseBench.symbolicGradient -f 1 -wi 2 -i 3 -w 5s -r 5s"
jmh parse      "SymbolicAndParseBench.parseAndBuild -f 1 -wi 1 -i 3"
jmh threeways  "ThreeWaysBench -f 1 -wi 2 -i 3 -w 1s -r 1s"
jmh threeways-100000 "ThreeWaysBench.(reverse|finiteDifferencesOneParam) -p n=100000 -f 1 -wi 2 -i 3 -w 1s -r 1s"
NO_ANCHOR=1 bash src/test/bench/cli.sh 5
bash src/test/bench/cold-start.sh 9 | tee target/bench/cold-start.txt
python3 src/test/bench/table.py target/bench > target/bench/table.md
cat target/bench/table.md
echo "results: target/bench/*.txt; the README's tables: target/bench/table.md"
