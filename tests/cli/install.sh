#!/bin/sh
# install.sh - `make install` into a temporary DESTDIR: the binary lands in
# PREFIX/bin, the bundled Sigma rules in PREFIX/share/rampart, and the
# installed binary, run from elsewhere with no source tree around it, finds
# and runs them (`trail detect --list` and a detection on a log); `make
# uninstall` removes what was installed.  The sanitizer build is installed
# (INSTALL_BIN) so the test needs no release build.
set -u
R=${RAMPART:-build/rampart-san}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
unset RAMPART_SIGMA_RULES
P=/opt/rampart-test
B=$T/dest$P/bin/rampart

make -s --no-print-directory install DESTDIR="$T/dest" PREFIX=$P INSTALL_BIN="$R" >"$T/log" 2>&1; rc=$?
[ $rc -eq 0 ] && [ -x "$B" ] && ok "make install: $P/bin/rampart" || { fail "make install (exit $rc)"; head -5 "$T/log"; }
n=$(ls "$T/dest$P/share/rampart/sigma/cloudtrail/"*.yml 2>/dev/null | wc -l)
want=$(ls data/sigma/cloudtrail/*.yml | wc -l)
[ "$n" -eq "$want" ] && [ -f "$T/dest$P/share/rampart/sigma/cloudtrail/LICENSE" ] \
	&& ok "make install: $n Sigma rules and their licence in $P/share/rampart" || fail "make install: rules ($n of $want)"

# From a directory with no data/ or ../shared/ near it.
mkdir -p "$T/elsewhere/deep"
cd "$T/elsewhere/deep" || exit 1
"$B" trail detect --list >"$T/list" 2>"$T/e"; rc=$?
s=$(grep -c '(Sigma, ' "$T/list")
if [ $rc -eq 0 ] && [ "$s" -gt 0 ] && ! grep -q 'not found' "$T/e"; then
	ok "installed: trail detect --list finds the $s bundled Sigma rules"
else
	fail "installed: trail detect --list (exit $rc, $s Sigma rules)"; head -3 "$T/e"
fi
printf '%s\n' '{"eventVersion":"1.08","eventTime":"2024-03-01T10:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"eu-west-2","sourceIPAddress":"203.0.113.7","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory","accountId":"111122223333","userName":"mallory"},"recipientAccountId":"111122223333"}' >"$T/log.jsonl"
"$B" trail detect "$T/log.jsonl" --only sigma --no-progress --fail-on none --format json >"$T/d.json" 2>"$T/e"; rc=$?
if [ $rc -eq 0 ] && grep -q '"detection":"4db60cc0-36fb-42b7-9b58-a5b53019fb74","source":"sigma"' "$T/d.json"; then
	ok "installed: trail detect runs a bundled Sigma rule"
else
	fail "installed: trail detect (exit $rc)"; head -3 "$T/e"; head -c 300 "$T/d.json"
fi
cd "$OLDPWD" || exit 1

make -s --no-print-directory uninstall DESTDIR="$T/dest" PREFIX=$P >"$T/log" 2>&1; rc=$?
left=$(find "$T/dest" -type f | wc -l)
[ $rc -eq 0 ] && [ "$left" -eq 0 ] && [ ! -e "$T/dest$P/share/rampart" ] && ok "make uninstall removes it all" \
	|| { fail "make uninstall (exit $rc, $left files left)"; find "$T/dest" -type f | head -3; }
