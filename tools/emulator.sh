#!/bin/sh
# tools/emulator.sh - the local AWS emulator with sample data, for trying
# ct-tools by hand without an AWS account.
#
#	eval "$(sh tools/emulator.sh)"     start it, point this shell at it
#	ct-regions | xargs ct-fetch | ct-aggregate > out.json
#	ct-regions | xargs ct-fetch --trail | ct-aggregate > trail.json
#	sh tools/emulator.sh stop
#
# `start` (the default) generates sample records with ct-sample (sample/), one
# file per region, starts tests/emulator/awsemu.py in the background on a
# free loopback port serving them (by LookupEvents, and as the log files of
# a trail, emu-trail, in the bucket ct-emulator-trail-logs), waits until it
# answers, and prints on stdout the shell lines that point the AWS
# variables at it (everything else goes to stderr, so the output can be
# eval'ed).  It runs in the background, with a pid file, because the shell
# that evals its output is the one that then runs the tools; when one is
# already running, `start` prints that one's lines again.  `stop` stops it.
#
# The records cover the 13 days before the moment they are generated, so
# that ct-fetch's default window (the last 336 hours) holds all of them for
# a day after start-up.  The span is fixed, so every start (same seed,
# same count) gives the same records with every time in them (eventTime and
# the times inside) moved by the same whole number of seconds.
#
# Environment: EMULATOR_DIR (default out/emulator: data, pid file, log),
# EMULATOR_RECORDS (default 5000), EMULATOR_SEED (default 2026), CT_OUT
# (where tools/ct-sample is built), PY (a python3 with botocore).
# Exit status 0 on success, 1 on failure, 2 on a bad command line.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
self=$top/tools/emulator.sh
: "${EMULATOR_DIR:=$top/out/emulator}"
: "${EMULATOR_RECORDS:=5000}"
: "${EMULATOR_SEED:=2026}"
: "${CT_OUT:=$top/build/default}"
: "${PY:=/usr/bin/python3}"
[ -x "$PY" ] || PY=python3
SAMPLE=$CT_OUT/tools/ct-sample
SPAN=$((13 * 86400))
ACCOUNT=123456789012

say() { printf 'emulator: %s\n' "$*" >&2; }
die() { printf 'emulator: %s\n' "$*" >&2; exit 1; }
usage() {
	echo "usage: sh tools/emulator.sh [start | stop]" >&2
	exit 2
}

q() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }	# shell-quote

# running: true when the pid file names a live awsemu.py; sets pid.
running() {
	pid=
	[ -s "$pidfile" ] || return 1
	pid=$(cat "$pidfile")
	case $pid in
	''|*[!0-9]*) return 1 ;;
	esac
	kill -0 "$pid" 2>/dev/null || return 1
	# Not another program that got the pid since (ps may be missing).
	command -v ps >/dev/null 2>&1 || return 0
	ps -p "$pid" -o args= 2>/dev/null | grep -q 'awsemu\.py'
}

# print_env: the lines to eval, from the env file the emulator wrote.
print_env() {
	. "$dir/env" || return 1
	echo "export AWS_ENDPOINT_URL=$(q "$EMU_URL")"
	echo "export AWS_ACCESS_KEY_ID=$(q "$EMU_KEY_ID")"
	echo "export AWS_SECRET_ACCESS_KEY=$(q "$EMU_SECRET")"
	echo "export AWS_REGION=us-east-1"
	# What would send the tools elsewhere or spoil the signature.
	echo "unset AWS_SESSION_TOKEN AWS_ENDPOINT_URL_EC2 AWS_ENDPOINT_URL_STS" \
	    "AWS_ENDPOINT_URL_CLOUDTRAIL AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
	if [ -n "${http_proxy:-}${HTTP_PROXY:-}${https_proxy:-}${HTTPS_PROXY:-}${all_proxy:-}${ALL_PROXY:-}" ]; then
		np=127.0.0.1,localhost${no_proxy:+,$no_proxy}
		echo "export no_proxy=$np NO_PROXY=$np"
	fi
	echo "# emulator pid $pid, log $dir/emulator.log"
	echo "# stop it: sh $self stop"
}

cmd=${1:-start}
[ $# -le 1 ] || usage
case $cmd in
start|stop) ;;
-h|--help) sed -n '2,/^set -u/p' "$self" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
*) usage ;;
esac
mkdir -p "$EMULATOR_DIR" || die "cannot create $EMULATOR_DIR"
dir=$(cd "$EMULATOR_DIR" && pwd)
pidfile=$dir/emulator.pid

if [ "$cmd" = stop ]; then
	if ! running; then
		rm -f "$pidfile"
		say "not running"
		exit 0
	fi
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -gt 100 ] && die "pid $pid did not stop in 5 s"
		sleep 0.05
	done
	rm -f "$pidfile" "$dir/env"
	say "stopped (pid $pid)"
	exit 0
fi

if running; then
	[ -s "$dir/env" ] ||
		die "pid $pid runs without its $dir/env; stop it first"
	say "already running (pid $pid)"
	print_env
	exit 0
fi
[ -x "$SAMPLE" ] || die "$SAMPLE is not built (run make)"
"$PY" -c 'import botocore' 2>/dev/null ||
	die "$PY cannot import botocore (Debian: python3-botocore; make deps)"

end=$(date +%s)
start=$((end - SPAN))
rm -rf "$dir/regions" "$dir/env" "$pidfile"
"$SAMPLE" --seed "$EMULATOR_SEED" --records "$EMULATOR_RECORDS" \
    --account "$ACCOUNT" --start "@$start" --end "@$end" \
    --per-region "$dir/regions" || die "ct-sample failed"
say "$EMULATOR_RECORDS sample events of the last 13 days in $dir/regions"

# In the background and detached from this script's stdout, so that
# `eval "$(...)"` returns once the lines are printed.
"$PY" "$top/tests/emulator/awsemu.py" --data-dir "$dir/regions" \
    --trail ct-emulator-trail-logs --env-file "$dir/env" </dev/null >"$dir/emulator.log" 2>&1 &
pid=$!
echo "$pid" >"$pidfile"
i=0
while [ ! -s "$dir/env" ]; do
	if ! kill -0 "$pid" 2>/dev/null; then
		rm -f "$pidfile"
		sed 's/^/  /' "$dir/emulator.log" >&2
		die "the emulator exited"
	fi
	i=$((i + 1))
	if [ "$i" -gt 600 ]; then
		kill "$pid" 2>/dev/null
		rm -f "$pidfile"
		die "the emulator did not start in 30 s"
	fi
	sleep 0.05
done
say "started (pid $pid); LookupEvents allows 2 requests/s per region, as AWS"
print_env
