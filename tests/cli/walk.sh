#!/bin/sh
# walk.sh - finding and opening inputs, end to end, for scan and trail:
#  - a template at a path longer than PATH_MAX is scanned and its findings
#    reported (it used to be dropped without a word: 0 files, exit 0);
#  - an entry the walk cannot read (a symbolic link loop, a broken link, an
#    unreadable directory when not root) is an error, exit 2, and the rest
#    is still scanned;
#  - a FIFO named on the command line is refused at once (exit 2, the other
#    files read), for scan and trail, while -, /dev/fd/N and <(...) work;
#  - error lines keep their whole message with a 4,000- and a 5,000-byte path;
#  - a directory with no template is exit 2 with what it held;
#  - output is byte-identical for any number of threads (scan, trail detect,
#    trail usage).
# Every command runs under `timeout`, so a regression cannot hang the suite.
set -u
R=${RAMPART:-build/rampart-san}
case $R in /*) ;; *) R=$PWD/$R ;; esac
D=$PWD/tests/cli/data
B=$PWD/tests/bad
SHARED=${RAMPART_SHARED:-../shared}
[ -d "$SHARED/corpus" ] || SHARED=/work/shared
T=$(mktemp -d); trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
TO="timeout ${RAMPART_TEST_TIMEOUT:-60}"
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
MSG="while parsing a flow sequence did not find expected ',' or ']'"
N200=$(printf '%0200d' 0)

# deep DIR LEVELS FILE...: LEVELS nested directories of 200-byte names
# under DIR, the files copied to the bottom (perl: the shell's cd stops at
# PATH_MAX).
deep() {
	dir=$1; levels=$2; shift 2
	perl -e 'my ($d, $n, $l, @f) = @ARGV; chdir $d or die;
		for (1 .. $l) { mkdir $n or die; chdir $n or die }
		for (@f) { system("cp", $_, ".") == 0 or die }' "$dir" "$N200" "$levels" "$@"
}

# ---- a template deeper than PATH_MAX ----
mkdir "$T/deep"
deep "$T/deep" 25 "$D/good.yaml"
(cd "$T/deep" && $TO "$R" scan . --format json --fail-on none) >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 0 ] && grep -q '"templates":1,' "$T/o.json" && grep -q '"id":"RMP-DDB-001"' "$T/o.json" &&
   grep -q "/good.yaml\"" "$T/o.json"; then
	ok "template deeper than PATH_MAX: scanned, findings reported"
else fail "template deeper than PATH_MAX (exit $rc)"; head -c 600 "$T/o.json"; head -3 "$T/e"; fi
f=$(grep -o '"file":"[^"]*good.yaml"' "$T/o.json" | head -1)
if [ ${#f} -gt 4096 ]; then ok "deep finding names the whole path"; else fail "deep finding names the whole path (${#f} bytes)"; fi

# ---- a broken template 5,000 bytes deep: the error line keeps its message ----
mkdir "$T/deep2"
deep "$T/deep2" 25 "$B/malformed.yaml"
(cd "$T/deep2" && $TO "$R" scan . --fail-on none) >"$T/o" 2>&1; rc=$?
line=$(grep "error: " "$T/o")
case $line in
*"/malformed.yaml:7:1: error: $MSG") ok "5,000-byte path: whole message" ;;
*) fail "5,000-byte path: whole message (exit $rc)"; echo "$line" | tail -c 300 ;;
esac
if [ $rc -eq 2 ] && [ ${#line} -lt 1200 ]; then ok "5,000-byte path: shortened, exit 2"; else fail "5,000-byte path: shortened, exit 2 (exit $rc, ${#line} bytes)"; fi
# A path just under PATH_MAX, named on the command line: the line used to
# be cut at 4,096 bytes, before the message.
rel=$N200; i=1; while [ $i -lt 20 ]; do rel=$rel/$N200; i=$((i + 1)); done
(cd "$T" && mkdir -p "$rel" && cp "$B/malformed.yaml" "$rel/" &&
 $TO "$R" scan "$rel/malformed.yaml" --format json) >/dev/null 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && tail -n 1 "$T/e" | grep -qF "/malformed.yaml:7:1: error: $MSG"; then
	ok "4,000-byte path on stderr: whole message"
else fail "4,000-byte path on stderr: whole message (exit $rc)"; tail -c 200 "$T/e"; fi

# ---- entries that cannot be read: errors, exit 2, the rest scanned ----
mkdir -p "$T/tree/a/b" "$T/tree/z"
cp "$D/good.yaml" "$T/tree/z/stack.yaml"
ln -s .. "$T/tree/a/b/up"
ln -s nowhere "$T/tree/a/gone.yaml"
$TO "$R" scan "$T/tree" --format json --fail-on none >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "tree/a/b/up: error: directory loop" "$T/e" &&
   grep -q "tree/a/gone.yaml: error: broken symbolic link" "$T/e" &&
   grep -q '"file":"[^"]*tree/z/stack.yaml"' "$T/o.json"; then
	ok "symbolic link loop and broken link: errors, exit 2, rest scanned"
else fail "loop and broken link (exit $rc)"; cat "$T/e"; fi
if [ "$(id -u)" != 0 ]; then
	mkdir "$T/tree/locked"; chmod 000 "$T/tree/locked"
	$TO "$R" scan "$T/tree" --format json --fail-on none >"$T/o.json" 2>"$T/e"; rc=$?
	if [ $rc -eq 2 ] && grep -q "tree/locked: error: cannot open directory: Permission denied" "$T/e" &&
	   grep -q '"file":"[^"]*tree/z/stack.yaml"' "$T/o.json"; then
		ok "unreadable directory: error, exit 2, rest scanned"
	else fail "unreadable directory (exit $rc)"; cat "$T/e"; fi
	chmod 755 "$T/tree/locked"
else
	ok "unreadable directory: running as root, covered by the loop and broken link"
fi

# ---- FIFOs: refused at once unless handed over ----
mkfifo "$T/fifo.yaml"
$TO "$R" scan "$T/fifo.yaml" "$D/good.yaml" --format json --fail-on none >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "fifo.yaml: error: not a regular file or directory (a FIFO)" "$T/e" &&
   grep -q "\"file\":\"$D/good.yaml\"" "$T/o.json"; then
	ok "scan FIFO argument: refused, exit 2, rest scanned"
else fail "scan FIFO argument (exit $rc)"; cat "$T/e"; fi
mkdir "$T/fdir"; mkfifo "$T/fdir/p.yaml"; cp "$D/good.yaml" "$T/fdir/t.yaml"
$TO "$R" scan "$T/fdir" --format json --fail-on none >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "fdir/p.yaml: error: not a regular file (a FIFO)" "$T/e" &&
   grep -q '"file":"[^"]*fdir/t.yaml"' "$T/o.json"; then
	ok "scan FIFO in a directory: error, exit 2, rest scanned"
else fail "scan FIFO in a directory (exit $rc)"; cat "$T/e"; fi
cat "$D/good.yaml" | $TO "$R" scan /dev/fd/0 --format json --fail-on none >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 0 ] && grep -q '"id":"RMP-DDB-001"' "$T/o.json"; then ok "scan pipe as /dev/fd/0"; else fail "scan pipe as /dev/fd/0 (exit $rc)"; cat "$T/e"; fi
cat "$D/good.yaml" | $TO "$R" scan - --format json --fail-on none >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 0 ] && grep -q '"id":"RMP-DDB-001"' "$T/o.json"; then ok "scan pipe as -"; else fail "scan pipe as - (exit $rc)"; fi
if command -v bash >/dev/null 2>&1; then
	R="$R" D="$D" $TO bash -c '"$R" scan <(cat "$D/good.yaml") --format json --fail-on none' >"$T/o.json" 2>"$T/e"; rc=$?
	if [ $rc -eq 0 ] && grep -q '"id":"RMP-DDB-001"' "$T/o.json"; then ok "scan <(cat FILE)"; else fail "scan <(cat FILE) (exit $rc)"; cat "$T/e"; fi
fi
TR=tests/trail/data/unused-log.jsonl
mkfifo "$T/fifo.json"
$TO "$R" trail detect "$T/fifo.json" "$TR" --format json >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -eq 2 ] && grep -q "fifo.json: byte 0: warning: not a regular file or directory (a FIFO)" "$T/e" &&
   grep -q '"events":[1-9]' "$T/o.json"; then
	ok "trail FIFO argument: refused, exit 2, rest read"
else fail "trail FIFO argument (exit $rc)"; cat "$T/e"; head -c 300 "$T/o.json"; fi
cat "$TR" | $TO "$R" trail detect /dev/fd/0 --format json >"$T/o.json" 2>"$T/e"; rc=$?
if [ $rc -ne 2 ] && [ $rc -ne 124 ] && grep -q '"events":[1-9]' "$T/o.json"; then ok "trail pipe as /dev/fd/0"; else fail "trail pipe as /dev/fd/0 (exit $rc)"; cat "$T/e"; fi

# ---- nothing to scan is not a pass ----
mkdir -p "$T/none/tf"
printf 'name: my-app\n' >"$T/none/config.yaml"
printf '{"a": 1}\n' >"$T/none/package.json"
printf 'resource "aws_s3_bucket" "b" {}\n' >"$T/none/tf/main.tf"
printf 'notes\n' >"$T/none/README.md"
$TO "$R" scan "$T/none" >"$T/o" 2>&1; rc=$?
if [ $rc -eq 2 ] && grep -q "none: error: no templates in the directory: 2 YAML/JSON files are not CloudFormation; 1 .tf file is Terraform (not yet supported); 1 other file" "$T/o"; then
	ok "no templates: exit 2, says what it found"
else fail "no templates (exit $rc)"; cat "$T/o"; fi
mkdir "$T/empty"
$TO "$R" scan "$T/empty" --format json >"$T/o.json" 2>&1; rc=$?
if [ $rc -eq 2 ] && grep -q '"message":"no templates in the directory: it holds no files' "$T/o.json"; then ok "empty directory: exit 2"; else fail "empty directory (exit $rc)"; fi
cp "$D/good.yaml" "$T/none/stack.yaml"
$TO "$R" scan "$T/none" --format json --fail-on none >"$T/o.json" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q '"templates":1,' "$T/o.json" && ! grep -q 'no templates' "$T/o.json"; then
	ok "one template among others: scanned normally"
else fail "one template among others (exit $rc)"; fi

# ---- the same bytes for any number of threads ----
SP=$SHARED/corpus/serverless-patterns
if [ -d "$SP" ]; then
	for fmt in text json; do
		$TO "$R" scan "$SP" --format $fmt --fail-on none --jobs 1 >"$T/j1" 2>&1
		$TO "$R" scan "$SP" --format $fmt --fail-on none --jobs 4 >"$T/j4" 2>&1
		if cmp -s "$T/j1" "$T/j4" && [ -s "$T/j1" ]; then ok "scan -j1 = -j4 ($fmt)"; else fail "scan -j1 = -j4 ($fmt)"; fi
	done
fi
CT=$SHARED/corpus/cloudtrail
if [ -d "$CT" ]; then
	for fmt in text json; do
		$TO "$R" trail detect "$CT" --format $fmt --threads 1 >"$T/j1" 2>&1
		$TO "$R" trail detect "$CT" --format $fmt --threads 4 >"$T/j4" 2>&1
		if cmp -s "$T/j1" "$T/j4" && [ -s "$T/j1" ]; then ok "trail detect -j1 = -j4 ($fmt)"; else fail "trail detect -j1 = -j4 ($fmt)"; fi
	done
	$TO "$R" trail usage "$CT" --format json --threads 1 >"$T/j1" 2>&1
	$TO "$R" trail usage "$CT" --format json --threads 4 >"$T/j4" 2>&1
	if cmp -s "$T/j1" "$T/j4" && [ -s "$T/j1" ]; then ok "trail usage -j1 = -j4"; else fail "trail usage -j1 = -j4"; fi
fi
