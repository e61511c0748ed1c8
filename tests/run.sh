#!/bin/sh
# run.sh - run every cmocka test binary, then the golden and command-line
# tests (tests/cli/*.sh), and print one closing line: "N passed, N failed".
set -u
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export CMOCKA_MESSAGE_OUTPUT=stdout
passed=0; failed=0; failed_names=""
log=$(mktemp); trap 'rm -f "$log"' EXIT
for t in "$@"; do
	if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failed_names="$failed_names $t"
		echo "FAIL $t"; cat "$log"
	else
		echo "ok   $t ($p)"
	fi
done
# Shell-driven tests: each script prints "ok NAME" or "FAIL NAME" lines.
for s in tests/cli/*.sh; do
	[ -f "$s" ] || continue
	if sh "$s" >"$log" 2>&1; then rc=0; else rc=$?; fi
	p=$(grep -c '^ok ' "$log"); f=$(grep -c '^FAIL ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	passed=$((passed + p)); failed=$((failed + f))
	if [ "$f" -ne 0 ]; then failed_names="$failed_names $s"; echo "FAIL $s"; cat "$log";
	else echo "ok   $s ($p)"; fi
done
echo
[ -n "$failed_names" ] && echo "failed:$failed_names"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
