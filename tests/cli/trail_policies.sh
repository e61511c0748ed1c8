#!/bin/sh
# trail_policies.sh - `rampart trail usage --policies` end to end: the
# review of an account's authorization details against CloudTrail logs
# (text and json), NAME=FILE, a directory, the help text, and malformed
# input (a diagnostic with file:line:col, exit 2, the rest still reviewed).
set -u
R=${RAMPART:-build/rampart-san}
D=tests/trail/data
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
LOG=$D/authz-log.jsonl

$R trail usage $LOG --policies $D/authz-details.json --no-progress >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && ok "policies: exit 0 on clean input" || fail "policies: exit 0 on clean input (got $rc)"
grep -q '^tests/trail/data/authz-details.json: role app-role (arn:aws:iam::111122223333:role/app-role): 2 of 4 granted actions used, 3 calls by arn:aws:iam::111122223333:role/app-role$' "$T/o" \
	&& ok "policies: role summary line" || fail "policies: role summary line"
grep -q '^  dynamodb: 1 of 2 granted actions used$' "$T/o" && grep -q '^    unused: dynamodb:PutItem$' "$T/o" \
	&& ok "policies: Deny everywhere removes DeleteItem, conditional Deny keeps PutItem" \
	|| fail "policies: Deny everywhere removes DeleteItem, conditional Deny keeps PutItem"
grep -q '^  s3: 1 of 2 granted actions used$' "$T/o" && ok "policies: managed policy by default version only" \
	|| fail "policies: managed policy by default version only"
grep -q 'role idle-role (arn:aws:iam::111122223333:role/idle-role): never used in the window$' "$T/o" \
	&& grep -q '^  granted set may be incomplete: managed policy arn:aws:iam::111122223333:policy/not-in-this-file is not in the authorization details$' "$T/o" \
	&& ok "policies: unused role, missing managed policy said" || fail "policies: unused role, missing managed policy said"
grep -q '^tests/trail/data/authz-details.json: user alice (arn:aws:iam::111122223333:user/alice): 3 of 5 granted actions used, 4 calls' "$T/o" \
	&& ok "policies: user with group policies" || fail "policies: user with group policies"
grep -q '^  [0-9]* services never touched ([0-9]* granted actions): ' "$T/o" \
	&& ok "policies: NotAction grant summed up in text" || fail "policies: NotAction grant summed up in text"
grep -q 'authz-details.json:[0-9]*:[0-9]*: warning: unknown service prefix' "$T/e" \
	&& ok "policies: policy warnings with file:line:col" || fail "policies: policy warnings with file:line:col"

$R trail usage $LOG --policies $D/authz-details.json --format json --no-progress -o "$T/j.json" 2>/dev/null
rc=$?
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).roles;
const by = n => r.find(x => x.role_name === n);
const a = by("alice"), app = by("app-role"), rep = by("reporter");
if (r.length !== 5) throw "count " + r.length;
if (a.kind !== "user" || a.source !== "policies" || a.granted_actions !== 5 || a.used_actions !== 3) throw "alice";
if (app.kind !== "role" || app.arn !== "arn:aws:iam::111122223333:role/app-role" || app.principals.length !== 1) throw "app";
if (rep.services.some(s => s.service === "iam" || s.service === "dynamodb")) throw "reporter";
if (!("template" in app && "role" in app && "not_expanded" in app)) throw "keys";
' "$T/j.json" 2>"$T/e" && [ $rc -eq 0 ] && ok "policies: json kind, source, arn and counts" \
	|| { fail "policies: json kind, source, arn and counts"; cat "$T/e"; }

# NAME=FILE: one policy document for one principal.
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Decrypt","sqs:*"],"Resource":"*"}]}\n' >"$T/alice.json"
$R trail usage $LOG --policies "alice=$T/alice.json" --no-progress >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 0 ] && grep -q "^$T/alice.json: user alice: 1 of [0-9]* granted actions used" "$T/o" \
	&& grep -q '^  sqs: 0 of [0-9]* granted actions used (service never touched)$' "$T/o" \
	&& ok "policies: NAME=FILE" || fail "policies: NAME=FILE"

# Malformed: a broken page in a directory with a good one.
mkdir "$T/pages"
cp $D/authz-details.json "$T/pages/1.json"
printf '{\n  "RoleDetailList": [\n    {"RoleName": "x" "Arn": "y"}\n  ]\n}\n' >"$T/pages/2.json"
$R trail usage $LOG --policies "$T/pages" --no-progress >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 2 ] && ok "malformed: exit 2" || fail "malformed: exit 2 (got $rc)"
grep -q "^$T/pages/2.json:3:[0-9]*: error: " "$T/e" && ok "malformed: file:line:col on stderr" \
	|| fail "malformed: file:line:col on stderr"
grep -q 'user alice (arn:aws:iam::111122223333:user/alice): 3 of 5' "$T/o" && ok "malformed: the rest still reviewed" \
	|| fail "malformed: the rest still reviewed"

# A statement that is not a statement: left out, said, principal uncertain.
printf '{"RoleDetailList":[{"RoleName":"b","Arn":"arn:aws:iam::111122223333:role/b",\n"RolePolicyList":[{"PolicyName":"p","PolicyDocument":\n{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}}]}]}\n' >"$T/bad.json"
$R trail usage $LOG --policies "$T/bad.json" --no-progress >"$T/o" 2>"$T/e"
rc=$?
[ $rc -eq 2 ] && grep -q "^$T/bad.json:3:[0-9]*: error: Effect must be Allow or Deny" "$T/e" \
	&& grep -q 'granted set may be incomplete: inline policy p could not be read fully' "$T/o" \
	&& ok "malformed: bad statement diagnosed, principal uncertain" || fail "malformed: bad statement diagnosed, principal uncertain"

# Not authorization details; a missing file; only readable input kept.
$R trail usage $LOG --policies $D/unused-template.yaml --no-progress >"$T/o" 2>"$T/e"
[ $? -eq 2 ] && grep -q "unused-template.yaml:[0-9]*:[0-9]*: error: not the output of 'aws iam get-account-authorization-details'" "$T/e" \
	&& ok "not authorization details: exit 2 with position" || fail "not authorization details: exit 2 with position"
$R trail usage $LOG --policies "$T/none.json" --no-progress >"$T/o" 2>"$T/e"
[ $? -eq 2 ] && ok "missing policies file: exit 2" || fail "missing policies file: exit 2"
$R trail detect $LOG --policies $D/authz-details.json >/dev/null 2>&1
[ $? -eq 2 ] && ok "--policies is not for detect" || fail "--policies is not for detect"

# Help: documented, no longer "not built yet".
$R trail usage --help >"$T/o" 2>&1
grep -q -- '--policies FILE|DIR' "$T/o" && grep -q 'get-account-authorization-details > authz.json' "$T/o" \
	&& ! grep -q 'not built yet' "$T/o" && ok "help documents --policies" || fail "help documents --policies"
