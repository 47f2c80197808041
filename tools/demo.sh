#!/bin/sh
# tools/demo.sh - `make demo`: the main job on the project's own sample data.
#
# Generates a deterministic set of made-up CloudTrail records with
# ct-sample (sample/; no AWS account needed), summarises them with
# ct-aggregate, charts the summary with ct-plot when it is built, and
# prints where the results are.  Two ways to get the records:
#
#   emulator  the real pipeline, ct-regions | xargs ct-fetch | ct-aggregate,
#             against the local AWS emulator (tests/emulator) serving the
#             sample records; used when ct-regions, ct-fetch and the
#             emulator are all there.  Then the same window again from the
#             emulator's trail bucket (ct-fetch --trail: the log files a
#             trail delivers to S3, made from the same records), checking
#             that both sources give the same counts.
#   archive   ct-aggregate on an S3 archive tree (what `aws s3 sync` of a
#             trail bucket gives) and on the same records as an NDJSON
#             stream, checking that both give the same counts.
#
# Environment: DEMO_DIR (default out/demo), DEMO_MODE (auto, emulator or
# archive; auto tries the emulator and falls back to the archive),
# DEMO_RECORDS (default 5000), DEMO_SEED (default 2026), CT_BIN, CT_OUT.
# Exit status 0 when a summary was written, 1 otherwise.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${DEMO_DIR:=$top/out/demo}"
: "${DEMO_MODE:=auto}"
: "${DEMO_RECORDS:=5000}"
: "${DEMO_SEED:=2026}"
: "${CT_BIN:=$top/bin}"
: "${CT_OUT:=$top/build/default}"
SAMPLE=$CT_OUT/tools/ct-sample
ACCOUNT=123456789012
# The sample's time window: fixed, so the data is the same on every run.
START=2026-10-18T00:00:00Z
END=2026-11-01T00:00:00Z
# The emulator answers LookupEvents at this rate (AWS: 2/s per region);
# raised so that the demo takes seconds, and ct-fetch is told the same.
RATE=25

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[ -x "$SAMPLE" ] || die "$SAMPLE is not built (run make)"
[ -x "$CT_BIN/ct-aggregate" ] || die "$CT_BIN/ct-aggregate is not built (run make)"
case $DEMO_MODE in
auto|emulator|archive) ;;
*) die "DEMO_MODE must be auto, emulator or archive" ;;
esac

mkdir -p "$DEMO_DIR" || die "cannot create $DEMO_DIR"
DEMO_DIR=$(cd "$DEMO_DIR" && pwd)
data=$DEMO_DIR/data
T=$(mktemp -d "${TMPDIR:-/tmp}/ct-demo.XXXXXX") || die "mktemp failed"
_cleanup=:
cleanup_add() { _cleanup="$1; $_cleanup"; }	# used by emu.sh
trap 'eval "$_cleanup"; rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

stamp=$(date -u +%Y%m%d%H%M%S)
summary=$DEMO_DIR/account_activity_${ACCOUNT}_$stamp.json
t0=$(date +%s)

gen() {	# gen ARGS...: ct-sample with the demo's seed, size and window
	"$SAMPLE" --seed "$DEMO_SEED" --records "$DEMO_RECORDS" \
	    --account "$ACCOUNT" --start "$START" --end "$END" "$@"
}

# same_maps A B: the two summaries have the same five maps (true without
# jq: nothing to compare with)
same_maps() {
	command -v jq >/dev/null 2>&1 || return 0
	maps='{api_calls_by_principal, api_calls_by_region,
	    ip_addresses_by_principal, user_agents_by_principal,
	    error_codes_by_principal}'
	jq -S "$maps" "$1" >"$T/a" && jq -S "$maps" "$2" >"$T/b" &&
	    cmp -s "$T/a" "$T/b"
}

