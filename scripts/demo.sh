#!/bin/sh
# demo.sh - what `make demo` runs once ./rampart is built: scan the bundled
# example stack (examples/clinic), the insecure version then the hardened
# one, and print both reports under a one-line header each.
#
# Exit status: 0 when the demo shows what it should - the insecure stack
# has findings (that is its point, so they do not fail the demo) and the
# hardened stack has nothing above low.  1, with the reason, when the
# hardened stack has a finding of medium or above, when the insecure stack
# has no high finding at all (the checks are not running), or when a scan
# fails outright.  RAMPART overrides the binary (default ./rampart).
set -u
cd "$(dirname "$0")/.." || exit 2
bin=${RAMPART:-./rampart}
if [ ! -x "$bin" ]; then
	echo "demo: $bin is not built; run 'make rampart' (or 'make demo')" >&2
	exit 2
fi

echo "== Smile Dental, insecure (examples/clinic/insecure): the classic mistakes, findings expected =="
"$bin" scan examples/clinic/insecure
rc=$?
case $rc in
1) ;;
0)
	echo "demo: FAIL - the insecure stack produced no finding at or above high; the checks are not running" >&2
	exit 1 ;;
*)
	echo "demo: FAIL - scanning examples/clinic/insecure failed (exit $rc)" >&2
	exit 1 ;;
esac

echo
echo "== Smile Dental, hardened (examples/clinic/hardened): nothing above low expected =="
report=$(mktemp) || exit 2
trap 'rm -f "$report"' EXIT INT TERM
"$bin" scan examples/clinic/hardened --fail-on medium >"$report"
rc=$?
cat "$report"
case $rc in
0)
	echo
	echo "demo: ok - the insecure stack fails as it should; the hardened stack has nothing above low"
	exit 0 ;;
1)
	echo "demo: FAIL - the hardened stack has findings of medium severity or above:" >&2
	# Each finding of the text report is a "FILE:LINE: SEVERITY ID title"
	# line followed by its resource and its message.
	NO_COLOR=1 "$bin" scan examples/clinic/hardened --color never 2>/dev/null |
		awk '/^  [^ ].*: (CRITICAL|HIGH|MEDIUM) / { n = 3 } n > 0 { print "demo:   " $0; n-- }' >&2
	echo "demo: either examples/clinic/hardened/template.yaml lost a protection or a check misfires;" >&2
	echo "demo: see examples/clinic/hardened/README.md for what each resource is meant to do." >&2
	exit 1 ;;
*)
	echo "demo: FAIL - scanning examples/clinic/hardened failed (exit $rc)" >&2
	exit 1 ;;
esac
