#!/bin/sh
# corpus.sh - robustness on real templates: every YAML/JSON file of
# ../shared/corpus/serverless-patterns/ and ../shared/corpus/kics-cfn/ (KICS
# expected-result and metadata files excluded) loads with rampart's loader,
# except the two serverless-patterns templates that are genuinely broken
# YAML, whose errors must carry file:line:col.  Then the same files go
# through `build/rampart-san scan --format json` (the whole path, under
# ASan+UBSan): it must finish, count every file, position every error, and
# for serverless-patterns report errors only for the files named below.
# Prints "ok NAME" / "FAIL NAME" lines (see tests/run.sh).
set -u
cd "$(dirname "$0")/../.."
SHARED=${RAMPART_SHARED:-../shared}
[ -d "$SHARED/corpus" ] || SHARED=/work/shared
SP="$SHARED/corpus/serverless-patterns"
KICS="$SHARED/corpus/kics-cfn"
# Broken YAML (libyaml and so PyYAML, the AWS CLI and SAM CLI reject them too).
BROKEN="$SP/apigw-custom-domain-edge/template.yaml
$SP/rds-sns-event-notification/template.yaml"
# Valid YAML that CloudFormation itself rejects: BucketSource's replication
# role Subs the bucket's name, the bucket GetAtts the role (circular dependency).
CYCLE="$SP/s3-s3-replication-sam/template.yaml"
# Also rejected by CloudFormation: five CDK patterns' skeleton template.yaml
# with an empty Resources section ("At least one Resources member must be
# defined"), and two SAM templates without the Serverless Transform (their
# AWS::Serverless::Function and Globals are unknown to CloudFormation).
MODEL_BROKEN="$CYCLE
$SP/_pattern-model/template.yaml
$SP/apigw-lambda-sagemaker-jumpstartendpoint-cdk-python/template.yaml
$SP/dynamodb-lambda-cdk-kotlin/template.yaml
$SP/kinesis-lambda-ddb-cdk-java/template.yaml
$SP/kinesis-lambda-py-cdk/template.yaml
$SP/apigw-lambda-request-validator/template.yaml
$SP/apigw-mutualtls-lambda/template.yaml"

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
OUT=$tmp
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

if [ ! -d "$SP" ] || [ ! -d "$KICS" ]; then
	echo "FAIL corpus: $SP or $KICS missing"; exit 1
fi
# One name per line (names with spaces are fine; none has a newline).
list() {
	find "$1" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) \
		! -name '*expected_result.json' ! -name metadata.json | LC_ALL=C sort
}
list "$SP" >"$tmp/sp.list"
list "$KICS" >"$tmp/kics.list"

# ---- 1. the loader alone: a small driver over load_file ----
cat >"$tmp/loadcheck.c" <<'CEOF'
/* loadcheck.c - load each file named on stdin; print OK or its errors. */
#include "core/arena.h"
#include "core/diag.h"
#include "load/load.h"
#include <stdio.h>
#include <string.h>
int main(void)
{
	char path[4096];
	while (fgets(path, sizeof path, stdin)) {
		path[strcspn(path, "\n")] = '\0';
		struct arena *a = arena_new();
		struct diags d = {0};
		struct node *root = load_file(path, a, &d);
		if (root && diag_count(&d, DIAG_ERROR) == 0)
			printf("OK %s\n", path);
		for (size_t i = 0; i < d.n; i++) {
			char buf[8192];
			diag_format(&d.v[i], buf, sizeof buf);
			if (d.v[i].level == DIAG_ERROR)
				printf("ERR %s\n", buf);
		}
		if (!root && diag_count(&d, DIAG_ERROR) == 0)
			printf("ERR %s: NULL without an error\n", path);
		diags_free(&d);
		arena_free(a);
	}
	return 0;
}
CEOF
objs=$(find src/core src/load -name '*.c' | LC_ALL=C sort | sed 's|^\(.*\)\.c$|build/san/\1.o|')
# shellcheck disable=SC2086
if ! make -s $objs >"$tmp/make.log" 2>&1 ||
	! gcc -std=c17 -D_GNU_SOURCE -Isrc -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o "$OUT/loadcheck" "$tmp/loadcheck.c" $objs $(pkg-config --libs yaml-0.1) >>"$tmp/make.log" 2>&1; then
	echo "FAIL corpus: loader driver does not build"; cat "$tmp/make.log"; exit 1
fi

for c in sp kics; do
	n=$(wc -l <"$tmp/$c.list")
	"$OUT/loadcheck" <"$tmp/$c.list" >"$tmp/$c.load" 2>"$tmp/$c.load.err"; rc=$?
	ok=$(grep -c '^OK ' "$tmp/$c.load")
	if [ "$rc" -ne 0 ] || [ -s "$tmp/$c.load.err" ]; then
		echo "FAIL corpus load $c: driver exited $rc"; head -40 "$tmp/$c.load.err"; continue
	fi
	want=$n; [ "$c" = sp ] && want=$((n - 2))
	if [ "$ok" -eq "$want" ]; then
		echo "ok corpus load $c: $ok of $n files load"
	else
		echo "FAIL corpus load $c: $ok of $n files load, want $want"; grep '^ERR ' "$tmp/$c.load" | head -20
	fi
done
[ "$(wc -l <"$tmp/sp.list")" -eq 498 ] && echo "ok corpus serverless-patterns has 498 templates" ||
	echo "FAIL corpus serverless-patterns has $(wc -l <"$tmp/sp.list") templates, want 498"
# The two broken ones, each with a positioned error.
echo "$BROKEN" | while IFS= read -r f; do
	if grep -q "^ERR $f:[1-9][0-9]*:[1-9][0-9]*: error: " "$tmp/sp.load"; then
		echo "ok corpus load error positioned: ${f#"$SP"/}"
	else
		echo "FAIL corpus load error positioned: ${f#"$SP"/}"; grep -F "$f" "$tmp/sp.load"
	fi
