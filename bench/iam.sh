#!/bin/sh
# iam.sh - the IAM evaluator against the reference simulator, same cases,
# same machine, same run: decisions must agree (bar documented simulator
# deviations) and evaluation rates are printed side by side.
#
#   bench/iam.sh [CASES]   (default 100000; IAM_BENCH_SEED to vary)
set -eu
cd "$(dirname "$0")/.."
N=${1:-100000}
SEED=${IAM_BENCH_SEED:-4242}
O=tests/iam/oracle
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
[ -d $O/node_modules/@cloud-copilot/iam-simulate ] || (cd $O && npm ci --no-audit --no-fund --silent >/dev/null)
echo "== IAM evaluation: $N random cases (seed $SEED), rampart vs @cloud-copilot/iam-simulate"
node $O/gen.js "$SEED" "$N" >"$T/cases.jsonl"
# The simulator on both cores: two processes, each half of the cases.
half=$(( (N + 1) / 2 ))
split -l "$half" "$T/cases.jsonl" "$T/part."
start=$(date +%s.%N)
for f in "$T"/part.*; do ORACLE_TIMING=1 node $O/oracle.js "$f" >"$f.out" 2>"$f.time" & done
wait
end=$(date +%s.%N)
cat "$T"/part.*.out >"$T/oracle.txt"
oracle_rate=$(echo "$N $start $end" | awk '{printf "%.0f", $1 / ($3 - $2)}')
# rampart: decisions once, then the evaluation rate on one core (each case
# parsed once and evaluated 20 times, so parsing does not dominate).
./rampart iam eval-batch "$T/cases.jsonl" >"$T/ours.txt"
./rampart iam eval-batch --repeat 20 "$T/cases.jsonl" 2>"$T/rate" >/dev/null
rampart_rate=$(sed -n 's/.*: \([0-9]*\) evaluations\/s/\1/p' "$T/rate")
node $O/compare.js "$T/cases.jsonl" "$T/oracle.txt" "$T/ours.txt" || true
echo "simulator: $oracle_rate evaluations/s on 2 processes ($(echo "$oracle_rate" | awk '{printf "%.0f", $1/2}') per core)"
echo "rampart:   $rampart_rate evaluations/s on 1 core"
echo "ratio:     $(echo "$rampart_rate $oracle_rate" | awk '{printf "%.0f", $1 / ($2 / 2)}')x per core"
echo "goal:      1,000,000 evaluations/s per core: $(echo "$rampart_rate" | awk '{print ($1 >= 1000000) ? "PASS" : "not yet"}')"
