#!/bin/sh
# trail_determinism.sh - the same CloudTrail events give byte-identical
# `trail usage`, `trail detect` and `trail policy` output whatever the
# thread count, the scheduling, the order of the records in their files and
# the order the files are read in.
#
# Not timing-based: besides repeated runs at -j2 and -j4 (which catch
# a race only when it happens to fire), the invictus corpus is rewritten
# with every file's records reversed, and again with the files renamed so
# that they are read in reverse order.  A result taken from "the first
# event seen" then differs even at -j1, on every run (the type of
# ec2.amazonaws.com did: "?" from the corpus, "AWSService" from the
# reversed copy).
set -u
R=${RAMPART:-build/rampart-san}
C=../shared/corpus/cloudtrail/invictus
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
ROLE=stratus-red-team-ec2-steal-credentials-role

[ -d "$C" ] || { fail "corpus $C missing"; exit 1; }

# run NAME DIR: every report of DIR into $T/NAME.*; stdout, stderr and the
# exit status each, paths to DIR written as DIR/.
run() {
	name=$1 dir=$2; shift 2
	for cmd in "usage" "usage --format json" "detect" "detect --format json" \
		"policy $ROLE" "policy $ROLE --format text"; do
		f=$T/$name.$(echo "$cmd" | tr -c 'a-z0-9\n' '_')
		# shellcheck disable=SC2086
		set -- $cmd
		sub=$1; shift
		$R trail "$sub" "$@" "$dir" --no-progress $J >"$f.out" 2>"$f.err"
		echo "exit $?" >>"$f.err"
		sed -i "s#$dir/#DIR/#g" "$f.out" "$f.err"
	done
}

# same A B WHAT HOW: every report of run A equals run B's.  HOW is
# same-files (everything compared), same-names (detect's json left out: it
# names the byte offset of each event in its file) or other-names (detect's
# text compared without the file names, its json left out).
same() {
	a=$1 b=$2 what=$3 how=$4 diffs=""
	for f in "$T/$a".*; do
		n=${f#"$T/$a".} g=$T/$b.${f#"$T/$a".}
		case "$f:$how" in
		*detect___format_json.out:same-files) ;;
		*detect___format_json.out:*) continue ;;
		*.detect.out:other-names)
			sed 's#^\(    event [^ ]*\) in .*#\1#' "$f" >"$T/cmp.a"
			sed 's#^\(    event [^ ]*\) in .*#\1#' "$g" >"$T/cmp.b"
			f=$T/cmp.a g=$T/cmp.b ;;
		esac
		cmp -s "$f" "$g" || diffs="$diffs $n"
	done
	if [ -z "$diffs" ]; then ok "$what"; else
		fail "$what:$diffs"
		for d in $diffs; do diff "$T/$a.$d" "$T/$b.$d" | head -6; done
	fi
}

J=-j1; run ref "$C"
grep -q '^ec2.amazonaws.com (AWSService): ' "$T/ref.usage.out" \
	&& ok "usage: ec2.amazonaws.com typed AWSService (some of its events carry no type)" \
	|| fail "usage: ec2.amazonaws.com type: $(grep '^ec2.amazonaws.com' "$T/ref.usage.out")"
grep -q '"Version": "2012-10-17"' "$T/ref.policy_$(echo "$ROLE" | tr -c 'a-z0-9\n' '_').out" \
	&& ok "policy: a document for $ROLE" || fail "policy: no document for $ROLE"

for rep in 1 2 3; do
	for j in 2 4; do
		J=-j$j; run "j$j-$rep" "$C"
		same ref "j$j-$rep" "usage, detect, policy: -j$j (run $rep) = -j1" same-files
	done
done

# The records of every file reversed (the same events, the same files).
if command -v python3 >/dev/null 2>&1; then
	mkdir "$T/rev" "$T/ren"
	python3 - "$C" "$T/rev" "$T/ren" <<'EOF'
import json, os, shutil, sys
src, rev, ren = sys.argv[1:4]
names = sorted(n for n in os.listdir(src) if n.endswith('.json'))
for i, n in enumerate(names):
    with open(os.path.join(src, n)) as f:
        doc = json.load(f)
    # the same file names, each file's records in reverse
    doc['Records'].reverse()
    with open(os.path.join(rev, n), 'w') as f:
        json.dump(doc, f, separators=(',', ':'))
    # the same files, read in reverse order (the last one first)
    shutil.copyfile(os.path.join(src, n), os.path.join(ren, '%03d-%s' % (len(names) - i, n)))
EOF
	for j in 1 4; do
		J=-j$j; run "rev$j" "$T/rev"
		same ref "rev$j" "usage, detect, policy: records reversed in their files (-j$j)" same-names
		J=-j$j; run "ren$j" "$T/ren"
		same ref "ren$j" "usage, detect, policy: files read in reverse order (-j$j)" other-names
	done
else
	ok "records and files reordered (skipped: no python3)"
fi
