#!/bin/sh
# tests/security/valgrind.sh - make check-valgrind: the end-to-end tests
# with every ct-* program run under valgrind memcheck.
#
# CT_BIN points at a folder of wrappers that exec valgrind on the real
# programs (bin/), each process logging to its own file; the tests run as
# usual (tests/run), then every log must be clean: no invalid access, no
# uninitialised use, nothing definitely or indirectly lost.  A wrapper
# exits 99 on a memcheck error, so a test also fails where it happened.
# VALGRIND_TESTS overrides the list of tests.  Left out by default:
# tests that depend on timing (signals after a delay, pacing, timeouts:
# fetch/t_cli, t_resume, t_pacing, aggregate/t_jobs), that close stdout
# (security/t_diskfull: valgrind's own log would take the descriptor),
# that look at the binaries (t_hardening), and aggregate/t_ref (10 minutes
# under valgrind; add it with VALGRIND_TESTS for a full run).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
	echo "check-valgrind: valgrind not installed (apt-get install valgrind)"
	exit 1
fi
work=$top/build/valgrind
rm -rf "$work"
mkdir -p "$work/bin" "$work/logs"
for p in ct-aggregate ct-regions ct-fetch ct-plot; do
	[ -x "$top/bin/$p" ] || continue
	cat >"$work/bin/$p" <<EOW
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --show-leak-kinds=definite,indirect \\
    --errors-for-leak-kinds=definite,indirect --track-origins=yes \\
    --log-file="$work/logs/$p.%p.log" "$top/bin/$p" "\$@"
EOW
	chmod +x "$work/bin/$p"
done
t=$top/tests
: "${VALGRIND_TESTS:=$(ls $t/aggregate/t_bad $t/aggregate/t_merge \
    $t/aggregate/t_options $t/aggregate/t_shapes $t/plot/t_* $t/regions/t_* \
    $t/fetch/t_denied $t/fetch/t_pipeline $t/security/t_secrets \
    2>/dev/null | tr '\n' ' ')}"
CT_BIN=$work/bin CT_OUT=$top/build/default CT_VARIANT=valgrind \
    TESTS=$VALGRIND_TESTS sh "$top/tests/run"
rc=$?
bad=0
for l in "$work"/logs/*.log; do
	[ -e "$l" ] || continue
	if [ -s "$l" ]; then
		echo "---- valgrind: $(basename "$l")"
		head -60 "$l"
		bad=$((bad + 1))
	fi
done
n=$(ls "$work"/logs | wc -l)
echo "valgrind: $n processes checked, $bad with memcheck errors"
[ "$rc" -eq 0 ] && [ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
