#!/bin/sh
# deps.sh - install what rampart needs to build and test, on Debian.
# Idempotent and quiet when everything is already there.
set -eu
pkgs="gcc make pkg-config libyaml-dev libpcre2-dev libcmocka-dev zlib1g-dev libdeflate-dev time"
[ "${1:-}" = "--fuzz" ] && pkgs="$pkgs clang libclang-rt-dev"
# The tests also drive node (JSON checks, the IAM oracle, KICS recall) and
# python3 (generated inputs); take Debian's when the machine has none.
# time (GNU /usr/bin/time) measures peak memory in tests/cli/memory.sh.
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs npm"
command -v python3 >/dev/null 2>&1 || pkgs="$pkgs python3"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "rampart: installing$missing" >&2
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "rampart: need root to install:$missing" >&2; exit 2
	fi
else
	SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
