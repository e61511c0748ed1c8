# data.sh - the CloudTrail benchmark data, shared by the bench/trail scripts
# (sourced, not run; POSIX sh).  Run from the project root.
#
#   . bench/trail/data.sh
#   bench_trail_data MB        -> sets BT_DATA, BT_COPIES, BT_ONE_BYTES, BT_ONE_EVENTS
#
# The invictus corpus (../shared/corpus/cloudtrail/invictus: 2,900 real
# events, 55 delivery files) is gzipped file by file (gzip -6) into
# $BENCH_TRAIL_DIR/template once, then copied N times into the S3 layout
# $BENCH_TRAIL_DIR/data-MB/AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/<copy>/
# until the uncompressed JSON reaches MB megabytes (10^6 bytes).  A .done
# file marks a complete copy; an incomplete one is rebuilt.  This is the
# generation bench/trail/run.sh does inline, so both find the same data
# (BENCH_TRAIL_DIR defaults to build/bench-trail in both).
# shellcheck shell=sh
# shellcheck disable=SC2034 # the BT_ variables are for the caller

bench_trail_data() {
	_bt_mb=$1
	_bt_src=${BENCH_TRAIL_SRC:-../shared/corpus/cloudtrail/invictus}
	_bt_work=${BENCH_TRAIL_DIR:-build/bench-trail}
	BT_DATA=$_bt_work/data-$_bt_mb
	BT_ONE_EVENTS=2900
	if [ ! -d "$_bt_work/template" ]; then
		mkdir -p "$_bt_work/template"
		for _bt_f in "$_bt_src"/*.json; do
			gzip -6 -c "$_bt_f" >"$_bt_work/template/$(basename "$_bt_f").gz"
		done
	fi
	BT_ONE_BYTES=$(cat "$_bt_src"/*.json | wc -c)
	BT_COPIES=$(((_bt_mb * 1000000 + BT_ONE_BYTES - 1) / BT_ONE_BYTES))
	if [ ! -f "$BT_DATA/.done" ]; then
		rm -rf "$BT_DATA"
		_bt_i=1
		while [ "$_bt_i" -le "$BT_COPIES" ]; do
			_bt_d="$BT_DATA/AWSLogs/123456789012/CloudTrail/us-east-1/2023/07/$_bt_i"
			mkdir -p "$_bt_d"
			cp "$_bt_work/template"/*.gz "$_bt_d/"
			_bt_i=$((_bt_i + 1))
		done
		touch "$BT_DATA/.done"
	fi
}
