#!/bin/sh
# update-golden.sh - regenerate the expected outputs of the golden tests
# (tests/golden/*/) after a deliberate change to rampart's output.
#
#   scripts/update-golden.sh            every case
#   scripts/update-golden.sh NAME...    only these cases
#
# For each case it rewrites every expected.* file already present (a new
# case with none gets expected.txt and expected.json), expected.stderr when
# present, and exit_code.  It runs from the repository root with NO_COLOR
# so paths are relative and there are no escape codes, exactly as
# tests/cli/golden.sh runs.  It refuses to record a crash (an exit code
# other than 0, 1 or 2) or a sanitizer report.
#
# A golden file is only as good as its review: read `git diff tests/golden`
# before committing, and never freeze a finding you believe is wrong.
set -u
cd "$(dirname "$0")/.." || exit 2
bin=${RAMPART:-build/rampart-san}
if [ -z "${RAMPART:-}" ]; then
	make --no-print-directory -s build/rampart-san || exit 2
fi
export NO_COLOR=1
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

if [ $# -eq 0 ]; then
	set -- $(cd tests/golden && for d in */; do [ -f "$d/exit_code" ] || [ -d "$d/input" ] || [ -f "$d/args" ] && echo "${d%/}"; done)
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
# Work on a private copy, so a rebuild in the middle cannot mix two versions.
cp "$bin" "$tmp/rampart" || exit 2
status=0
for name in "$@"; do
	dir=tests/golden/$name
	if [ ! -d "$dir" ]; then
		echo "update-golden: no case $dir" >&2
		status=2
		continue
	fi
	if [ -f "$dir/args" ]; then args=$(cat "$dir/args"); else args="$dir/input"; fi
	fmts=""
	for fmt in txt json sarif; do [ -f "$dir/expected.$fmt" ] && fmts="$fmts $fmt"; done
	[ -n "$fmts" ] || fmts="txt json"
	# Produce every output first; write the case only if all of them are good.
	rm -rf "$tmp/new" && mkdir "$tmp/new" || exit 2
	rc_seen=""
	ok=1
	for fmt in $fmts; do
		case $fmt in txt) f=text ;; *) f=$fmt ;; esac
		# shellcheck disable=SC2086
		"$tmp/rampart" scan $args --format "$f" >"$tmp/new/expected.$fmt" 2>"$tmp/err"
		rc=$?
		case $rc in 0|1|2) ;; *)
			echo "update-golden: $name/$f exited $rc (crash?)" >&2
			head -n 20 "$tmp/err" >&2
			ok=0
			continue ;;
		esac
		if grep -q 'Sanitizer\|runtime error:' "$tmp/err"; then
			echo "update-golden: $name/$f: sanitizer report" >&2
			head -n 20 "$tmp/err" >&2
			ok=0
			continue
		fi
		if [ -n "$rc_seen" ] && [ "$rc_seen" != "$rc" ]; then
			echo "update-golden: $name: exit code differs between formats ($rc_seen, $rc)" >&2
			ok=0
		fi
		rc_seen=$rc
		if [ "$f" = text ] && { [ -f "$dir/expected.stderr" ] || [ -s "$tmp/err" ]; }; then
			cp "$tmp/err" "$tmp/new/expected.stderr"
		fi
	done
	if [ "$ok" -ne 1 ]; then
		echo "update-golden: $name not updated" >&2
		status=1
		continue
	fi
	cp "$tmp"/new/expected.* "$dir/" || exit 2
	echo "$rc_seen" >"$dir/exit_code"
	echo "updated $name (exit $rc_seen)"
done
# Golden files must not depend on where the tree is or when it ran.
if grep -rl -e "$(pwd)" tests/golden/*/expected.* 2>/dev/null; then
	echo "update-golden: the files above contain an absolute path" >&2
	status=1
fi
exit $status
