#!/bin/sh
# scan.sh - the scan command end to end: exit codes, formats, bad inputs
# (each gives file:line:col, exit 2, and the other files are still
# reported), suppression, --checks, --param, determinism.
set -u
R=${RAMPART:-build/rampart-san}
D=tests/cli/data
B=tests/bad
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
expect_rc() { # name want cmd...
	name=$1; want=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; got=$?
	if [ "$got" = "$want" ]; then ok "$name"; else fail "$name (exit $got, want $want)"; cat "$T/err"; fi
}

expect_rc "usage: no path" 2 $R scan
expect_rc "usage: bad format" 2 $R scan --format xml $D/good.yaml
expect_rc "usage: bad fail-on" 2 $R scan --fail-on severe $D/good.yaml
expect_rc "usage: unknown check" 2 $R scan --checks RMP-NOPE-999 $D/good.yaml
expect_rc "usage: bad param" 2 $R scan --param novalue $D/good.yaml
expect_rc "help" 0 $R scan --help
expect_rc "missing file" 2 $R scan $T/does-not-exist.yaml

# A port far outside long's range (issue 15: FromPort 7.8e62 was converted to
# long, undefined behaviour that -fsanitize=float-cast-overflow reports) and a
# CIDR prefix that is no number (issue 8: read as /0): input errors at the
# value, exit 2, no sanitizer report, and the rule still reported, uncertain.
for f in huge-port.yaml bad-cidr.yaml; do
	$R scan --format json --fail-on none $B/$f >"$T/o.json" 2>"$T/e"; rc=$?
	line=$(grep -n 'FromPort: 7.8e62\|/x}' $B/$f | cut -d: -f1)
	if [ $rc -eq 2 ] && grep -q "^$B/$f:$line:[0-9]*: error: " "$T/e" && ! grep -q "runtime error" "$T/e" &&
	   grep -q '"id":"RMP-SG-002".*"certain":false' "$T/o.json"; then
		ok "$f: error at its line, exit 2, uncertain finding, no sanitizer report"
	else fail "$f (exit $rc)"; cat "$T/e" | head -5; fi
done

# Findings and --fail-on.
expect_rc "fail-on none" 0 $R scan --fail-on none $D/good.yaml
$R scan --format json --fail-on none $D/good.yaml >"$T/good.json"
n=$(grep -c '"id":"RMP-' "$T/good.json")
if [ "$n" -gt 0 ]; then ok "good.yaml has findings ($n)"; else fail "good.yaml has findings"; fi
expect_rc "fail-on info finds" 1 $R scan --fail-on info $D/good.yaml

# Each bad input: file:line:col error, exit 2, and good.yaml still reported.
for f in malformed.yaml empty.yaml tag-wrong-node.yaml sub-missing-var.yaml ref-to-nothing.yaml cycle.yaml binary.yaml truncated.json; do
	$R scan --format json --fail-on none $B/$f $D/good.yaml >"$T/o.json" 2>"$T/e"; rc=$?
	if [ $rc -eq 2 ]; then ok "bad $f: exit 2"; else fail "bad $f: exit $rc"; fi
	if grep -q "\"file\":\"$B/$f\",\"line\":[1-9]" "$T/o.json"; then ok "bad $f: error with line"; else fail "bad $f: error with line"; cat "$T/o.json" | head -40; fi
	if grep -q "\"file\":\"$D/good.yaml\"" "$T/o.json"; then ok "bad $f: rest still scanned"; else fail "bad $f: rest still scanned"; fi
	if grep -q "^$B/$f:[0-9]*:[0-9]*: error: " "$T/e"; then ok "bad $f: stderr file:line:col"; else fail "bad $f: stderr file:line:col"; cat "$T/e"; fi
done

# A 50 MB template: over CloudFormation's 1 MB limit and rampart's scan
# limit: an error with a position, exit 2, the other file still reported.
{ printf 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'; i=0
  while [ $i -lt 20 ]; do printf '  T%d:\n    Type: AWS::SNS::Topic\n' $i; i=$((i+1)); done
  head -c 52428800 /dev/zero | tr '\0' '#' | fold -w 100 | sed 's/^/# /'; } >"$T/huge.yaml"
$R scan --format json --fail-on none "$T/huge.yaml" $D/good.yaml >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q 'huge.yaml:1:1: error: template is [0-9]* MB' "$T/e" && grep -q "\"file\":\"$D/good.yaml\"" "$T/o.json"; then
	ok "50 MB template: error, exit 2, rest scanned"; else fail "50 MB template (exit $rc)"; head -3 "$T/e"; fi
# Over 1 MB but within the scan limit: an error, and still scanned.
{ head -c 1200000 /dev/zero | tr '\0' '#' | fold -w 100 | sed 's/^/# /'; cat $D/good.yaml; } >"$T/big.yaml"
$R scan --format json --fail-on none "$T/big.yaml" >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "over CloudFormation's 1 MB limit" "$T/e" && grep -q '"id":"RMP-DDB-001"' "$T/o.json"; then
	ok "1.2 MB template: error, still scanned"; else fail "1.2 MB template (exit $rc)"; fi