run_emulator() {
	[ -x "$CT_BIN/ct-regions" ] && [ -x "$CT_BIN/ct-fetch" ] &&
	    [ -f "$top/tests/emulator/emu.sh" ] || return 2
	say "generating $DEMO_RECORDS sample events, one file per region, in $data/regions"
	rm -rf "$data/regions"
	gen --per-region "$data/regions" || return 1
	PY=/usr/bin/python3
	CT_TOP=$top
	. "$top/tests/emulator/emu.sh"
	say "starting the local AWS emulator"
	emu_start --data-dir "$data/regions" --rate "$RATE" \
	    --trail ct-demo-trail-logs || return 1
	say "running: ct-regions | xargs ct-fetch | ct-aggregate  (emulator at $EMU_URL)"
	"$CT_BIN/ct-regions" >"$T/regions" 2>"$T/regions.err" || {
		cat "$T/regions.err" >&2; return 1; }
	xargs "$CT_BIN/ct-fetch" --start "$START" --end "$END" \
	    --rate "$RATE" <"$T/regions" 2>"$T/fetch.err" |
	    "$CT_BIN/ct-aggregate" -o "$summary" 2>"$T/agg.err"
	rc=$?
	if [ -s "$T/fetch.err" ] || [ -s "$T/agg.err" ]; then
		cat "$T/fetch.err" "$T/agg.err" | head -20 >&2
	fi
	[ "$rc" -eq 0 ] && [ -s "$summary" ] || {
		emu_stop; rm -f "$summary"; return 1; }
	say "$(wc -l <"$T/regions" | tr -d ' ') regions fetched"
	say "running: ct-regions | xargs ct-fetch --trail | ct-aggregate  (the trail's bucket)"
	xargs "$CT_BIN/ct-fetch" -q --trail --start "$START" --end "$END" \
	    <"$T/regions" 2>"$T/trail.err" |
	    "$CT_BIN/ct-aggregate" -q >"$T/trail.json" 2>>"$T/trail.err"
	rc=$?
	emu_stop
	if [ "$rc" -ne 0 ] || [ -s "$T/trail.err" ]; then
		head -20 "$T/trail.err" >&2
		say "WARNING: the trail's bucket could not be read"
	else
		same_maps "$summary" "$T/trail.json" &&
		    say "LookupEvents and the trail's bucket give the same counts" ||
		    say "WARNING: LookupEvents and the trail's bucket disagree"
	fi
	return 0
}

run_archive() {
	say "generating $DEMO_RECORDS sample events as an S3 archive in $data/s3"
	rm -rf "$data/s3" "$data/events.ndjson"
	gen --format s3 --out "$data/s3" || return 1
	gen >"$data/events.ndjson" || return 1
	say "running: ct-aggregate $data/s3"
	"$CT_BIN/ct-aggregate" -o "$summary" "$data/s3" || {
		rm -f "$summary"; return 1; }
	say "running: ct-aggregate < $data/events.ndjson (the same events as a stream)"
	"$CT_BIN/ct-aggregate" <"$data/events.ndjson" >"$T/stream.json" ||
		return 1
	same_maps "$summary" "$T/stream.json" &&
	    say "the archive and the stream give the same counts" ||
	    say "WARNING: the archive and the stream disagree"
	return 0
}

mode=$DEMO_MODE
if [ "$mode" != archive ]; then
	run_emulator
	rc=$?
	case $rc in
	0) mode=emulator ;;
	2) [ "$mode" = emulator ] && die "the emulator pipeline needs bin/ct-regions, bin/ct-fetch and tests/emulator"
	   mode=archive ;;
	*) [ "$mode" = emulator ] && die "the emulator pipeline failed"
	   say "the emulator pipeline failed; using the S3 archive instead"
	   mode=archive ;;
	esac
fi
if [ "$mode" = archive ]; then
	run_archive || die "ct-aggregate failed"
fi

plots=""
if [ -x "$CT_BIN/ct-plot" ]; then
	say "running: ct-plot $summary"
	if "$CT_BIN/ct-plot" "$summary" >"$T/plot.out" 2>&1; then
		plots=${summary%.json}_plots
	else
		sed 's/^/  /' "$T/plot.out" >&2
		say "ct-plot failed; the summary is still there"
	fi
fi

t1=$(date +%s)
echo
say "done in $((t1 - t0)) s ($mode)"
if command -v jq >/dev/null 2>&1; then
	echo "Busiest principals (API calls):"
	jq -r '.api_calls_by_principal | to_entries
	    | map([(.value | add), .key]) | sort_by(-.[0]) | .[:5][]
	    | "  \(.[0])\t\(.[1])"' "$summary" 2>/dev/null
fi
echo "Summary: $summary"
[ -n "$plots" ] && [ -d "$plots" ] && echo "Charts:  $plots/"
exit 0
