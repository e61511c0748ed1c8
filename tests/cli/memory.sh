#!/bin/sh
# memory.sh - the memory bound: templates whose values cost far more than
# their text (a 5 MB Fn::Join of a million strings, a 1.4 million item
# list, a large mapping entry copied by FindInMap) are scanned, with the
# expected diagnostics, in under 200 MB of peak RSS.  Measured on the
# release build (the sanitizer build's memory is not the program's) with
# GNU time; not a timing test.
set -u
cd "$(dirname "$0")/../.." || exit 2
REL=${RAMPART_REL:-./rampart}
LIMIT_KB=$((200 * 1024))
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
if [ -z "${RAMPART_REL:-}" ] && ! make -s rampart >"$T/make.log" 2>&1; then
	echo "FAIL memory: the release build does not build"; tail -20 "$T/make.log"; exit 1
fi
if [ ! -x /usr/bin/time ]; then
	echo "FAIL memory: /usr/bin/time missing (scripts/deps.sh installs it)"; exit 1
fi
# case KIND N EXIT EXPECTED-DIAGNOSTIC
case_() {
	bench/gen-hostile-template.sh "$1" "$T/$1.yaml" "$2"
	/usr/bin/time -f '%M' -o "$T/rss" "$REL" scan --fail-on none "$T/$1.yaml" >"$T/out" 2>&1; rc=$?
	kb=$(tail -1 "$T/rss")
	if [ "$rc" -eq "$3" ] && [ "$kb" -lt "$LIMIT_KB" ] && grep -q "$4" "$T/out"; then
		echo "ok memory $1 $2: $((kb / 1024)) MB peak"
	else
		echo "FAIL memory $1 $2: exit $rc (want $3), $((kb / 1024)) MB peak (limit $((LIMIT_KB / 1024)) MB)"
		head -5 "$T/out"
	fi
}
# over 1 MB: an input error, still scanned; the Join result (over 1 MB) stays unknown
case_ join 1000000 2 "join.yaml:1:1: error: template is 4882 KB"
# values past the bound are unknown, with one warning
case_ list 1400000 2 "list.yaml:6:[0-9]*: warning: the template's values take more than 48 MB"
case_ map 200000 0 "map.yaml:[0-9]*:[0-9]*: warning: the template's values take more than 48 MB"