done

# ---- 2. the whole scan, under sanitizers ----
if ! make -s build/rampart-san >"$tmp/make.log" 2>&1; then
	echo "FAIL corpus scan: build/rampart-san does not build"; tail -20 "$tmp/make.log"; exit 1
fi
# scan every file of a list in as few runs as the argument limit allows;
# prints the exit codes, leaves the JSON reports concatenated in $2.
scan_list() {
	tr '\n' '\0' <"$1" | xargs -0 sh -c 'build/rampart-san scan --format json --fail-on none "$@"; echo "rc=$?" >&2' scan \
		>"$2" 2>"$2.err"
}
for c in sp kics; do
	scan_list "$tmp/$c.list" "$tmp/$c.json"
	n=$(wc -l <"$tmp/$c.list")
	rcs=$(grep '^rc=' "$tmp/$c.json.err" | sort -u | tr '\n' ' ')
	if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' -e 'LeakSanitizer' "$tmp/$c.json.err" ||
		grep '^rc=' "$tmp/$c.json.err" | grep -qv -e '^rc=0$' -e '^rc=2$'; then
		echo "FAIL corpus scan $c: crashed or bad exit ($rcs)"; grep -v '^rc=' "$tmp/$c.json.err" | head -40; continue
	fi
	if ! jq -s -e . "$tmp/$c.json" >/dev/null 2>&1; then
		echo "FAIL corpus scan $c: output is not JSON"; continue
	fi
	files=$(jq -s '[.[].summary.files] | add' "$tmp/$c.json")
	[ "$files" -eq "$n" ] && echo "ok corpus scan $c: $files files scanned ($rcs)" ||
		echo "FAIL corpus scan $c: $files files scanned, want $n"
	unpositioned=$(jq -s '[.[].errors[] | select(.line < 1 or .column < 1)] | length' "$tmp/$c.json")
	[ "$unpositioned" -eq 0 ] && echo "ok corpus scan $c: every error has file:line:col" ||
		echo "FAIL corpus scan $c: $unpositioned errors without line:col"
	jq -r -s '[.[].errors[].file] | unique | .[]' "$tmp/$c.json" >"$tmp/$c.errfiles"
	echo "corpus scan $c: $(wc -l <"$tmp/$c.errfiles") files with errors, $(jq -s '[.[].summary.warnings]|add' "$tmp/$c.json") warnings"
done
# serverless-patterns: errors for exactly the named files.
printf '%s\n%s\n' "$BROKEN" "$MODEL_BROKEN" | LC_ALL=C sort >"$tmp/sp.want"
if LC_ALL=C sort "$tmp/sp.errfiles" | cmp -s - "$tmp/sp.want"; then
	echo "ok corpus scan sp: errors only for the $(wc -l <"$tmp/sp.want") named templates"
else
	echo "FAIL corpus scan sp: files with errors differ from the named ones"
	LC_ALL=C sort "$tmp/sp.errfiles" | diff - "$tmp/sp.want" | head -20
fi
if jq -s -e --arg f "$CYCLE" '[.[].errors[] | select(.file == $f and (.message | test("circular")))] | length == 1' \
	"$tmp/sp.json" >/dev/null; then
	echo "ok corpus scan sp: s3-s3-replication-sam reports its circular dependency"
else
	echo "FAIL corpus scan sp: s3-s3-replication-sam circular dependency not reported once"
fi
# Each broken template alone: exit 2, an error at file:line:col on stderr and in the JSON.
echo "$BROKEN" | while IFS= read -r f; do
	build/rampart-san scan "$f" --format json >"$tmp/one.json" 2>"$tmp/one.err"; rc=$?
	if [ "$rc" -eq 2 ] && grep -q "^$f:[1-9][0-9]*:[1-9][0-9]*: error: " "$tmp/one.err" &&
		jq -e --arg f "$f" '[.errors[] | select(.file == $f and .line > 0 and .column > 0)] | length >= 1' "$tmp/one.json" >/dev/null; then
		echo "ok corpus scan broken alone: ${f#"$SP"/} exits 2 with file:line:col"
	else
		echo "FAIL corpus scan broken alone: ${f#"$SP"/} (exit $rc)"; head -5 "$tmp/one.err"
	fi
done

# ---- 3. names with spaces ----
d="$tmp/dir with space"
mkdir -p "$d"
good=$(sed -n 1p "$tmp/sp.list")
cp "$good" "$d/good template.yaml"
cp "$(echo "$BROKEN" | sed -n 1p)" "$d/broken template.yaml"
build/rampart-san scan "$d/good template.yaml" "$d/broken template.yaml" --format json --fail-on none \
	>"$tmp/sp2.json" 2>/dev/null; rc=$?
if [ "$rc" -eq 2 ] && jq -e --arg f "$d/broken template.yaml" \
	'.summary.files == 2 and ([.errors[].file] | unique) == [$f]' "$tmp/sp2.json" >/dev/null; then
	echo "ok corpus scan names with spaces"
else
	echo "FAIL corpus scan names with spaces (exit $rc)"; head -c 600 "$tmp/sp2.json"
fi
build/rampart-san scan "$d" --format json --fail-on none >"$tmp/sp3.json" 2>/dev/null; rc=$?
if [ "$rc" -eq 2 ] && jq -e '.summary.files == 2 and (.errors | length) >= 1' "$tmp/sp3.json" >/dev/null; then
	echo "ok corpus scan directory with spaces"
else
	echo "FAIL corpus scan directory with spaces (exit $rc)"
fi
