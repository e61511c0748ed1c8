#!/bin/sh
# sarif.sh - every SARIF log rampart writes is valid under Microsoft's SARIF
# validator (@microsoft/sarif-multitool, MIT, run as a separate process from
# tests/report/sarif-validator, never linked or copied): the golden SARIF
# outputs, `trail detect` SARIF (an input under the working directory, one
# outside it, skipped records and a Sigma rule not run), and scans of
# absolute paths inside and outside the working directory.  Zero errors are
# required; warnings are counted and printed.
#
# It also checks what GitHub code scanning needs beyond the validator:
# files under the working directory as relative URIs with %SRCROOT%, others
# as percent-encoded file:// URIs, every rule named, the name not its ID.
set -u
cd "$(dirname "$0")/../.." || exit 2
R=${RAMPART:-build/rampart-san}
V=tests/report/sarif-validator
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT INT TERM
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }

if ! command -v node >/dev/null 2>&1; then fail "sarif validator: node is not installed"; exit 0; fi
if [ ! -d $V/node_modules/@microsoft/sarif-multitool ]; then
	(cd $V && npm ci --no-audit --no-fund --silent >/dev/null 2>&1) || { fail "sarif validator: npm ci failed"; exit 0; }
fi
SM=$(cd $V && node -p 'require("@microsoft/sarif-multitool")' 2>/dev/null)
if [ ! -x "$SM" ]; then fail "sarif validator: no SARIF Multitool binary for this platform"; exit 0; fi
# A .NET program: it needs no ICU culture data (so no libicu package).
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

mkdir -p "$T/in" "$T/a dir" "$T/logs dir" "$T/rules" || exit 2

# run NAME ARGS...: rampart's SARIF on stdout into $T/in/NAME.sarif
run() {
	name=$1
	shift
	"$R" "$@" --format sarif >"$T/in/$name.sarif" 2>"$T/$name.err"
	rc=$?
	if [ $rc -gt 2 ] || grep -q 'Sanitizer\|runtime error:' "$T/$name.err"; then
		fail "sarif $name: rampart exited $rc"
		head -n 20 "$T/$name.err"
	fi
}

for g in tests/golden/*/expected.sarif; do
	name=${g%/expected.sarif}
	cp "$g" "$T/in/golden-${name##*/}.sarif"
