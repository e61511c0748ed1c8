#!/bin/sh
# trail_policy_json.sh - `rampart trail policy` writes what the README calls
# "IAM JSON ready to paste": by default the policy document alone, which
# JSON parsers (node, python3) and rampart's own policy loader (`iam eval
# --policy`) accept; the window and call count go to standard error, and
# the // comment lines only into --format text.
set -u
R=${RAMPART:-build/rampart-san}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
LOG=tests/trail/data/authz-log.jsonl
ROLE=arn:aws:iam::111122223333:role/app-role
C=../shared/corpus/cloudtrail

$R trail policy $ROLE $LOG --no-progress >"$T/p.json" 2>"$T/e"; rc=$?
[ $rc -eq 0 ] && ok "policy: exit 0" || { fail "policy: exit $rc"; cat "$T/e"; }
node -e "const p=JSON.parse(require('fs').readFileSync('$T/p.json','utf8')); if(p.Version!=='2012-10-17'||!p.Statement.length) process.exit(1)" \
	&& ok "policy: node JSON.parse reads a policy document" || { fail "policy: node JSON.parse"; head -3 "$T/p.json"; }
python3 -c "import json,sys; p=json.load(open(sys.argv[1])); sys.exit(0 if p['Statement'] else 1)" "$T/p.json" \
	&& ok "policy: python3 json.load" || fail "policy: python3 json.load"
grep -q '^//' "$T/p.json" && fail "policy: no // lines in the default output" || ok "policy: no // lines in the default output"
grep -q "least privilege for $ROLE from 3 successful calls, 2024-03-01T10:00:00Z .. 2024-03-01T10:02:00Z" "$T/e" \
	&& ok "policy: window and call count on stderr" || { fail "policy: window on stderr"; cat "$T/e"; }
# rampart's own loader takes it, and it allows what was used and nothing else.
$R iam eval --policy "$T/p.json" --principal $ROLE --action dynamodb:GetItem \
	--resource arn:aws:dynamodb:eu-west-2:111122223333:table/t >"$T/o" 2>"$T/e"; rc=$?
[ $rc -eq 0 ] && ok "policy: iam eval loads it, used action allowed" || { fail "policy: iam eval (exit $rc)"; cat "$T/e"; }
$R iam eval --policy "$T/p.json" --principal $ROLE --action dynamodb:DeleteItem \
	--resource arn:aws:dynamodb:eu-west-2:111122223333:table/t >"$T/o" 2>"$T/e"; rc=$?
[ $rc -eq 1 ] && ok "policy: iam eval, unused action denied" || { fail "policy: iam eval unused (exit $rc)"; cat "$T/e"; }
$R trail policy $ROLE $LOG --no-progress --format json >"$T/p2.json" 2>/dev/null
cmp -s "$T/p.json" "$T/p2.json" && ok "policy: --format json is the default" || fail "policy: --format json is the default"
# text: for reading, the comments above the same document.
$R trail policy $ROLE $LOG --no-progress --format text >"$T/p.txt" 2>/dev/null; rc=$?
[ $rc -eq 0 ] && grep -q "^// rampart trail policy: least privilege for $ROLE" "$T/p.txt" && [ "$(grep -v '^//' "$T/p.txt")" = "$(cat "$T/p.json")" ] \
	&& ok "policy --format text: // comments, then the same document" || fail "policy --format text"
# A real log: still a document both loaders read.
if [ -d $C/invictus ]; then
	$R trail policy stratus-red-team-ec2-steal-credentials-role $C/invictus --no-progress >"$T/i.json" 2>/dev/null; rc=$?
	node -e "JSON.parse(require('fs').readFileSync('$T/i.json','utf8'))" 2>/dev/null && [ $rc -eq 0 ] \
		&& ok "policy (invictus): JSON" || fail "policy (invictus): JSON (exit $rc)"
	$R iam eval --policy "$T/i.json" --principal arn:aws:iam::123837392027:role/stratus-red-team-ec2-steal-credentials-role \
		--action ec2:DescribeInstances >/dev/null 2>"$T/e"; rc=$?
	[ $rc -eq 0 ] && ok "policy (invictus): iam eval loads it" || { fail "policy (invictus): iam eval (exit $rc)"; head -3 "$T/e"; }
fi
