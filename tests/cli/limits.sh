#!/bin/sh
# limits.sh - the IAM commands drop nothing silently: eval-batch cases with
# more identity policies, SCP levels, policies per level or context keys than
# fixed arrays used to hold are evaluated whole; who-can lists every function
# that runs as a role (there was a cap of 64); narrow lists each of many
# resources once.
set -u
R=${RAMPART:-build/rampart-san}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }

python3 - >"$T/cases.jsonl" <<'PY'
import json
pol = lambda eff, act: {"Version": "2012-10-17", "Statement": [{"Effect": eff, "Action": act, "Resource": "*"}]}
base = {"principal": "arn:aws:iam::111122223333:role/a", "action": "s3:GetObject"}
# 40 identity policies, only the 40th allows
print(json.dumps(dict(base, identity=[pol("Allow", "s3:ListBucket")] * 39 + [pol("Allow", "s3:GetObject")])))
# 70 context keys, the Allow conditioned on the 70th
cond = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringEquals": {"aws:k69": "v"}}}]}
print(json.dumps(dict(base, identity=[cond], context={"aws:k%d" % i: "v" for i in range(70)})))
# 10 SCP levels, the last denies
print(json.dumps(dict(base, identity=[pol("Allow", "*")], scp=[[pol("Allow", "*")]] * 9 + [[pol("Allow", "*"), pol("Deny", "s3:GetObject")]])))
# 40 policies in one SCP level, the 40th denies
print(json.dumps(dict(base, identity=[pol("Allow", "*")], scp=[[pol("Allow", "*")] * 39 + [pol("Deny", "s3:GetObject")]])))
PY
$R iam eval-batch "$T/cases.jsonl" >"$T/o" 2>"$T/e"; rc=$?
printf 'allowed\nallowed\nexplicitDeny\nexplicitDeny\n' >"$T/want"
[ $rc -eq 0 ] && cmp -s "$T/o" "$T/want" && ok "eval-batch: 40 identity policies, 70 context keys, 10 SCP levels, 40 SCPs in a level" \
	|| { fail "eval-batch limits (exit $rc)"; paste "$T/want" "$T/o"; }

python3 - >"$T/fns.yaml" <<'PY'
print("""AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: p
          PolicyDocument:
            Version: '2012-10-17'
            Statement: [{Effect: Allow, Action: ['dynamodb:*', 'dynamodb:GetItem'], Resource: '*'}]""")
for i in range(70):
    print("""  Fn%02d:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: index.h, Code: {ZipFile: x}, Role: !GetAtt Role.Arn}
  Table%02d:
    Type: AWS::DynamoDB::Table
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      BillingMode: PAY_PER_REQUEST""" % (i, i))
PY
$R iam who-can dynamodb:GetItem Table00 "$T/fns.yaml" >"$T/o" 2>"$T/e"; rc=$?
n=$(grep -c ' via Fn[0-9]* -> Role' "$T/o")
[ $rc -eq 0 ] && [ "$n" -eq 70 ] && ok "who-can: all 70 functions of one role" || { fail "who-can: $n of 70 functions (exit $rc)"; head -3 "$T/e"; }
$R iam narrow Fn00 "$T/fns.yaml" >"$T/o" 2>"$T/e"; rc=$?
refs=$(grep -c '^            - ' "$T/o")
uniq=$(grep '^            - ' "$T/o" | sort -u | wc -l)
tables=$(grep -c '^            - !GetAtt Table[0-9]*\.Arn$' "$T/o")
[ $rc -eq 0 ] && [ "$refs" -eq "$uniq" ] && [ "$tables" -eq 70 ] && ok "narrow: 70 tables, each reference once ($refs)" \
	|| { fail "narrow: $refs references, $uniq distinct, $tables tables (exit $rc)"; head -3 "$T/e"; }
