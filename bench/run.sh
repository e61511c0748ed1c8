#!/bin/sh
# run.sh - `make bench`: rampart's scan speed and memory, and its peers',
# measured in the same run on the same files.
#
#  1. Corpus: all 498 templates of ../shared/corpus/serverless-patterns in
#     one `./rampart scan DIR --format json --fail-on none`, repeated
#     (hyperfine when present, else a timed loop): wall time, templates/s,
#     resources/s (rampart's own summary), peak RSS (/usr/bin/time).
#     Goal (the issue): < 1 s wall and < 200 MB peak RSS on 2 cores.
#  2. Peers over the same files, each one process for the whole directory:
#       js-yaml   parse only (node; CloudFormation tags accepted) - a floor
#                 for "read the files", no modelling and no checks;
#       cfn-lint  the npm CloudFormation validator (JavaScript): parses,
#                 expands SAM, validates properties against the spec; no
#                 security checks.  It is slow: run once, on the first
#                 BENCH_CFNLINT_FILES (60) templates, rampart timed on the same.
#     Checkov and the Python cfn-lint need PyPI, which is not reachable here.
#  3. Large input: a generated ~50 MB template (bench/gen-big-template.sh),
#     time and peak RSS, bounded by BENCH_BIG_TIMEOUT seconds, after 1, 4
#     and 7 MB ones that show how time grows with size (rampart refuses to
#     scan a template over 8 MB; the 50 MB run measures that refusal); then
#     three hostile templates whose values cost far more than their text
#     (bench/gen-hostile-template.sh: a 1,000,000-item Fn::Join, a 1.4 M
#     item list, a mapping entry copied by FindInMap), each under 200 MB.
#
# Environment: BENCH_RUNS (10), BENCH_BIG_MB (50), BENCH_BIG_TIMEOUT (300),
# BENCH_BIG_MEM_MB (8192, address-space cap of the large-input scans),
# BENCH_PEERS=0 to skip the peers, BENCH_NO_HYPERFINE=1 for the date loop,
# RAMPART_SHARED (../shared).
set -eu
cd "$(dirname "$0")/.."
SHARED=${RAMPART_SHARED:-../shared}
[ -d "$SHARED/corpus" ] || SHARED=/work/shared
CORPUS="$SHARED/corpus/serverless-patterns"
RUNS=${BENCH_RUNS:-10}
BIG_MB=${BENCH_BIG_MB:-50}
BIG_TIMEOUT=${BENCH_BIG_TIMEOUT:-300}
BIG_MEM_MB=${BENCH_BIG_MEM_MB:-8192}
PEERS=${BENCH_PEERS:-1}
SUBSET=${BENCH_CFNLINT_FILES:-60}
GOAL_WALL=1.0
GOAL_RSS_MB=200
OUT=build/bench
mkdir -p "$OUT"
[ -x ./rampart ] || { echo "bench: ./rampart missing (make rampart)" >&2; exit 2; }
[ -d "$CORPUS" ] || { echo "bench: $CORPUS missing" >&2; exit 2; }

# ---- tools: /usr/bin/time and hyperfine from Debian, peers from npm ----
apt_install() {
	[ "$(id -u)" -eq 0 ] || return 1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 ||
		{ apt-get update -qq >/dev/null 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }
}
[ -x /usr/bin/time ] || apt_install time || { echo "bench: /usr/bin/time missing" >&2; exit 2; }
command -v jq >/dev/null 2>&1 || apt_install jq || { echo "bench: jq missing" >&2; exit 2; }
[ "${BENCH_NO_HYPERFINE:-0}" = 1 ] && HF=false || HF="command -v hyperfine"
$HF >/dev/null 2>&1 || [ "${BENCH_NO_HYPERFINE:-0}" = 1 ] || apt_install hyperfine || true
if [ "$PEERS" = 1 ]; then
	if ! command -v node >/dev/null 2>&1; then
		apt_install nodejs npm || true
	fi
	if command -v npm >/dev/null 2>&1 && { [ ! -d bench/node_modules ] ||
		[ bench/package-lock.json -nt bench/node_modules ]; }; then
		(cd bench && npm ci --no-audit --no-fund --ignore-scripts >/dev/null 2>&1) ||
			echo "bench: npm ci failed; peers skipped" >&2
	fi
	[ -d bench/node_modules/js-yaml ] && command -v node >/dev/null 2>&1 || PEERS=0
