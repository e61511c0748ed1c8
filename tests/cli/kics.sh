#!/bin/sh
# kics.sh - recall of the checks that carry a KICS alias, on KICS's own
# CloudFormation test samples (../shared/corpus/kics-cfn): a floor, so a
# change that loses positives fails.  The figures are printed too.
set -u
R=${RAMPART:-build/rampart-san}
[ -d ../shared/corpus/kics-cfn ] || { echo "FAIL kics: ../shared/corpus/kics-cfn is missing"; exit 0; }
out=$(node scripts/kics-recall.js "$R" --min-recall 0.80 2>&1); rc=$?
echo "$out" | tail -1
if [ $rc -eq 0 ]; then echo "ok kics recall by file >= 80%"; else echo "FAIL kics recall by file below 80%"; fi
neg=$(echo "$out" | tail -1 | sed -n 's/.*negative samples flagged: \([0-9]*\)\/.*/\1/p')
if [ -n "$neg" ] && [ "$neg" -le 4 ]; then echo "ok kics negatives flagged <= 4 ($neg)"; else echo "FAIL kics negatives flagged: ${neg:-?} (at most 4 expected)"; fi
exit 0
