#!/bin/sh
# iam.sh - `rampart iam` end to end: eval's decisions and exit codes, its
# JSON, bad policies (each a clear diagnostic and exit 2, never a crash),
# who-can and can on a template.
set -u
R=${RAMPART:-build/rampart-san}
D=tests/iam/data
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
ROLE=arn:aws:iam::111122223333:role/App
TABLE=arn:aws:dynamodb:eu-west-2:111122223333:table/Patients

cat >"$T/id.json" <<'J'
{"Version":"2012-10-17","Statement":[
 {"Sid":"Read","Effect":"Allow","Action":"dynamodb:Get*","Resource":"arn:aws:dynamodb:eu-west-2:111122223333:table/*"},
 {"Sid":"NoDelete","Effect":"Deny","Action":"dynamodb:Delete*","Resource":"*"},
 {"Sid":"Vpc","Effect":"Allow","Action":"dynamodb:Query","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}]}
J
$R iam eval --policy "$T/id.json" --principal $ROLE --action dynamodb:GetItem --resource $TABLE >"$T/o" 2>&1
[ $? -eq 0 ] && grep -q '^allowed' "$T/o" && ok "eval allowed: exit 0" || fail "eval allowed: exit 0"
$R iam eval --policy "$T/id.json" --principal $ROLE --action dynamodb:DeleteItem --resource $TABLE --format json >"$T/o" 2>&1
[ $? -eq 1 ] && grep -q '"decision":"explicitDeny"' "$T/o" && grep -q '"statement":"NoDelete"' "$T/o" && ok "eval explicit deny: exit 1, statement named" || fail "eval explicit deny"
$R iam eval --policy "$T/id.json" --principal $ROLE --action dynamodb:Query --resource $TABLE --format json >"$T/o" 2>&1
[ $? -eq 1 ] && grep -q '"decision":"implicitDeny"' "$T/o" && grep -q '"missing_context":\["aws:SourceVpc"\]' "$T/o" && ok "eval missing context reported" || fail "eval missing context reported"
grep -q '"allowed_if":\["StringEquals aws:SourceVpc vpc-1"\]' "$T/o" && ok "eval says under which condition it would be allowed" || fail "eval allowed_if"
$R iam eval --policy "$T/id.json" --principal $ROLE --action dynamodb:Query --resource $TABLE --context aws:SourceVpc=vpc-1 >/dev/null 2>&1
[ $? -eq 0 ] && ok "eval --context" || fail "eval --context"
node -e "JSON.parse(require('fs').readFileSync('$T/o','utf8'))" 2>/dev/null && ok "eval json parses" || fail "eval json parses"

# Bad policies: a diagnostic with file:line:col and exit 2.
printf 'not json at all: [' >"$T/bad1.json"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","action":"iam:*","Resource":"*"}]}' >"$T/dupcase.json"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:\377\376","Resource":"*"}]}' >"$T/utf8.json"
python3 -c "print('{\"a\":' * 300 + '1' + '}' * 300)" >"$T/deep.json"
python3 -c "
import json
print(json.dumps({'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::b/%d' % i} for i in range(100000)]}))" >"$T/many.json"
python3 -c "import json; print(json.dumps({'Version':'2012-10-17','Statement':[{'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::' + 'x'*10000000}]}))" >"$T/bigstr.json"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualz":{"a:b":"c"}}}]}' >"$T/badop.json"
for f in bad1 dupcase utf8 deep badop; do
	$R iam eval --policy "$T/$f.json" --principal $ROLE --action s3:GetObject --resource arn:aws:s3:::b/1 >"$T/o" 2>"$T/e"; rc=$?
	if [ $rc -eq 2 ] && grep -q "$f.json:[0-9]*:[0-9]*: error: " "$T/e"; then ok "bad policy $f: exit 2 with file:line:col"; else fail "bad policy $f (exit $rc)"; cat "$T/e" | head -3; fi
done
# Issue 8: "10.0.0.0/x" was read as /0 and a request from 8.8.8.8 allowed.
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",\n"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/x"}}}]}' >"$T/badcidr.json"
$R iam eval --policy "$T/badcidr.json" --principal $ROLE --action s3:GetObject --resource arn:aws:s3:::b/1 --context aws:SourceIp=8.8.8.8 >"$T/o" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "badcidr.json:2:27: error: IpAddress takes an IP address or CIDR block, not '10.0.0.0/x'" "$T/e" && ! grep -q allowed "$T/o"; then
	ok "malformed CIDR prefix in a policy: exit 2 with file:line:col, no decision"
