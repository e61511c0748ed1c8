#!/bin/sh
# build.sh - build the libFuzzer targets with clang into build/fuzz/, and run
# them so that each run starts where the last one ended.
#
#   fuzz/build.sh                       build build/fuzz/fuzz_<t> for every fuzz/fuzz_<t>.c
#   fuzz/build.sh --run [SECS [T...]]   build, then fuzz every target (or the Ts named)
#                                       SECS seconds each (default 60); `make fuzz-run`,
#                                       FUZZ_SECONDS=600 make fuzz-run for the long runs
#
# Sanitizers: ASan, UBSan with float-cast-overflow, and clang's integer checks
# (see INT below; fuzz/integer.ignore lists the code that wraps on purpose).
# The library sources are compiled once with -fsanitize=fuzzer-no-link and
# archived, so a target links only what it uses.
#
# A run of target T:
#   - reads fuzz/corpus/T/ (named seeds: templates, nasty inputs, past
#     crashers; and the inputs earlier runs kept, named by their SHA-1) and
#     fuzz/crashes/T/, with the dictionary build/fuzz/dict/T.dict put
#     together from fuzz/dict/ (see dicts below);
#   - writes what it finds to build/fuzz/new/T/, then merges (-merge=1) the
#     old and new inputs into the smallest set with the same coverage: the
#     named seeds stay, the SHA-1-named inputs are replaced by the merge's,
#     none over 64 KB, at most FUZZ_CORPUS_KB (default 512) KB of them (the
#     largest go first, with a warning);
#   - on a crash, leak, timeout or out-of-memory (in the run, or an old input
#     that now crashes the merge), copies the reproducer to fuzz/crashes/T/
#     (tests/cli/fuzz_replay.sh replays it in `make test` under gcc's
#     ASan+UBSan), prints its path and makes the run exit 1.
# Each target prints executions, exec/s, coverage (cov/ft), corpus size and
# time; a table of all of them closes the run.  Logs: build/fuzz/log/.
#
# Environment: FUZZ_CC (clang), FUZZ_JOBS (targets run at once, 1 or 2;
# default 1), FUZZ_MAX_LEN (largest input; default per target below),
# FUZZ_CORPUS_KB.  scripts/deps.sh --fuzz installs clang.
set -eu
cd "$(dirname "$0")/.."
CC=${FUZZ_CC:-clang}
OUT=build/fuzz
# Integer checks: all of clang's -fsanitize=integer (signed and unsigned
# overflow, shifts, division by zero, implicit conversions that change a
# value).  Unsigned arithmetic wraps by definition, and some code wraps on
# purpose (hashes, bit tricks, `i-- > 0` loops): fuzz/integer.ignore names
# those functions, so a wrap anywhere else is a finding.
INT=integer
SAN="-fsanitize=address,undefined,float-cast-overflow,$INT -fsanitize-ignorelist=fuzz/integer.ignore -fno-sanitize-recover=all"
CFLAGS="-std=c17 -D_GNU_SOURCE -Isrc -Wall -Wextra -Werror -Wno-unused-parameter -g -O1 -fno-omit-frame-pointer $SAN"
PKG_CFLAGS=$(pkg-config --cflags yaml-0.1 libpcre2-8 zlib libdeflate)
LIBS="$(pkg-config --libs yaml-0.1 libpcre2-8 zlib libdeflate) -lpthread -lm"
mkdir -p "$OUT/obj"

