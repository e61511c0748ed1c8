#!/bin/sh
# strict.sh - what CloudFormation rejects is an input error here too, each
# with its file:line:col and exit 2, and the other files still reported:
# a JSON template that is not JSON (hex), a template without resources, a
# Fn::GetAtt of an attribute the type lacks, AWS::Serverless::* without the
# Transform, a condition cycle (reported once).  Then --param keys that no
# scanned template declares: one warning per key, naming the nearest.
set -u
R=${RAMPART:-build/rampart-san}
D=tests/cli/data
B=tests/bad
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

# bad FILE LINE:COL MESSAGE-FRAGMENT
bad() {
	f=$B/$1
	$R scan --format json --fail-on none "$f" $D/good.yaml >"$T/o.json" 2>"$T/e"; rc=$?
	n=$(grep -c "^$f:$2: error: .*$3" "$T/e")
	if [ $rc -eq 2 ] && [ "$n" -eq 1 ] && grep -q "\"file\":\"$D/good.yaml\"" "$T/o.json"; then
		echo "ok strict $1: $2 $3"
	else
		echo "FAIL strict $1: exit $rc, $n errors at $2 matching '$3'"; cat "$T/e"
	fi
}
bad hex.json 3:35 "hexadecimal numbers are not JSON"
bad no-resources.yaml 3:1 "the template has no resources"
bad getatt-attribute.yaml 8:18 "Fn::GetAtt Topic.Arn: AWS::SNS::Topic has no attribute Arn"
bad serverless-no-transform.yaml 4:11 "needs 'Transform: AWS::Serverless-2016-10-31'"
bad condition-cycle.yaml 3:3 "condition cycle: Both -> Both"

# --param: a key one template declares is fine; a key none declares is warned about once.
printf 'Parameters:\n  Environment: {Type: String, Default: dev}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n' >"$T/a.yaml"
printf 'Parameters:\n  Stage: {Type: String, Default: dev}\nResources:\n  T:\n    Type: AWS::SNS::Topic\n' >"$T/b.yaml"
$R scan --fail-on none --param Stage=prod --param Enviroment=prod "$T/a.yaml" "$T/b.yaml" >"$T/o" 2>&1; rc=$?
w=$(grep -c "warning: --param" "$T/o")
if [ $rc -eq 0 ] && [ "$w" -eq 1 ] &&
	grep -q "a.yaml:2:3: warning: --param Enviroment: no scanned template has a parameter Enviroment; the nearest is Environment" "$T/o"; then
	echo "ok strict --param: one warning for the key no template declares, with the nearest name"
else
	echo "FAIL strict --param (exit $rc, $w warnings)"; cat "$T/o"
fi