fi

# Two cores, as the goal says: pin when the machine has more.
PIN=""
if [ "$(nproc)" -gt 2 ] && command -v taskset >/dev/null 2>&1; then PIN="taskset -c 0,1"; fi

# mean/stddev/min (seconds) of RUNS runs of a command, into $OUT/$1.time
measure() {
	name=$1; shift
	if $HF >/dev/null 2>&1; then
		hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$OUT/$name.hf.json" \
			--command-name "$name" "$*" >/dev/null 2>&1
		jq -r '.results[0] | "\(.mean) \(.stddev) \(.min)"' "$OUT/$name.hf.json" >"$OUT/$name.time"
	else
		"$@" >/dev/null 2>&1 || true
		i=0; : >"$OUT/$name.samples"
		while [ "$i" -lt "$RUNS" ]; do
			t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
			awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.6f\n", b - a}' >>"$OUT/$name.samples"; i=$((i + 1))
		done
		awk '{s+=$1; q+=$1*$1; if (NR==1||$1<m) m=$1} END {mu=s/NR; v=q/NR-mu*mu; if (v<0) v=0;
			printf "%.6f %.6f %.6f\n", mu, sqrt(v), m}' "$OUT/$name.samples" >"$OUT/$name.time"
	fi
}
# "peak-RSS-MB cpu-seconds" of one run (user+sys: less sensitive than wall
# time to a busy machine); the command's exit code does not matter here.
peak_rss() {
	/usr/bin/time -f '%M %U %S' -o "$OUT/rss.tmp" "$@" >/dev/null 2>&1 || true
	tail -n 1 "$OUT/rss.tmp" | awk '{printf "%.1f %.2f", $1/1024, $2+$3}'
}
fmt() { awk -v m="$1" -v s="$2" -v n="$3" 'BEGIN {printf "%.3f s +- %.3f (min %.3f, %d runs)", m, s, n, '"$RUNS"'}'; }

echo "rampart bench - $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores$([ -n "$PIN" ] && echo ", pinned to 2"), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "timer: $($HF >/dev/null 2>&1 && hyperfine --version || echo 'date +%s.%N loop')"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# ---- 1. corpus ----
# shellcheck disable=SC2086
$PIN ./rampart scan "$CORPUS" --format json --fail-on none >"$OUT/corpus.json" 2>"$OUT/corpus.err" || true
templates=$(jq .summary.templates "$OUT/corpus.json")
resources=$(jq .summary.resources "$OUT/corpus.json")
files=$(jq .summary.files "$OUT/corpus.json")
errors=$(jq .summary.errors "$OUT/corpus.json")
findings=$(jq .summary.findings "$OUT/corpus.json")
echo "== serverless-patterns: $files files, $templates templates, $resources resources (SAM expanded), $findings findings, $errors input errors"
# shellcheck disable=SC2086
measure rampart $PIN ./rampart scan "$CORPUS" --format json --fail-on none
read -r r_mean r_sd r_min <"$OUT/rampart.time"
# shellcheck disable=SC2086
read -r r_rss r_cpu <<-EOT
	$(peak_rss $PIN ./rampart scan "$CORPUS" --format json --fail-on none)
	EOT