# Objects built with other flags (or another ignore list) are rebuilt.
stamp="$CC $CFLAGS $(cksum <fuzz/integer.ignore)"
if [ "$(cat "$OUT/obj/flags" 2>/dev/null)" != "$stamp" ]; then
	rm -f "$OUT"/obj/*.o
	printf '%s\n' "$stamp" >"$OUT/obj/flags"
fi

# A source that does not compile is reported; the targets that do not need
# it still link (the archive only contributes the members a target uses).
# Only what changed is compiled, archived and linked again.
status=0
objs=""
changed=0
[ -f "$OUT/librampart.a" ] || changed=1
for src in $(find src -name '*.c' ! -path src/main.c | LC_ALL=C sort); do
	obj="$OUT/obj/$(echo "$src" | tr / _).o"
	if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find src -name '*.h' -newer "$obj" | head -1)" ]; then
		changed=1
		# shellcheck disable=SC2086
		if ! $CC $CFLAGS $PKG_CFLAGS -fsanitize=fuzzer-no-link -c -o "$obj" "$src"; then
			rm -f "$obj"; status=1; continue
		fi
	fi
	objs="$objs $obj"
done
if [ $changed -eq 1 ]; then
	rm -f "$OUT/librampart.a"
	# shellcheck disable=SC2086
	ar qcs "$OUT/librampart.a" $objs
fi

targets=""
for t in fuzz/fuzz_*.c; do
	name=$(basename "$t" .c)
	bin="$OUT/$name"
	if [ ! -f "$bin" ] || [ "$t" -nt "$bin" ] || [ "$OUT/librampart.a" -nt "$bin" ]; then
		# shellcheck disable=SC2086
		if ! $CC $CFLAGS $PKG_CFLAGS -fsanitize=fuzzer -o "$bin" "$t" "$OUT/librampart.a" $LIBS; then
			rm -f "$bin"; echo "FAILED to build $bin"; status=1; continue
		fi
		echo "built $bin"
	fi
	targets="$targets ${name#fuzz_}"
done

[ "${1:-}" = "--run" ] || exit $status
shift
set +e # a failing step is reported and counted, not a reason to stop
secs=${1:-60}
[ $# -gt 0 ] && shift
case $secs in '' | *[!0-9]*) echo "fuzz/build.sh: --run takes whole seconds, not '$secs'" >&2; exit 2 ;; esac
if [ $# -gt 0 ]; then
	for t in "$@"; do
		case " $targets " in *" $t "*) ;; *) echo "fuzz/build.sh: no target '$t' (built:$targets)" >&2; exit 2 ;; esac
	done
	targets="$*"
fi
jobs=${FUZZ_JOBS:-1}
case $jobs in 1 | 2) ;; *) echo "fuzz/build.sh: FUZZ_JOBS is 1 or 2" >&2; exit 2 ;; esac
corpus_kb=${FUZZ_CORPUS_KB:-512}

# The dictionaries of a target (fuzz/dict/NAME.dict), joined into one.
dicts() {
	case $1 in
	load) echo yaml json cfn ;;
	template | checks) echo yaml cfn iam ;;
	cdk) echo json cdk ;;
	iam_policy) echo json iam ;;
	eval_batch) echo json iam batch ;;
	authz) echo json iam authz ;;
	json_skip) echo json ;;
	trail | trail_detect) echo json trail ;;
	sigma) echo yaml sigma trail json ;;
	esac
}
# Largest input fuzzed (longer seeds are cut to it; `make test` replays them
# whole).  Small inputs keep a target fast and its corpus small: a few
# records are enough for the reader, a rule and an event for the matcher, a
# few statements for a policy; templates get more room.
max_len() {
	if [ -n "${FUZZ_MAX_LEN:-}" ]; then echo "$FUZZ_MAX_LEN"; return; fi
	case $1 in
	trail) echo 4096 ;;
	load | template | checks | authz) echo 16384 ;;
	*) echo 8192 ;;
	esac
}
# The inputs fuzz runs added to a corpus directory (named by their SHA-1),
# with further find(1) tests and actions.
grown() {
	_d=$1; shift
	find "$_d" -maxdepth 1 -type f -regextype posix-extended -regex '.*/[0-9a-f]{40}' "$@"
}
# Size in KB of the files under a directory (their bytes, not disk blocks).
kb() { find "$1" -type f -printf '%s\n' 2>/dev/null | awk '{s += $1} END {printf "%d", (s + 1023) / 1024}'; }

mkdir -p "$OUT/dict" "$OUT/log" "$OUT/result"