done
run scan-absolute scan "$PWD/examples/clinic/insecure" --fail-on none
cp examples/clinic/insecure/template.yaml "$T/a dir/t$(printf '\303\253')st#1.yaml"
run scan-outside scan "$T/a dir" --fail-on none
run scan-errors scan "$PWD/tests/golden/bad-inputs/input" --fail-on none
run trail-relative trail detect tests/trail/data/authz-log.jsonl --fail-on none
logs=$(ls ../shared/corpus/cloudtrail/invictus/*.json 2>/dev/null | head -n 3)
if [ -n "$logs" ]; then
	# shellcheck disable=SC2086 # a list of file names without blanks
	cp $logs "$T/logs dir/"
else
	cp tests/trail/data/authz-log.jsonl "$T/logs dir/"
fi
run trail-outside trail detect "$T/logs dir" --fail-on none
{ cat tests/trail/data/authz-log.jsonl; echo 7; } >"$T/bad.jsonl"
cp data/sigma/cloudtrail/aws_sts_assumerole_misuse.yml "$T/rules/"
cat >"$T/rules/windowed.yml" <<'EOF'
title: Windowed rule
id: 00000000-0000-4000-8000-000000000001
logsource:
  product: aws
  service: cloudtrail
detection:
  selection:
    eventName: GetItem
  timeframe: 5m
  condition: selection
level: high
EOF
run trail-problems trail detect "$T/bad.jsonl" --no-default-rules --rules "$T/rules" --fail-on none

# A negative control: the validator must find the error rampart once made.
cat >"$T/in/control-slash.sarif" <<'EOF'
{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"x","informationUri":"https://example.com/x","rules":[{"id":"X1"}]}},
"results":[{"ruleId":"X1","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"/abs/t.yaml","uriBaseId":"%SRCROOT%"},"region":{"startLine":1}}}]}]}]}
EOF

# What GitHub code scanning needs.
f="$T/in/scan-absolute.sarif"
if grep -q '"uri":"examples/clinic/insecure/template.yaml","uriBaseId":"%SRCROOT%"' "$f" && ! grep -q "$PWD" "$f"; then
	ok "sarif: an absolute path under the working directory is a relative URI"
else
	fail "sarif: an absolute path under the working directory is a relative URI"
fi
want="\"uri\":\"file://$T/a%20dir/t%C3%ABst%231.yaml\"}"
if grep -qF "$want" "$T/in/scan-outside.sarif"; then ok "sarif: a path outside it is a percent-encoded file:// URI"; else
	fail "sarif: a path outside it is a percent-encoded file:// URI (no $want)"; fi
if grep -q '"uri":"tests/golden/bad-inputs/input/malformed.yaml","uriBaseId":"%SRCROOT%"' "$T/in/scan-errors.sarif" &&
	grep -q '"executionSuccessful": false' "$T/in/scan-errors.sarif"; then
	ok "sarif: input errors are notifications with relative URIs"
else
	fail "sarif: input errors are notifications with relative URIs"
fi
if grep -q '"level":"error","message":{"text":"text outside any JSON value skipped (byte [0-9]*); the rest' "$T/in/trail-problems.sarif" &&
	grep -q '"level":"warning","message":{"text":"Sigma rule .Windowed rule. not run' "$T/in/trail-problems.sarif" &&
	grep -q '"executionSuccessful": false' "$T/in/trail-problems.sarif"; then
	ok "sarif: trail's skipped records and rules not run are notifications"
else
	fail "sarif: trail's skipped records and rules not run are notifications"
fi
node -e '
const fs = require("fs"), path = require("path");
let bad = 0;
const say = m => { if (bad++ < 5) console.log("  " + m); };
for (const f of process.argv.slice(1)) {
	if (path.basename(f).startsWith("control-")) continue;
	const log = JSON.parse(fs.readFileSync(f, "utf8"));
	for (const run of log.runs) {
		const d = run.tool.driver;
		if (!d.informationUri || !d.version || !d.semanticVersion) say(f + ": driver without informationUri/version/semanticVersion");
		for (const r of d.rules || [])
			if (!r.name || r.name === r.id || !/^([A-Z][a-z0-9]+)+$/.test(r.name)) say(f + ": rule " + r.id + " named " + r.name);
		for (const r of run.results || [])
			if (!r.partialFingerprints || !r.partialFingerprints["rampart/v2"]) say(f + ": a result of " + r.ruleId + " without a rampart/v2 fingerprint");
	}
}
if (bad > 5) console.log("  ... " + (bad - 5) + " more");
process.exit(bad ? 1 : 0);' "$T"/in/*.sarif && ok "sarif: every rule has a PascalCase name that is not its ID, every result a fingerprint" ||
	fail "sarif: every rule has a PascalCase name that is not its ID, every result a fingerprint"

# The validator, once over every log (it takes seconds to start).
"$SM" validate "$T"/in/*.sarif --level "Error;Warning" --log ForceOverwrite -o "$T/validation.sarif" -q >"$T/validator.out" 2>&1
if [ ! -s "$T/validation.sarif" ]; then
	fail "sarif validator: did not run"
	head -n 20 "$T/validator.out"
	exit 0
fi
node -e '
const fs = require("fs"), path = require("path");
const log = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const run = log.runs[0], rules = run.tool.driver.rules || [];
const text = r => {
	const rule = rules.find(x => x.id === r.ruleId);
	let s = r.message.text || (rule && rule.messageStrings && rule.messageStrings[r.message.id] || {}).text || r.message.id;
	(r.message.arguments || []).forEach((a, i) => { s = s.split("{" + i + "}").join(a); });
	return r.ruleId + ": " + s;
};
const per = {};
for (const f of process.argv.slice(2)) per[path.basename(f, ".sarif")] = {errors: [], warnings: []};
for (const r of run.results || []) {
	const loc = r.locations && r.locations[0] && r.locations[0].physicalLocation;
	const uri = loc ? decodeURIComponent(loc.artifactLocation.uri) : "";
	const name = path.basename(uri, ".sarif");
	if (!per[name]) per[name] = {errors: [], warnings: []};
	(r.level === "error" ? per[name].errors : per[name].warnings).push(text(r));
}
for (const [name, p] of Object.entries(per)) {
	if (name.startsWith("control-")) {
		if (p.errors.length) console.log("ok sarif validator finds the error in " + name + " (" + p.errors.length + ")");
		else console.log("FAIL sarif validator finds no error in " + name + ": it did not check");
		continue;
	}
	if (!p.errors.length)
		console.log("ok sarif valid: " + name + " (0 errors, " + p.warnings.length + " warnings)");
	else
		console.log("FAIL sarif valid: " + name + " (" + p.errors.length + " errors, " + p.warnings.length + " warnings)");
	for (const m of p.errors.slice(0, 5).concat(p.warnings.slice(0, 3))) console.log("  " + m.slice(0, 300));
}' "$T/validation.sarif" "$T"/in/*.sarif
exit 0