else fail "malformed CIDR prefix in a policy (exit $rc)"; cat "$T/e" "$T/o" | head -3; fi
$R iam eval --policy "$T/many.json" --principal $ROLE --action s3:GetObject --resource arn:aws:s3:::b/99999 >/dev/null 2>&1
[ $? -eq 0 ] && ok "100,000 statements: evaluated" || fail "100,000 statements"
$R iam eval --policy "$T/bigstr.json" --principal $ROLE --action s3:GetObject --resource arn:aws:s3:::b/1 >/dev/null 2>&1
[ $? -eq 1 ] && ok "10 MB string: evaluated (denied)" || fail "10 MB string"
$R iam eval --principal $ROLE >/dev/null 2>&1; [ $? -eq 2 ] && ok "eval usage error" || fail "eval usage error"

# who-can and can on a template.
$R iam who-can dynamodb:GetItem PatientsTable $D/stack.yaml --format json >"$T/w.json"; rc=$?
[ $rc -eq 0 ] && node -e "
const w=JSON.parse(require('fs').readFileSync('$T/w.json','utf8'));
const by=Object.fromEntries(w.principals.map(p=>[p.principal,p]));
if(!by.AdminRole||by.AdminRole.conditions[0]!=='Bool aws:MultiFactorAuthPresent true') process.exit(1);
if(!by.ReaderFunction||by.ReaderFunction.via.join('>')!=='ReaderFunction>ReaderFunctionRole') process.exit(2);
if(by.OtherRole) process.exit(3);" && ok "who-can: roles, functions via roles, MFA condition" || { fail "who-can (exit $rc)"; cat "$T/w.json"; }
$R iam who-can kms:Decrypt DataKey $D/stack.yaml --format json >"$T/w.json"
grep -q '"principal":"arn:aws:iam::444455556666:root","kind":"account"' "$T/w.json" && ok "who-can: another account through the key policy" || { fail "who-can: another account"; cat "$T/w.json"; }
$R iam can ReaderFunction $D/stack.yaml --format json >"$T/c.json"
node -e "
const c=JSON.parse(require('fs').readFileSync('$T/c.json','utf8'));
const t=c.access.find(a=>a.resource==='PatientsTable'); if(!t) process.exit(1);
const acts=t.allowed.map(a=>a.action);
if(!acts.includes('dynamodb:GetItem')||acts.includes('dynamodb:PutItem')||acts.includes('dynamodb:DeleteTable')) process.exit(2);" && ok "can: read-only function reads, cannot write" || { fail "can"; cat "$T/c.json"; }
$R iam who-can dynamodb:GetItem NoSuchTable $D/stack.yaml >/dev/null 2>&1; [ $? -eq 2 ] && ok "who-can unknown resource: exit 2" || fail "who-can unknown resource"
# users have their groups' policies (inline, attached, UserToGroupAddition)
$R iam who-can dynamodb:GetItem PatientsTable $D/groups.yaml >"$T/g1"
$R iam who-can dynamodb:Query PatientsTable $D/groups.yaml >"$T/g2"
$R iam who-can dynamodb:PutItem PatientsTable $D/groups.yaml >"$T/g3"
if grep -q 'user *Alice' "$T/g1" && grep -q 'user *Alice' "$T/g2" && grep -q 'user *Bob' "$T/g3" &&
	! grep -q 'Bob\|Outsider' "$T/g1" && ! grep -q 'Alice\|Outsider' "$T/g3"; then
	ok "who-can: users through their groups"
else
	fail "who-can: users through their groups"; cat "$T/g1" "$T/g2" "$T/g3"
fi
$R iam who-can dynamodb:GetItem PatientsTable $D/groups.yaml --format json >"$T/g4"
if grep -q '"principal":"Maybe","kind":"user","via":\[\],"conditions":\[\],"certain":false' "$T/g4" &&
	grep -q '"principal":"Alice","kind":"user","via":\[\],"conditions":\[\],"certain":true' "$T/g4"; then
	ok "who-can: a group membership under an undecided condition is not certain"
else
	fail "who-can: conditional group membership"; cat "$T/g4"
fi
exit 0