# A CloudFormation template with duplicate keys loads (last wins) with a warning.
$R scan --format json --fail-on none $B/duplicate-key.yaml >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 0 ]; then ok "duplicate key: loads"; else fail "duplicate key: loads (exit $rc)"; fi
if grep -q '"message":"duplicate key' "$T/o.json"; then ok "duplicate key: warning"; else fail "duplicate key: warning"; fi
$R scan $B/duplicate-key.yaml --fail-on none 2>&1 | grep -q "duplicate-key.yaml:7:7: warning: duplicate key 'TableName'" && ok "duplicate key: text warning at 7:7" || fail "duplicate key: text warning at 7:7"

# Directory walk: non-templates skipped silently, broken template is an error.
mkdir -p "$T/dir/sub"
cp $D/good.yaml "$T/dir/sub/stack.yaml"
printf 'name: my-app\nversion: 1\n' > "$T/dir/config.yaml"
printf 'not: [valid\n' > "$T/dir/notes.yml"
$R scan --format json --fail-on none "$T/dir" >"$T/o.json" 2>&1; rc=$?
if [ $rc -eq 0 ]; then ok "dir: non-templates skipped"; else fail "dir: non-templates skipped (exit $rc)"; cat "$T/o.json"; fi
cp $B/malformed.yaml "$T/dir/broken.yaml"
$R scan --format json --fail-on none "$T/dir" >"$T/o.json" 2>/dev/null; rc=$?
if [ $rc -eq 2 ] && grep -q 'broken.yaml' "$T/o.json" && grep -q 'stack.yaml' "$T/o.json"; then ok "dir: broken template is an error, rest scanned"; else fail "dir: broken template (exit $rc)"; fi

# stdin
$R scan --format json --fail-on none - <$D/good.yaml >"$T/o.json"; rc=$?
if [ $rc -eq 0 ] && grep -q '"file":"-"' "$T/o.json"; then ok "stdin"; else fail "stdin (exit $rc)"; fi

# Formats parse as JSON and are deterministic.
for fmt in json sarif; do
	$R scan --format $fmt --fail-on none $D/good.yaml $B/duplicate-key.yaml >"$T/a.$fmt"
	$R scan --format $fmt --fail-on none --jobs 1 $D/good.yaml $B/duplicate-key.yaml >"$T/b.$fmt"
	if cmp -s "$T/a.$fmt" "$T/b.$fmt"; then ok "$fmt deterministic"; else fail "$fmt deterministic"; fi
	if node -e "JSON.parse(require('fs').readFileSync('$T/a.$fmt','utf8'))" 2>/dev/null; then ok "$fmt is valid JSON"; else fail "$fmt is valid JSON"; fi
done
grep -q '"version": "2.1.0"' "$T/a.sarif" && grep -q '"security-severity"' "$T/a.sarif" && grep -q '"partialFingerprints"' "$T/a.sarif" && ok "sarif essentials" || fail "sarif essentials"

# --output writes the file, --checks / --skip-checks filter.
$R scan --format json --fail-on none -o "$T/out.json" $D/good.yaml >/dev/null
[ -s "$T/out.json" ] && ok "--output" || fail "--output"
first=$(grep -o '"id":"RMP-[A-Z]*-[0-9]*"' "$T/good.json" | head -1 | cut -d'"' -f4)
$R scan --format json --fail-on none --checks "$first" $D/good.yaml >"$T/o.json"
others=$(grep -o '"id":"RMP-[A-Z]*-[0-9]*"' "$T/o.json" | grep -vc "\"$first\"")
if [ "$others" -eq 0 ] && grep -q "\"id\":\"$first\"" "$T/o.json"; then ok "--checks $first"; else fail "--checks $first"; fi
$R scan --format json --fail-on none --skip-checks "$first" $D/good.yaml >"$T/o.json"
if grep -q "\"id\":\"$first\"" "$T/o.json"; then fail "--skip-checks $first"; else ok "--skip-checks $first"; fi

# A suppression naming no check: a warning at the ID with the nearest name, in every format; the
# findings and the exit code are those of the template without it.
cat >"$T/typo.yaml" <<'EOF'
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Metadata:
      rampart:
        skip:
          - id: RMP-DDB-01
            reason: typo
    Properties:
      KeySchema: [{AttributeName: id, KeyType: HASH}]
EOF
NO_COLOR=1 $R scan --fail-on none "$T/typo.yaml" >"$T/typo.txt" 2>&1; rc=$?
want="$T/typo.yaml:7:17: warning: suppression RMP-DDB-01 names no rampart check or alias, so it suppresses nothing (nearest: RMP-DDB-001)"
if [ $rc -eq 0 ] && grep -qxF "$want" "$T/typo.txt" && grep -q "RMP-DDB-001" "$T/typo.txt"; then ok "unknown suppression warned"; else fail "unknown suppression warned"; cat "$T/typo.txt"; fi
$R scan --format json --fail-on none "$T/typo.yaml" >"$T/typo.json"
if grep -q '"line":7,"column":17,"message":"suppression RMP-DDB-01 names no rampart check' "$T/typo.json" && grep -q '"warnings":1' "$T/typo.json"; then ok "unknown suppression in json"; else fail "unknown suppression in json"; fi

# checks catalogue
expect_rc "checks text" 0 $R checks
$R checks --format json >"$T/c.json"
node -e "const c=JSON.parse(require('fs').readFileSync('$T/c.json','utf8')).checks; if(c.length<40) process.exit(1); for (const k of c) { if(!k.id||!k.title||!k.remediation||!k.snippet||!k.unknowns||!k.controls.gdpr.length) { console.error('incomplete', k.id); process.exit(1);} }" && ok "checks json complete" || fail "checks json complete"
exit 0