echo "rampart scan   $(fmt "$r_mean" "$r_sd" "$r_min")"
awk -v t="$templates" -v r="$resources" -v m="$r_mean" 'BEGIN {printf "               %.0f templates/s, %.0f resources/s\n", t/m, r/m}'
echo "               peak RSS $r_rss MB, CPU time (user+sys) $r_cpu s"
wall_ok=$(awk -v m="$r_mean" -v g="$GOAL_WALL" 'BEGIN {print (m < g) ? "PASS" : "FAIL"}')
rss_ok=$(awk -v m="$r_rss" -v g="$GOAL_RSS_MB" 'BEGIN {print (m < g) ? "PASS" : "FAIL"}')
echo "goal: wall < ${GOAL_WALL} s: $wall_ok ($(awk -v m="$r_mean" 'BEGIN{printf "%.3f", m}') s); peak RSS < $GOAL_RSS_MB MB: $rss_ok ($r_rss MB)"
if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v n="$(nproc)" 'BEGIN {exit !(l > n)}'; then
	echo "note: load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores - other work shares the CPUs, so wall"
	echo "      times (and the wall verdict) are inflated; CPU time ($r_cpu s) is the steadier figure"
fi
echo

# ---- 2. peers ----
if [ "$PEERS" = 1 ]; then
	echo "== peers, same files, same run (ratio = peer time / rampart time)"
	# shellcheck disable=SC2086
	$PIN node bench/peers.js jsyaml "$CORPUS" >"$OUT/jsyaml.json" 2>/dev/null || true
	measure jsyaml $PIN node bench/peers.js jsyaml "$CORPUS"
	read -r j_mean j_sd j_min <"$OUT/jsyaml.time"
	# shellcheck disable=SC2086
	read -r j_rss j_cpu <<-EOT
	$(peak_rss $PIN node bench/peers.js jsyaml "$CORPUS")
	EOT
	echo "js-yaml 4 parse only: $(fmt "$j_mean" "$j_sd" "$j_min"), peak RSS $j_rss MB, CPU $j_cpu s; $(jq -r '"\(.ok) of \(.files) files parsed"' "$OUT/jsyaml.json")"
	awk -v p="$j_mean" -v r="$r_mean" -v pm="$j_rss" -v rm="$r_rss" -v pc="$j_cpu" -v rc="$r_cpu" 'BEGIN {
		printf "    ratio: %.2fx the wall time of rampart'\''s full scan, %.2fx its CPU time, %.2fx its memory\n",
			p/r, (rc > 0 ? pc/rc : 0), pm/rm}'
	if [ -d bench/node_modules/cfn-lint ]; then
		# cfn-lint takes about a third of a second per template: it runs on the
		# first $SUBSET templates (sorted by path), and rampart is timed on the same.
		find "$CORPUS" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.template' \) \
			! -path '*/.*' | LC_ALL=C sort | head -n "$SUBSET" >"$OUT/subset.list"
		ns=$(wc -l <"$OUT/subset.list")
		# shellcheck disable=SC2046,SC2086
		measure rampart-subset $PIN ./rampart scan $(cat "$OUT/subset.list") --format json --fail-on none
		read -r s_mean s_sd s_min <"$OUT/rampart-subset.time"
		# shellcheck disable=SC2086
		/usr/bin/time -f '%e %U %S %M' -o "$OUT/cfnlint.rss" timeout 900 $PIN node bench/peers.js cfnlint "@$OUT/subset.list" \
			>"$OUT/cfnlint.json" 2>/dev/null || true
		read -r c_wall c_user c_sys c_kb <<-EOT || true
		$(tail -n 1 "$OUT/cfnlint.rss")
		EOT
		if [ -s "$OUT/cfnlint.json" ]; then
			echo "cfn-lint 1.9.7 (npm) validate, first $ns templates: $c_wall s (1 run), CPU $(awk -v u="$c_user" -v s="$c_sys" 'BEGIN{printf "%.2f", u+s}') s, peak RSS $(awk -v k="$c_kb" 'BEGIN{printf "%.1f", k/1024}') MB; $(jq -r '"\(.ok) of \(.files) valid by its (old) spec"' "$OUT/cfnlint.json")"
			echo "    rampart full scan of the same $ns: $(fmt "$s_mean" "$s_sd" "$s_min")"
			awk -v p="$c_wall" -v r="$s_mean" 'BEGIN {printf "    ratio: %.1fx the wall time of rampart'"'"'s full scan\n", p/r}'
		else
			echo "cfn-lint (npm): did not finish within 900 s"
		fi
	fi
	echo
