#!/bin/sh
# options.sh - every command reads its options the same way (src/cli/opts.c):
# --help/-h on standard output with exit 0; malformed numbers and dates a
# usage error on standard error that names the option and the value, exit 2,
# nothing on standard output; --opt=value the same as --opt value; unknown
# options and missing values refused.  Also: `rampart iam --help` lists its
# subcommands and `narrow` is in `rampart --help` and the README.
set -u
R=${RAMPART:-build/rampart-san}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { echo "ok $1"; }
fail() { echo "FAIL $1"; }
LOG=tests/trail/data/authz-log.jsonl
TPL=tests/iam/data/stack.yaml

# --help and -h: stdout, exit 0, nothing on stderr.
for cmd in "" scan checks iam "iam eval" "iam who-can" "iam can" "iam narrow" "iam eval-batch" \
	trail "trail detect" "trail usage" "trail policy"; do
	for h in --help -h; do
		# shellcheck disable=SC2086 # cmd is a list of words
		$R $cmd $h >"$T/o" 2>"$T/e"; rc=$?
		if [ $rc -eq 0 ] && [ -s "$T/o" ] && [ ! -s "$T/e" ] && grep -q '^usage: rampart' "$T/o"; then
			ok "help: rampart $cmd $h"
		else
			fail "help: rampart $cmd $h (exit $rc)"; head -3 "$T/e"
		fi
	done
done
$R iam --help >"$T/o"
miss=""
for sub in eval eval-batch who-can can narrow; do grep -q "^  $sub\b" "$T/o" || miss="$miss $sub"; done
[ -z "$miss" ] && ok "iam --help lists its subcommands" || fail "iam --help lacks:$miss"
$R --help | grep -q 'narrow' && ok "rampart --help names narrow" || fail "rampart --help names narrow"
grep -q 'rampart iam narrow ' README.md && ok "README shows iam narrow" || fail "README shows iam narrow"
# No arguments: the help on stderr, exit 2.
for cmd in "" iam trail; do
	# shellcheck disable=SC2086
	$R $cmd >"$T/o" 2>"$T/e"; rc=$?
	[ $rc -eq 2 ] && [ ! -s "$T/o" ] && grep -q '^usage: ' "$T/e" && ok "no arguments: rampart $cmd: usage on stderr, exit 2" \
		|| fail "no arguments: rampart $cmd (exit $rc)"
done

# usage_error NAME PATTERN COMMAND...: exit 2, stdout empty, stderr matches PATTERN.
usage_error() {
	name=$1; pat=$2; shift 2
	"$@" >"$T/o" 2>"$T/e"; rc=$?
	if [ $rc -eq 2 ] && [ ! -s "$T/o" ] && grep -q -e "$pat" "$T/e"; then
		ok "$name"
	else
		fail "$name (exit $rc)"; head -3 "$T/e"; head -3 "$T/o"
	fi
}

# Numbers: digits only, within range.
usage_error "scan -j x" "--jobs: 'x' is not a whole number" $R scan -j x $TPL
usage_error "scan -j 0" "--jobs: '0' is not a whole number from 1 to 256" $R scan -j 0 $TPL
usage_error "scan -j 99999999999" "--jobs: '99999999999'" $R scan -j 99999999999 $TPL
usage_error "scan --jobs=-1" "--jobs: '-1'" $R scan --jobs=-1 $TPL
usage_error "scan -j 4x" "--jobs: '4x'" $R scan -j4x $TPL
usage_error "scan -j ' 4'" "--jobs: ' 4'" $R scan -j ' 4' $TPL
usage_error "trail detect --threads x" "--threads: 'x' is not a whole number" $R trail detect --threads x $LOG
usage_error "trail detect -j 0" "--threads: '0'" $R trail detect -j 0 $LOG
usage_error "trail usage --threads 257" "--threads: '257'" $R trail usage --threads=257 $LOG
usage_error "trail policy --jobs 1.5" "--threads: '1.5'" $R trail policy --jobs 1.5 app-role $LOG
usage_error "trail detect --max-per-detection -1" "--max-per-detection: '-1'" $R trail detect --max-per-detection -1 $LOG
usage_error "trail detect --max-per-detection 1e3" "--max-per-detection: '1e3'" $R trail detect --max-per-detection=1e3 $LOG
usage_error "iam eval-batch --repeat -1" "--repeat: '-1' is not a whole number" $R iam eval-batch --repeat -1 /dev/null
usage_error "iam eval-batch --repeat x" "--repeat: 'x'" $R iam eval-batch --repeat=x /dev/null
usage_error "iam eval-batch --repeat 0" "--repeat: '0'" $R iam eval-batch --repeat 0 /dev/null

# Dates: real calendar dates and times, as the help documents them.
usage_error "trail detect --since 2023-99-99" "--since: '2023-99-99' is not a UTC date or time" \
	$R trail detect --since 2023-99-99 $LOG
