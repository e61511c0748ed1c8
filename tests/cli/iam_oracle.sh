#!/bin/sh
# iam_oracle.sh - differential test of rampart's IAM evaluator against the
# reference simulator (@cloud-copilot/iam-simulate, AGPL: run as a separate
# process from tests/iam/oracle, never linked or copied).  A fixed seed, so
# the same cases every run; `make bench` runs 100,000.
set -u
R=${RAMPART:-build/rampart-san}
O=tests/iam/oracle
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
if ! command -v node >/dev/null 2>&1; then echo "FAIL iam oracle: node is not installed"; exit 0; fi
if [ ! -d $O/node_modules/@cloud-copilot/iam-simulate ]; then
	(cd $O && npm ci --no-audit --no-fund --silent >/dev/null 2>&1) || { echo "FAIL iam oracle: npm ci failed"; exit 0; }
fi
SEED=${IAM_ORACLE_SEED:-20261127}
N=${IAM_ORACLE_CASES:-2000}
node $O/gen.js "$SEED" "$N" >"$T/cases.jsonl"
node $O/oracle.js "$T/cases.jsonl" >"$T/oracle.txt" || { echo "FAIL iam oracle: the simulator crashed"; exit 0; }
$R iam eval-batch "$T/cases.jsonl" >"$T/ours.txt"; rc=$?
if [ $rc -eq 0 ]; then echo "ok rampart read every generated case"; else echo "FAIL rampart iam eval-batch exit $rc"; fi
node $O/compare.js "$T/cases.jsonl" "$T/oracle.txt" "$T/ours.txt"
exit 0
