#!/bin/sh
# tools/deps.sh - install the Debian packages ct-tools needs, if missing.
# Called by `make deps`, `make demo` and .ci/run.  Needs root (or sudo).
set -eu
# Build: compiler, libraries.  libfontconfig-dev: ct-plot finds fallback
# fonts for labels DejaVu Sans lacks (CJK, emoji) through fontconfig.
BUILD="make gcc libc6-dev libcurl4-openssl-dev libssl-dev libjsmn-dev libpng-dev zlib1g-dev libdeflate-dev libfreetype-dev fonts-dejavu-core libfontconfig-dev"
# Tests: the reference implementations and the local AWS emulator;
# chromium loads ct-plot's index.html headless (t_plot_browser);
# fonts-noto-cjk is a CJK fallback font for the chart tests; zsh runs the
# zsh completion (t_completion).
TEST="python3 python3-botocore python3-cryptography jq openssl curl clang libclang-rt-14-dev mandoc groff-base pngcheck valgrind chromium fonts-noto-cjk zsh"
# Optional: what the benchmarks compare against, the AWS CLI for the emulator
# check, GNU parallel for the README cookbook's scale-out recipe (its test
# skips without it).
OPTIONAL="awscli python3-matplotlib parallel"

want="$BUILD $TEST"
[ "${CT_DEPS_OPTIONAL:-1}" = 1 ] && want="$want $OPTIONAL"
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && { echo "deps: all present"; exit 0; }
echo "deps: installing$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