fi

# ---- 3. large input ----
echo "== large input: generated template (bench/gen-big-template.sh)"
big_run() { # MB TIMEOUT -> "size: seconds MB-RSS status"
	f="$OUT/big-$1mb.yaml"
	[ -f "$f" ] || ./bench/gen-big-template.sh "$f" "$1"
	scan_run "$f" "$2"
}
scan_run() { # FILE TIMEOUT
	f=$1
	rc=0
	# Address space capped (BENCH_BIG_MEM_MB) so a runaway scan fails alone
	# instead of pressing the whole machine into swap.
	# shellcheck disable=SC2086
	(ulimit -v $((BIG_MEM_MB * 1024)) && exec /usr/bin/time -f '%e %M' -o "$OUT/big.rss" timeout "$2" $PIN \
		./rampart scan "$f" --format json --fail-on none) >"$OUT/big.json" 2>/dev/null || rc=$?
	read -r secs kb <<-EOT || true
	$(tail -n 1 "$OUT/big.rss")
	EOT
	if [ "$rc" -eq 124 ]; then st="killed after $2 s"
	elif [ "$rc" -ge 128 ]; then st="died (signal $((rc - 128)); address space capped at $BIG_MEM_MB MB)"
	else st="exit $rc, $(jq -r '"\(.summary.resources) resources, \(.summary.findings) findings" +
		(if .summary.resources == 0 and (.errors | length) > 0 then "; " + .errors[0].message else "" end)' \
		"$OUT/big.json" 2>/dev/null)"; fi
	echo "$(ls -l "$f" | awk '{printf "%.1f", $5/1048576}') MB: $secs s, peak RSS $(awk -v k="$kb" 'BEGIN{printf "%.0f", k/1024}') MB ($st)"
}
# 7 MB: the largest of the series under rampart's 8 MB per-template scan limit.
for mb in 1 4 7 "$BIG_MB"; do
	echo "rampart scan $(big_run "$mb" "$BIG_TIMEOUT")"
done
# Templates whose values cost far more than their text
# (bench/gen-hostile-template.sh): each must stay under 200 MB peak RSS.
for h in "join 1000000" "list 1400000" "map 200000"; do
	# shellcheck disable=SC2086
	set -- $h
	f="$OUT/hostile-$1-$2.yaml"
	[ -f "$f" ] || ./bench/gen-hostile-template.sh "$1" "$f" "$2"
	echo "rampart scan $1 $2: $(scan_run "$f" "$BIG_TIMEOUT")"
done
if [ "$PEERS" = 1 ]; then
	echo "$OUT/big-${BIG_MB}mb.yaml" >"$OUT/big.list"
	/usr/bin/time -f '%e %M' -o "$OUT/bigjs.rss" node --max-old-space-size=8192 bench/peers.js jsyaml "@$OUT/big.list" \
		>"$OUT/bigjs.json" 2>/dev/null || true
	read -r secs kb <<-EOT || true
	$(tail -n 1 "$OUT/bigjs.rss")
	EOT
	echo "js-yaml parse only, $BIG_MB MB: $secs s, peak RSS $(awk -v k="$kb" 'BEGIN{printf "%.0f", k/1024}') MB ($(jq -r '"\(.ok) parsed, \(.resources) resources"' "$OUT/bigjs.json" 2>/dev/null))"
fi

# ---- the IAM engine and the CloudTrail reader, each against its peers ----
# BENCH_IAM_CASES (100000): differential cases against @cloud-copilot/iam-simulate;
# BENCH_TRAIL=0 skips the ~1 GB CloudTrail comparison with jq and DuckDB and the
# gzip/JSON library comparison (bench/trail/libs.sh).
echo
sh bench/iam.sh "${BENCH_IAM_CASES:-100000}"
echo
sh bench/iam_whocan.sh
if [ "${BENCH_TRAIL:-1}" = 1 ]; then
	echo
	sh bench/trail/run.sh
	# the measurement behind the gzip and JSON library choice (read.c, json.c)
	echo
	sh bench/trail/libs.sh
fi
