#!/bin/sh
# output.sh - a report that does not reach its destination is an error: with
# standard output on a full disk (/dev/full) every command exits 2 and says
# so once; -o onto a device or a symbolic link writes through it (never
# replaces it), and a failure there is exit 2 too; trail's -o - is standard
# output, as scan's.
set -u
R=${RAMPART:-build/rampart-san}
case $R in /*) ;; *) R=$(pwd)/$R ;; esac
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
LOG=tests/trail/data/authz-log.jsonl
TOP=$(pwd)
TPL=tests/iam/data/stack.yaml
C=../shared/corpus/cloudtrail

printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' >"$T/p.json"
printf '{"principal":"arn:aws:iam::1:role/a","action":"s3:GetObject","identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}]}\n' >"$T/c.jsonl"

# full NAME COMMAND...: stdout on /dev/full: exit 2, one message naming standard output.
full() {
	name=$1; shift
	"$@" >/dev/full 2>"$T/e"; rc=$?
	n=$(grep -c 'standard output' "$T/e")
	if [ $rc -eq 2 ] && [ "$n" -eq 1 ]; then ok "/dev/full: $name"; else fail "/dev/full: $name (exit $rc, $n messages)"; head -3 "$T/e"; fi
}
full "trail detect --list" $R trail detect --list
full "trail detect" $R trail detect $LOG --no-progress
full "trail detect --format json" $R trail detect $LOG --no-progress --format json
full "trail usage" $R trail usage $LOG --no-progress
full "trail policy" $R trail policy arn:aws:iam::111122223333:role/app-role $LOG --no-progress
full "scan" $R scan $TPL --fail-on none
full "scan --format sarif" $R scan $TPL --format sarif --fail-on none
full "checks" $R checks
full "iam eval" $R iam eval --policy "$T/p.json" --principal arn:aws:iam::1:role/A --action s3:GetObject
full "iam who-can" $R iam who-can dynamodb:GetItem PatientsTable $TPL
full "iam can" $R iam can ReaderFunction $TPL
full "iam narrow" $R iam narrow AdminRole $TPL
full "iam eval-batch" $R iam eval-batch "$T/c.jsonl"
full "--help" $R --help
full "--version" $R --version
full "trail detect --help" $R trail detect --help
# A report past trail's 1 MB streaming threshold fails while streaming.
if [ -d $C/stratus ]; then
	full "trail detect, streamed report" $R trail detect $C/stratus $C/invictus --no-progress --format json --max-per-detection 0
fi

# -o through a symbolic link: the link stays, its target gets the report.
: >"$T/target"
ln -s "$T/target" "$T/link"
$R scan $TPL --format json --fail-on none -o "$T/link" 2>"$T/e"; rc=$?
if [ $rc -eq 0 ] && [ -L "$T/link" ] && grep -q '"findings"' "$T/target"; then ok "scan -o LINK writes through the link"; else fail "scan -o LINK (exit $rc)"; fi
: >"$T/target"
$R trail detect --list -o "$T/link" 2>"$T/e"; rc=$?
if [ $rc -eq 0 ] && [ -L "$T/link" ] && grep -q '^CIS-4.1 ' "$T/target"; then ok "trail detect --list -o LINK"; else fail "trail detect --list -o LINK (exit $rc)"; fi
# -o onto a full device (through a link, so a binary that renamed over it would only replace the link).
ln -s /dev/full "$T/full"
safe=1
for cmd in "scan $TPL --fail-on none" "trail detect --list" "trail detect $LOG --no-progress" "trail usage $LOG --no-progress"; do
	# shellcheck disable=SC2086
	$R $cmd -o "$T/full" 2>"$T/e"; rc=$?
	if [ $rc -eq 2 ] && [ -L "$T/full" ] && grep -q "cannot write $T/full: No space left" "$T/e"; then
		ok "$cmd -o FULL: exit 2"
	else
		fail "$cmd -o FULL (exit $rc)"; head -3 "$T/e"; safe=0
	fi
done
# Straight onto /dev/full: only once the link cases showed nothing is renamed over the target.
if [ $safe -eq 1 ]; then
	$R scan $TPL --fail-on none -o /dev/full 2>"$T/e"; rc=$?
	[ $rc -eq 2 ] && [ -c /dev/full ] && ok "scan -o /dev/full: exit 2, the device untouched" || fail "scan -o /dev/full (exit $rc)"
fi

# trail's -o - is standard output (it used to create a file named "-").
(cd "$T" && "$R" trail detect --list -o - >"$T/list" 2>/dev/null); rc=$?
if [ $rc -eq 0 ] && [ ! -e "$T/-" ] && grep -q '^CIS-4.1 ' "$T/list"; then ok "trail -o - is standard output"; else fail "trail -o - (exit $rc)"; fi
(cd "$T" && "$R" trail usage "$TOP/$LOG" --no-progress -o - >"$T/u" 2>/dev/null); rc=$?
if [ $rc -eq 0 ] && [ ! -e "$T/-" ] && grep -q 'app-role' "$T/u"; then ok "trail usage -o - is standard output"; else fail "trail usage -o - (exit $rc)"; fi
