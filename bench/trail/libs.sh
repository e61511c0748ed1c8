#!/bin/sh
# libs.sh - the library choice for `rampart trail` (issue 4), measured:
# gzip (libdeflate vs zlib vs ISA-L) and JSON (rampart's purpose-built
# reader vs json-c, jansson, simdjson), one core each, same files.
#
#   bench/trail/libs.sh                 data: build/bench-trail/data-200 (made if absent)
#   bench/trail/libs.sh DIR             any directory of .json.gz delivery files
#   GZ_REPS=5 PARSE_REPS=3 SIMDJSON_ARCH=-march=native bench/trail/libs.sh DIR
#
# Installs the bench-only packages that are missing (libisal-dev,
# libjson-c-dev, libjansson-dev, libsimdjson-dev, g++; never needed by
# rampart itself); a library that cannot be installed is left out of the
# tables with a message.  Builds build/bench/gz_bench and
# build/bench/parse_bench (linked with rampart's release objects,
# build/rel/src/**/*.o without main.o), then runs both.  parse_bench fails
# (and so does this script) unless every parser delivers the same events and
# the same field values.  See bench/trail/README.md for the figures.
# Flags from pkg-config and the lists below are split into words on purpose.
# shellcheck disable=SC2046,SC2086
set -eu
cd "$(dirname "$0")/../.."
. bench/trail/data.sh

if [ $# -ge 1 ]; then
	DATA=$1
else
	bench_trail_data 200
	DATA=$BT_DATA
fi
[ -d "$DATA" ] || { echo "libs.sh: no such directory: $DATA" >&2; exit 2; }
OUT=build/bench
mkdir -p "$OUT"

# ---- bench-only packages ---------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
if command -v dpkg-query >/dev/null 2>&1; then
	missing=
	for p in libisal-dev libjson-c-dev libjansson-dev libsimdjson-dev g++; do
		installed "$p" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		if [ "$(id -u)" = 0 ]; then
			as_root=
		elif command -v sudo >/dev/null 2>&1; then
			as_root="sudo -n"
		else
			as_root=false
		fi
		echo "libs.sh: installing$missing"
		for p in $missing; do
			DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q "$p" \
				>"$OUT/apt-$p.log" 2>&1 ||
				echo "libs.sh: cannot install $p (see $OUT/apt-$p.log); its library is skipped"
		done
	fi
fi

has_pc() { pkg-config --exists "$1" 2>/dev/null; }
CC=${CC:-gcc}
CFLAGS="-std=c17 -O2 -Wall -Wextra -Werror -Wshadow -Wvla"

# ---- gz_bench -----------------------------------------------------------------
gz_def=''
gz_libs=$(pkg-config --libs libdeflate zlib)
if has_pc libisal; then
	gz_def=-DHAVE_ISAL
	gz_libs="$gz_libs $(pkg-config --libs libisal)"
else
	echo "libs.sh: libisal-dev not found: gz_bench without ISA-L"
fi
$CC $CFLAGS $gz_def $(pkg-config --cflags libdeflate zlib) -o "$OUT/gz_bench" \
	bench/trail/gz_bench.c $gz_libs

# ---- parse_bench ------------------------------------------------------------
# rampart's release objects (the Makefile's REL_OBJ), built by `make rampart`
make -s rampart || { echo "libs.sh: make rampart failed (src/ being edited?)" >&2; exit 1; }
rel_obj=$(find src -name '*.c' ! -path src/main.c | LC_ALL=C sort |
	sed 's|^|build/rel/|; s|\.c$|.o|')
pb_def=''
pb_obj=$OUT/parse_bench.o
pb_libs=''
link=$CC
if has_pc json-c; then
	pb_def="$pb_def -DHAVE_JSONC"
	pb_libs="$pb_libs $(pkg-config --libs json-c)"
else
	echo "libs.sh: libjson-c-dev not found: parse_bench without json-c"
fi
if has_pc jansson; then
	# jansson.h and json-c's headers clash: a second compilation of the
	# same file yields the jansson side (see parse_bench.c)
	pb_def="$pb_def -DHAVE_JANSSON"
	pb_libs="$pb_libs $(pkg-config --libs jansson)"
		$CC $CFLAGS -Isrc -DPB_JANSSON_UNIT $(pkg-config --cflags jansson) \
		-c -o "$OUT/parse_bench_jansson.o" bench/trail/parse_bench.c
	pb_obj="$pb_obj $OUT/parse_bench_jansson.o"
else
	echo "libs.sh: libjansson-dev not found: parse_bench without jansson"
fi
if has_pc simdjson && command -v g++ >/dev/null 2>&1; then
		if g++ -std=c++17 -O2 ${SIMDJSON_ARCH:-} -Wall -Wextra -Werror \
		$(pkg-config --cflags simdjson) -c -o "$OUT/parse_bench_simdjson.o" \
		bench/trail/parse_bench_simdjson.cpp; then
		pb_def="$pb_def -DHAVE_SIMDJSON"
		pb_libs="$pb_libs $(pkg-config --libs simdjson)"
		pb_obj="$pb_obj $OUT/parse_bench_simdjson.o"
		link=g++
	else
		echo "libs.sh: simdjson side does not compile here: parse_bench without simdjson"
	fi
else
	echo "libs.sh: libsimdjson-dev or g++ not found: parse_bench without simdjson"
fi
$CC $CFLAGS -Isrc $pb_def $(pkg-config --cflags json-c 2>/dev/null || true) \
	-c -o "$OUT/parse_bench.o" bench/trail/parse_bench.c
$link -O2 -o "$OUT/parse_bench" $pb_obj $rel_obj $pb_libs \
	$(pkg-config --libs yaml-0.1 libpcre2-8 zlib libdeflate) -lpthread -lm

# ---- run --------------------------------------------------------------------
# the files are read into memory by both programs; warm the page cache anyway
find "$DATA" -name '*.gz' -exec cat {} + >/dev/null
echo "bench/trail/libs.sh: $DATA, one core per measurement, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "gzip: MB/s of uncompressed JSON out"
"$OUT/gz_bench" -r "${GZ_REPS:-5}" "$DATA"
echo
echo "JSON: decompressed into memory first; MB/s of JSON in"
"$OUT/parse_bench" -r "${PARSE_REPS:-3}" "$DATA"
