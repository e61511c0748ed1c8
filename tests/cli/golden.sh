#!/bin/sh
# golden.sh - golden-output tests: scan each case under tests/golden/ and
# compare what rampart prints, byte for byte, with what the case expects.
#
# A case is a directory tests/golden/NAME/ holding:
#   args           the scan arguments, relative to the repository root
#                  (default: tests/golden/NAME/input); words split on blanks
#   exit_code      the exit code the scan must return (required)
#   expected.txt   stdout of `scan ARGS --format text` with NO_COLOR set
#   expected.json  stdout of `scan ARGS --format json`
#   expected.sarif stdout of `scan ARGS --format sarif`
#   expected.stderr  stderr of the text run (diagnostics), when present
# Every expected.* present is checked; a missing one is not run.
#
# Prints "ok NAME/FORMAT" or "FAIL NAME/FORMAT" (with the diff) per run and
# exits 1 if any failed.  Runs from the repository root so that every path
# in the output is relative.  RAMPART overrides the binary (default
# build/rampart-san, the sanitizer build).  Regenerate expected files after
# a deliberate change with scripts/update-golden.sh, then review the diff.
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=${RAMPART:-build/rampart-san}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export NO_COLOR=1
unset CLICOLOR_FORCE FORCE_COLOR 2>/dev/null || true

if [ ! -x "$bin" ]; then
	echo "FAIL golden: $bin is not built (make build/rampart-san)"
	exit 1
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
failed=0
ncases=0

# check NAME LABEL EXPECTED ACTUAL: diff one output against its golden file.
check() {
	if cmp -s "$3" "$4"; then
		return 0
	fi
	echo "FAIL $1/$2: output differs from $3 (--- expected, +++ actual)"
	diff -u "$3" "$4" | head -n 80
	return 1
}

for dir in tests/golden/*/; do
	dir=${dir%/}
	name=${dir##*/}
	[ -f "$dir/exit_code" ] || continue
	ncases=$((ncases + 1))
	want_rc=$(tr -d ' \t\r\n' <"$dir/exit_code")
	if [ -f "$dir/args" ]; then
		args=$(cat "$dir/args")
	else
		args="$dir/input"
	fi
	for fmt in txt json sarif; do
		exp="$dir/expected.$fmt"
		[ -f "$exp" ] || continue
		case $fmt in txt) f=text ;; *) f=$fmt ;; esac
		# shellcheck disable=SC2086 # args is a list of words by design
		"$bin" scan $args --format "$f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		bad=0
		if [ "$rc" != "$want_rc" ]; then
			echo "FAIL $name/$f: exit code $rc, expected $want_rc"
			sed 's/^/  stderr: /' "$tmp/err" | head -n 20
			bad=1
		fi
		check "$name" "$f" "$exp" "$tmp/out" || bad=1
		if [ "$f" = text ] && [ -f "$dir/expected.stderr" ]; then
			check "$name" "$f-stderr" "$dir/expected.stderr" "$tmp/err" || bad=1
		fi
		# Sanitizer reports go to stderr: never acceptable, even if the
		# output matched.
		if grep -q 'Sanitizer\|runtime error:' "$tmp/err"; then
			echo "FAIL $name/$f: sanitizer report"
			head -n 40 "$tmp/err"
			bad=1
		fi
		if [ "$bad" -eq 0 ]; then
			echo "ok $name/$f"
		else
			failed=$((failed + 1))
		fi
	done
done

if [ "$ncases" -eq 0 ]; then
	echo "FAIL golden: no cases found under tests/golden/"
	exit 1
fi
[ "$failed" -eq 0 ]
