#!/bin/sh
# bench/b_fetch.sh - ct-fetch throughput against the API's ceiling.
#
# The local emulator enforces the real LookupEvents limit (2 requests per
# second per region, 50 events per page), so the ceiling is 100 events/s
# per region.  Each run fetches about 10 s worth of full pages (20 pages per
# region) in 1 and in 17 regions at once and prints events/s against the
# ceiling, wall clock from start to exit (start-up and the STS call
# included), and the throttles the emulator counted (should be 0).
set -eu
: "${CT_TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${CT_BIN:=$CT_TOP/bin}"
: "${CT_OUT:=$CT_TOP/build/default}"
: "${BENCH_DIR:=$CT_TOP/build/bench}"
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/b_fetch.XXXXXX")
trap 'emu_stop; rm -rf "$T"' EXIT
. "$CT_TOP/tests/emulator/emu.sh"

regions="us-east-1 us-east-2 us-west-1 us-west-2 ca-central-1 sa-east-1
eu-west-1 eu-west-2 eu-west-3 eu-central-1 eu-north-1 ap-south-1
ap-northeast-1 ap-northeast-2 ap-northeast-3 ap-southeast-1 ap-southeast-2"
data=$BENCH_DIR/fetch-data
if [ ! -s "$data/ap-southeast-2.ndjson" ]; then
	mkdir -p "$data"
	seed=100
	for r in $regions; do
		seed=$((seed + 1))
		"$CT_OUT/tools/ct-sample" --records 1000 --seed $seed \
		    --regions $r --start 2026-11-01T00:00:00Z \
		    --end 2026-11-01T23:59:59Z >"$data/$r.ndjson"
	done
fi
emu_start --data-dir "$data" --rate 2 --throttle window >/dev/null

run() {	# run LABEL REGION...
	label=$1; shift
	emu_reset >/dev/null
	t0=$($PY -c 'import time; print(time.time())')
	"$CT_BIN/ct-fetch" -q --start 2026-11-01T00:00:00Z \
	    --end 2026-11-02T00:00:00Z "$@" >"$T/out"
	t1=$($PY -c 'import time; print(time.time())')
	ev=$(grep -vc '"ctFetch"' "$T/out" || true)
	emu_stats >"$T/stats.json"
	$PY - "$label" "$#" "$ev" "$t0" "$t1" "$T/stats.json" <<'PYEOF'
import json, sys
label, n, ev, t0, t1, st = sys.argv[1:]
n, ev, s = int(n), int(ev), float(t1) - float(t0)
regs = json.load(open(st))["regions"].values()
thr = sum(r["throttled"] for r in regs)
# Steady pace per region: requests from the first to the first of the last
# 1 s window (the last 2 are the window's allowance) over their time span.
pace = []
for r in regs:
    t = r["accepted_times"]
    if len(t) > 2:
        pace.append((len(t) - 2) / (t[-2] - t[0]) / 2.0)
ceil = 100.0 * n
print("fetch %-11s %6d events in %5.2f s = %7.1f events/s, ceiling %5.0f "
      "(%.1f%% wall clock; steady pace %.1f%%..%.1f%% of 2 pages/s), "
      "throttled %d" % (label, ev, s, ev / s, ceil, 100 * ev / s / ceil,
                        100 * min(pace), 100 * max(pace), thr))
PYEOF
}
run "1 region" eu-west-1
run "17 regions" $regions
