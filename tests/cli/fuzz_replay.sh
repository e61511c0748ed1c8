#!/bin/sh
# fuzz_replay.sh - replay every fuzz target's corpus (fuzz/corpus/<target>/:
# seeds, nasty inputs and what fuzz runs kept) and the crashes the fuzzer
# found (fuzz/crashes/<target>/) under gcc ASan+UBSan, without libFuzzer:
# fuzz/replay.c feeds each file to LLVMFuzzerTestOneInput.  A crash input
# fails here until its defect is fixed, and guards the fix after.
# Prints "ok NAME" / "FAIL NAME" lines (see tests/run.sh).
set -u
cd "$(dirname "$0")/../.."
# A directory of its own per run: two test runs at once must not share binaries.
mkdir -p build
OUT=$(mktemp -d build/fuzz-replay.XXXXXX) || { echo "FAIL fuzz_replay: mktemp"; exit 1; }
trap 'rm -rf "$OUT"' EXIT
SAN="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all"
CFLAGS="-std=c17 -D_GNU_SOURCE -Isrc -Wall -Wextra -Werror -Wno-unused-parameter $SAN"
PKGS="yaml-0.1 libpcre2-8 zlib libdeflate"
LIBS="$(pkg-config --libs $PKGS) -lpthread -lm"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:abort_on_error=0"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# The library objects of the sanitizer build (what `make test` just built),
# archived so each target links only what it uses.
objs=$(find src -name '*.c' ! -path src/main.c | LC_ALL=C sort | sed 's|^\(.*\)\.c$|build/san/\1.o|')
# A module that does not build fails its own tests; the targets need only
# the modules they call, so archive what built and let the link decide.
# shellcheck disable=SC2086
make -s -k $objs >"$OUT/make.log" 2>&1
have=""
for o in $objs; do [ -f "$o" ] && have="$have $o"; done
rm -f "$OUT/librampart.a"
# shellcheck disable=SC2086
ar qcs "$OUT/librampart.a" $have

log="$OUT/replay.log"
for src in fuzz/fuzz_*.c; do
	name=$(basename "$src" .c); t=${name#fuzz_}
	# shellcheck disable=SC2086
	if ! gcc $CFLAGS $(pkg-config --cflags $PKGS) -o "$OUT/$name" fuzz/replay.c "$src" \
		"$OUT/librampart.a" $LIBS >"$log" 2>&1; then
		echo "FAIL fuzz_replay build $name"; cat "$log"; continue
	fi
	echo "ok fuzz_replay build $name"
	if [ ! -d "fuzz/corpus/$t" ]; then
		echo "FAIL fuzz_replay $t: no seed corpus fuzz/corpus/$t"; continue
	fi
	# The corpus, then the crashes the fuzzer kept (each a regression test).
	for dir in "fuzz/corpus/$t" "fuzz/crashes/$t"; do
		[ -d "$dir" ] || continue
		n=$(find "$dir" -type f | wc -l)
		if timeout 600 "$OUT/$name" "$dir" >"$log" 2>&1 && grep -q "^replayed $n inputs\$" "$log"; then
			echo "ok fuzz_replay $dir ($n inputs)"
		else
			echo "FAIL fuzz_replay $dir"; tail -40 "$log"
		fi
	done
done
