# tests/lib.sh - TAP helpers for the shell tests; sourced, not run.
#
# Each test script: . "$(dirname "$0")/../lib.sh" (or the right path), then
# ok/is/... calls, then done_testing.  CT_BIN is where the programs under
# test are (set by tests/run; defaults to ./bin).  Every script gets its own
# scratch folder $T, removed at exit.

: "${CT_BIN:=$(cd "$(dirname "$0")" && while [ ! -f Makefile ] && [ "$PWD" != / ]; do cd ..; done; pwd)/bin}"
CT_TOP=$(cd "$(dirname "$0")" && while [ ! -f Makefile ] && [ "$PWD" != / ]; do cd ..; done; pwd)
: "${CT_OUT:=$CT_TOP/build/default}"
# The test build of the tools (make all; never installed): ct-aggregate
# with --chunk-size and --max-value, ct-fetch with CT_FETCH_TEST_KILL_*.
CT_TESTBIN="$CT_OUT/test-bin"
export CT_BIN CT_TOP CT_OUT CT_TESTBIN
PATH="$CT_BIN:$PATH"
# Debian's python3, where python3-botocore lives (not a pyenv shim).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
SHARED="$CT_TOP/../shared"
T=$(mktemp -d "${TMPDIR:-/tmp}/ct-test.XXXXXX")
# cleanup_add 'COMMAND': run COMMAND at exit (last added first), before $T
# is removed; e.g. emulator/emu.sh stops the emulator this way.
_cleanup=:
cleanup_add() { _cleanup="$1; $_cleanup"; }
trap 'eval "$_cleanup"; rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
_n=0
_failed=0

ok() {	# ok CONDITION-EXIT-STATUS DESCRIPTION: ok $? "what"
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}

is() {	# is GOT WANT DESCRIPTION
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
		_failed=$((_failed + 1))
	fi
}

same_file() {	# same_file GOT WANT DESCRIPTION: byte-identical files
	_n=$((_n + 1))
	if cmp -s "$1" "$2"; then
		echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		diff -u "$2" "$1" | head -40 | sed 's/^/#   /'
		_failed=$((_failed + 1))
	fi
}

skip() {	# skip DESCRIPTION REASON
	_n=$((_n + 1))
	echo "ok $_n - $1 # SKIP $2"
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
	exit $?
}