# Fuzz one target; its line of the closing table goes to $OUT/result/T.
fuzz_one() {
	t=$1
	bin="$OUT/fuzz_$t"; log="$OUT/log/$t.log"; new="$OUT/new/$t"; art="$OUT/artifacts/$t"
	corpus="fuzz/corpus/$t"; crashes="fuzz/crashes/$t"; len=$(max_len "$t")
	rm -rf "$new" "$art"
	mkdir -p "$new" "$art" "$corpus"
	dict="$OUT/dict/$t.dict"; : >"$dict"
	for d in $(dicts "$t"); do cat "fuzz/dict/$d.dict" >>"$dict"; done
	dictopt=""; [ -s "$dict" ] && dictopt="-dict=$dict"
	seeds="$corpus"; [ -d "$crashes" ] && seeds="$seeds $crashes"
	before=$(find "$corpus" -type f | wc -l)
	t0=$(date +%s)
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$secs" -max_len="$len" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$art/" $dictopt "$new" $seeds >"$log" 2>&1; then
		result=ok
	else
		result=CRASH
	fi
	t1=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')

	# Merge: the named seeds, then whatever of the old and new inputs adds coverage.
	m="$OUT/merge/$t"
	rm -rf "$m"; mkdir -p "$m"
	find "$corpus" -maxdepth 1 -type f -regextype posix-extended ! -regex '.*/[0-9a-f]{40}' -exec cp -t "$m/" {} +
	if "$bin" -merge=1 -max_len="$len" -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$art/merge-" \
		"$m" "$corpus" "$new" >"$OUT/log/$t.merge.log" 2>&1; then
		grown "$corpus" -exec rm -f {} +
		grown "$m" -size -65537c -exec cp -t "$corpus/" {} +
		# The cap: the smallest grown inputs are kept up to it, the rest
		# dropped, with a warning (never silently).
		dropped=$(grown "$corpus" -printf '%s %p\n' |
			sort -n | awk -v cap=$((corpus_kb * 1024)) '{ s += $1; if (s > cap) { print $2 } }' |
			while read -r f; do rm -f "$f"; echo x; done | wc -l)
		[ "$dropped" -gt 0 ] && echo "warning: $t: grown inputs over ${corpus_kb} KB: dropped the $dropped largest (FUZZ_CORPUS_KB)"
	else
		echo "warning: $t: merge failed (see $OUT/log/$t.merge.log); fuzz/corpus/$t left as it was"
	fi
	# What crashed, in the run or in the merge (an input that crashes the
	# merge is left out of the corpus): kept in fuzz/crashes/T/.
	found=""
	for f in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-* "$art"/merge-*; do
		[ -f "$f" ] || continue
		# the merge met what the run found: one copy
		case $(basename "$f") in merge-*) [ -f "$art/${f##*/merge-}" ] && continue ;; esac
		mkdir -p "$crashes"
		cp "$f" "$crashes/"
		found="$found $crashes/$(basename "$f")"
		result=CRASH
	done
	if [ "$result" = CRASH ]; then
		echo "CRASH in $t: reproducer${found:- missing (see $log)}; log $log"
		[ -n "$found" ] && echo "  replay: $bin$found   (or: sh tests/cli/fuzz_replay.sh)"
	fi
	after=$(find "$corpus" -type f | wc -l)
	line=$(printf '%-12s %10s %8s %6s %7s %6s %8s %6ss  %s' "$t" "${execs:-?}" "${rate:-?}" \
		"${cov:-?}" "${ft:-?}" "$after" "$(kb "$corpus") KB" $((t1 - t0)) "$result$found")
	printf '%s\n' "$line" >"$OUT/result/$t"
	echo "$t: ${execs:-?} executions, ${rate:-?} exec/s, cov ${cov:-?} ft ${ft:-?}, corpus $after inputs" \
		"($(printf '%+d' $((after - before)))) $(kb "$corpus") KB, $((t1 - t0)) s, $result"
}

echo "fuzzing $(echo $targets) for ${secs}s each, $jobs at a time"
rm -f "$OUT"/result/*
set -- $targets
while [ $# -gt 0 ]; do
	if [ "$jobs" -eq 2 ] && [ $# -gt 1 ]; then
		fuzz_one "$1" & p1=$!
		fuzz_one "$2" & p2=$!
		wait $p1 || true; wait $p2 || true
		shift 2
	else
		fuzz_one "$1"
		shift
	fi
done

echo
printf '%-12s %10s %8s %6s %7s %6s %8s %7s  %s\n' target execs exec/s cov ft inputs corpus time result
crashed=0
for t in $targets; do
	if [ -f "$OUT/result/$t" ]; then
		cat "$OUT/result/$t"
		grep -q ' CRASH' "$OUT/result/$t" && crashed=1
	else
		echo "$t: no result"; crashed=1
	fi
done
echo "corpora: $(find fuzz/corpus -mindepth 2 -type f | wc -l) inputs, $(kb fuzz/corpus) KB;" \
	"crashes kept: $(find fuzz/crashes -type f 2>/dev/null | wc -l)"
[ $crashed -eq 0 ] && exit $status
exit 1
