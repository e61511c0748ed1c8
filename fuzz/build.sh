#!/bin/sh
# build.sh - build the libFuzzer targets with clang into build/fuzz/.
#
#   fuzz/build.sh              build build/fuzz/fuzz_<target> for every fuzz/fuzz_<target>.c
#   fuzz/build.sh --run SECS [TARGET]   build, then run each target (or just TARGET)
#                              SECS seconds on a copy of
#                              its seed corpus (fuzz/corpus/<target>/); crashes are
#                              left in build/fuzz/artifacts/<target>/
#
# The library sources are compiled with -fsanitize=fuzzer-no-link,address,undefined
# and archived, so a target links only the objects it needs.  scripts/deps.sh --fuzz
# installs clang.
set -eu
cd "$(dirname "$0")/.."
CC=${FUZZ_CC:-clang}
OUT=build/fuzz
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="-std=c17 -D_GNU_SOURCE -Isrc -Wall -Wextra -Werror -Wno-unused-parameter -g -O1 -fno-omit-frame-pointer $SAN"
PKG_CFLAGS=$(pkg-config --cflags yaml-0.1 libpcre2-8 zlib libdeflate)
LIBS="$(pkg-config --libs yaml-0.1 libpcre2-8 zlib libdeflate) -lpthread -lm"
mkdir -p "$OUT/obj"

# A source that does not compile is reported; the targets that do not need
# it still link (the archive only contributes the members a target uses).
status=0
objs=""
for src in $(find src -name '*.c' ! -path src/main.c | LC_ALL=C sort); do
	obj="$OUT/obj/$(echo "$src" | tr / _).o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find src -name '*.h' -newer "$obj" | head -1)" ]; then
		# shellcheck disable=SC2086
		if ! $CC $CFLAGS $PKG_CFLAGS -fsanitize=fuzzer-no-link -c -o "$obj" "$src"; then
			rm -f "$obj"; status=1; continue
		fi
	fi
	objs="$objs $obj"
done
rm -f "$OUT/librampart.a"
# shellcheck disable=SC2086
ar qcs "$OUT/librampart.a" $objs

targets=""
for t in fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS $PKG_CFLAGS -fsanitize=fuzzer -o "$OUT/$name" "$t" "$OUT/librampart.a" $LIBS; then
		echo "FAILED to build $OUT/$name"; status=1; continue
	fi
	targets="$targets ${name#fuzz_}"
	echo "built $OUT/$name"
done

[ "${1:-}" = "--run" ] || exit $status
secs=${2:-60}
only=${3:-}
for t in $targets; do
	[ -n "$only" ] && [ "$only" != "$t" ] && continue
	work="$OUT/corpus/$t"; art="$OUT/artifacts/$t"
	mkdir -p "$work" "$art"
	[ -d "fuzz/corpus/$t" ] && cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
	echo "fuzzing $t for ${secs}s"
	if ! "$OUT/fuzz_$t" -max_total_time="$secs" -max_len="${FUZZ_MAX_LEN:-65536}" -timeout=10 -rss_limit_mb=2048 \
		-dict=fuzz/yaml.dict -artifact_prefix="$art/" -print_final_stats=1 "$work" \
		>"$OUT/fuzz_$t.log" 2>&1; then
		echo "CRASH in $t: see $OUT/fuzz_$t.log and $art/"
		status=1
	fi
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$OUT/fuzz_$t.log" | sed "s/^/  $t /"
done
exit $status