usage_error "trail detect --until 2023-02-29" "--until: '2023-02-29'" $R trail detect --until=2023-02-29 $LOG
usage_error "trail usage --since 24:00" "--since: '2024-03-01T24:00:00Z'" $R trail usage --since 2024-03-01T24:00:00Z $LOG
usage_error "trail policy --until 11:60" "--until: '2024-03-01T11:60Z'" $R trail policy app-role $LOG --until 2024-03-01T11:60Z
usage_error "trail detect --since yesterday" "--since: 'yesterday'" $R trail detect --since yesterday $LOG
usage_error "trail detect --since after --until" "--since 2024-03-02T00:00:00 is after --until 2024-03-01T00:00:00" \
	$R trail detect --since 2024-03-02 --until 2024-03-01 $LOG
$R trail usage --since 2024-02-29 --until 2024-03-01T10:00:30Z $LOG --format json --no-progress >"$T/o" 2>"$T/e"; rc=$?
[ $rc -eq 0 ] && grep -q '"action":"dynamodb:GetItem","count":1,' "$T/o" && ok "trail usage: a leap day and a time with Z read" \
	|| { fail "trail usage: a leap day and a time with Z (exit $rc)"; head -3 "$T/e"; }

# Other malformed values and options.
usage_error "trail detect --only cis,foo" "--only takes cis, rampart, sigma" $R trail detect --only cis,foo $LOG
usage_error "trail detect --only cisx" "not 'cisx'" $R trail detect --only=cisx $LOG
usage_error "scan --color sometimes" "--color: 'sometimes'" $R scan --color sometimes $TPL
usage_error "scan unknown option" "unknown option '--bogus'" $R scan --bogus $TPL
usage_error "scan unknown short option" "unknown option '-x'" $R scan -x $TPL
usage_error "trail detect unknown option" "unknown option '--bogus'" $R trail detect --bogus=1 $LOG
usage_error "iam eval unknown option" "unknown option '--bogus'" $R iam eval --bogus
usage_error "iam who-can unknown option" "unknown option '--bogus'" $R iam who-can --bogus
usage_error "iam narrow unknown option" "unknown option '--bogus'" $R iam narrow --bogus X $TPL
usage_error "scan -o without a value" "option '-o' needs a value" $R scan $TPL -o
usage_error "trail detect --output without a value" "option '--output' needs a value" $R trail detect $LOG --output
usage_error "trail detect --help=x" "option '--help' takes no value" $R trail detect --help=x
usage_error "trail detect ambiguous --f" "option '--f' is ambiguous" $R trail detect --f json $LOG
usage_error "trail usage --fail-on" "--fail-on is an option of 'trail detect' only" $R trail usage --fail-on high $LOG
usage_error "trail detect --templates" "--templates is an option of 'trail usage' only" $R trail detect --templates $TPL $LOG
usage_error "checks operand" "takes no operand" $R checks extra
usage_error "iam eval operand" "takes options only" $R iam eval --principal a --action s3:GetObject extra
usage_error "iam eval-batch two files" "reads one FILE" $R iam eval-batch /dev/null /dev/null

# --opt=value is --opt value, and an unambiguous prefix is the option.
same() {
	name=$1; shift
	if cmp -s "$T/a" "$T/b" && [ -s "$T/a" ]; then ok "$name"; else fail "$name"; diff "$T/a" "$T/b" | head -5; fi
}
$R scan $TPL --format json --fail-on none >"$T/a" 2>/dev/null
$R scan $TPL --format=json --fail-on=none >"$T/b" 2>/dev/null
same "scan --format=json"
$R scan $TPL -fjson -j1 --fail-on none >"$T/b" 2>/dev/null
same "scan -fjson -j1"
$R checks --format json >"$T/a"; $R checks --format=json >"$T/b"; same "checks --format=json"
$R iam who-can dynamodb:GetItem PatientsTable $TPL --format json >"$T/a"
$R iam who-can --format=json dynamodb:GetItem PatientsTable $TPL >"$T/b"
same "iam who-can --format=json, before the operands"
$R iam can ReaderFunction $TPL --format json --account-id 111122223333 >"$T/a"
$R iam can ReaderFunction $TPL --form=json --account-id=111122223333 >"$T/b"
same "iam can --form=json --account-id=..."
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}' >"$T/p.json"
$R iam eval --policy "$T/p.json" --principal arn:aws:iam::111122223333:role/A --action s3:GetObject --format json >"$T/a"
$R iam eval --policy="$T/p.json" --principal=arn:aws:iam::111122223333:role/A --action=s3:GetObject -f json >"$T/b"
same "iam eval --policy=... --action=..."
$R trail detect $LOG --format json --since 2024-03-01 --no-progress --threads 1 >"$T/a" 2>/dev/null
$R trail detect --format=json --since=2024-03-01 $LOG --no-progress -j1 >"$T/b" 2>/dev/null
same "trail detect --format=json --since=..."
$R trail usage $LOG --format json --until 2024-03-01T10:01:00Z --no-progress >"$T/a"
$R trail usage $LOG --format=json --until=2024-03-01T10:01:00Z --no-progress >"$T/b"
same "trail usage --until=..."
printf '{"principal":"arn:aws:iam::1:role/a","action":"s3:GetObject","identity":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}]}\n' >"$T/c.jsonl"
$R iam eval-batch --repeat 2 "$T/c.jsonl" >"$T/a" 2>/dev/null
$R iam eval-batch --repeat=2 - <"$T/c.jsonl" >"$T/b" 2>/dev/null
same "iam eval-batch --repeat=2, stdin"
