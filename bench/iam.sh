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
R=${RAMPART:-./rampart}
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
# Per core: evaluations over the CPU seconds both processes used.
oracle_core=$(cat "$T"/part.*.time | sed -n 's/^oracle: \([0-9]*\) evaluations in [0-9.]* s (\([0-9.]*\) s of CPU).*/\1 \2/p' |
	awk '{n += $1; c += $2} END {if (c > 0) printf "%.0f", n / c}')
# rampart: decisions once (end to end: JSON, policy compilation and one
# evaluation per case), then the evaluation rate per core (each case parsed
# once and evaluated 20 times; evaluations per second of CPU time, so other
# load on the machine does not count).
start=$(date +%s.%N)
"$R" iam eval-batch "$T/cases.jsonl" >"$T/ours.txt"
end=$(date +%s.%N)
rampart_e2e=$(echo "$N $start $end" | awk '{printf "%.0f", $1 / ($3 - $2)}')
"$R" iam eval-batch --repeat 20 "$T/cases.jsonl" 2>"$T/rate" >/dev/null
rampart_rate=$(sed -n 's/.*: \([0-9]*\) evaluations\/s/\1/p' "$T/rate")
node $O/compare.js "$T/cases.jsonl" "$T/oracle.txt" "$T/ours.txt" || true
echo "simulator: $oracle_rate evaluations/s on 2 processes (wall), ${oracle_core:-?} per core (CPU time, parsing included)"
echo "rampart:   $rampart_rate evaluations/s per core (CPU time, policies compiled once); end to end with parsing: $rampart_e2e cases/s on 1 process (wall)"
echo "ratio:     $(echo "$rampart_rate ${oracle_core:-0}" | awk '{print ($2 > 0) ? sprintf("%.0fx per core", $1 / $2) : "?"}')"
echo "goal:      1,000,000 evaluations/s per core: $(echo "$rampart_rate" | awk '{print ($1 >= 1000000) ? "PASS" : "not yet"}')"
