#!/bin/sh
# bench/b_s3.sh - ct-fetch --s3 against the ideal of a slow S3.
#
# The emulator serves log files (ct-sample --format s3) with a first-byte
# latency of 50 ms on every request, so N transfers at once can reach at
# most N / 0.05 requests per second: the run prints the requests per
# second reached against that ideal (target >= 80%), and ct-fetch's CPU
# seconds per GB of log text against the libdeflate floor of the same
# files (tools/gzfloor, one thread; target <= 1.5x).  CPU figures are the
# least of five runs each, taken in turns (the machine's other work only
# adds, and its pace drifts from minute to minute): ct-fetch
# writing to /dev/null, its own cost, as the floor writes nothing; and
# into a pipe, plus what the kernel charges it to copy the text there.
# Two corpora:
#   small  about 2,000 files of ~14 KB of text (4 regions, 4 days): the
#          cost of a request (listing, signing, connection, a small
#          inflate) dominates, and the per-GB figure says so;
#   large  about 100 files of ~2 MB of text (one region, 17 hours), the
#          size of a busy account's files: the per-GB figure is the cost
#          of the text itself, what the target is about.
#
# Then --verify: the emulator's trail bucket of a busy region's day (hourly
# digests signed with RSA), no latency; ct-fetch's CPU seconds with and
# without --verify (the least of three runs each), and the floor of what
# --verify must add: OpenSSL's SHA-256 over the same log files' text
# (gzfloor -s, measured in the same run).  Target: added CPU <= 1.2 x
# floor + 50 ms.
set -eu
: "${CT_TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${CT_BIN:=$CT_TOP/bin}"
: "${CT_OUT:=$CT_TOP/build/default}"
: "${BENCH_DIR:=$CT_TOP/build/bench}"
PY=/usr/bin/python3
T=$(mktemp -d "${TMPDIR:-/tmp}/b_s3.XXXXXX")
trap 'emu_stop; rm -rf "$T"' EXIT
. "$CT_TOP/tests/emulator/emu.sh"

LAT=0.05
CONC=${B_S3_CONCURRENCY:-32}

# With two CPUs or more, what is measured (ct-fetch, the floor) runs on the
# first and the emulator and the pipe's reader on the last: S3 is another
# machine, and its work sharing ct-fetch's core would be counted as
# ct-fetch's own through the caches, not through its CPU time.  Runs vary
# less so.  pin_other PID puts a started process on the last CPU.
NCPU=$(nproc 2>/dev/null || echo 1)
if [ "$NCPU" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
	taskset -cp 0 $$ >/dev/null
	B_S3_OTHER_CPU=$((NCPU - 1))
	pin_other() { taskset -a -cp "$B_S3_OTHER_CPU" "$1" >/dev/null; }
else
	B_S3_OTHER_CPU=
	pin_other() { :; }
fi
export B_S3_OTHER_CPU

# run_corpus NAME DIR REGIONS START END -- CT-SAMPLE OPTIONS...
run_corpus() {
	name=$1 data=$2 regions=$3 start=$4 end=$5
	shift 6
	if [ ! -d "$data/AWSLogs" ]; then
		mkdir -p "$data"
		"$CT_OUT/tools/ct-sample" --format s3 --out "$data" \
		    --regions "$(echo $regions | tr ' ' ,)" "$@"
	fi
	find "$data/AWSLogs" -path '*/CloudTrail/*' -name '*.json.gz' \
	    >"$T/list"
	nfiles=$(wc -l <"$T/list")
	emu_start --s3-dir "ctbench=$data" --s3-latency $LAT >/dev/null
	pin_other "$EMU_PID"
	emu_reset >/dev/null

	fetch() {
		/usr/bin/time -f '%e %U %S' -o "$T/time" "$CT_BIN/ct-fetch" \
		    -q --s3 s3://ctbench --s3-concurrency "$CONC" \
		    --start "$start" --end "$end" $regions
	}
	fetch >"$T/out"
	cp "$T/time" "$T/time0"
	events=$(grep -vc '^{"ctFetch"' "$T/out" || true)
	emu_req GET '/_emu/s3?bucket=ctbench' >"$T/s3.json"
	# in turns, five times: the floor, then ct-fetch's user+sys seconds
	# from wait4(2) (microseconds, where time(1) rounds to 10 ms) to
	# /dev/null and into a pipe to cat(1), so that the least of each
	# comes from the same minutes of a machine whose pace drifts
	$PY - "$T/cpu" "$T/floor" "$CT_OUT/tools/gzfloor" "$T/list" \
	    "$CT_BIN/ct-fetch" -q --s3 s3://ctbench \
	    --s3-concurrency "$CONC" --start "$start" --end "$end" \
	    $regions <<'PYEOF'
import os, subprocess, sys
out, floor, gzfloor, names, argv = sys.argv[1:5] + [sys.argv[5:]]
def cpu(pipe):
    if pipe:
        p = subprocess.Popen(argv, stdout=subprocess.PIPE)
        other = os.environ.get("B_S3_OTHER_CPU")
        c = subprocess.Popen((["taskset", "-c", other] if other else []) +
                             ["cat"], stdin=p.stdout,
                             stdout=subprocess.DEVNULL)
        p.stdout.close()
    else:
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, st, ru = os.wait4(p.pid, 0)
    p.returncode = 0
    if pipe:
        c.wait()
    return ru.ru_utime + ru.ru_stime
with open(out, "w") as f, open(floor, "w") as ff:
    for i in range(5):
        with open(names) as inp:
            ff.write(subprocess.run([gzfloor, "-j", "1"], stdin=inp,
                                    stdout=subprocess.PIPE, check=True,
                                    text=True).stdout)
        f.write("null 0 %.6f 0\n" % cpu(False))
        f.write("pipe 0 %.6f 0\n" % cpu(True))
PYEOF
	emu_stop
	$PY - "$name" "$T/time0" "$T/cpu" "$T/floor" "$T/s3.json" "$nfiles" \
	    "$events" "$CONC" "$LAT" <<'PYEOF'
import json, sys
name, tf, cf, ff, sf, nfiles, events, conc, lat = sys.argv[1:]
wall = float(open(tf).read().split()[-3])
cpu = {}
for line in open(cf):
    k, _w, u, s = line.split()
    cpu[k] = min(cpu.get(k, 1e9), float(u) + float(s))
floors = [l.split() for l in open(ff)]
fs = min(float(f[0]) for f in floors)
fout = int(floors[0][3])
st = json.load(open(sf))
gets = sum(o["gets"] for o in st["buckets"]["ctbench"]["objects"].values())
reqs = sum(st["requests"].values())
ideal = int(conc) / float(lat)
rate = reqs / wall
gb = fout / 1e9
floor = fs / gb
print("s3 %s: %d log files (%d fetched, %d requests, %d events, %.0f KB "
      "of text each) in %.2f s: %.0f requests/s, ideal %.0f (%d at once / "
      "%.0f ms): %.1f%% (target 80%%)" % (name, int(nfiles), gets, reqs,
                                          int(events),
                                          fout / 1e3 / max(1, gets), wall,
                                          rate, ideal, int(conc),
                                          float(lat) * 1000,
                                          100 * rate / ideal))
for k, what in (("null", "to /dev/null"), ("pipe", "into a pipe ")):
    print("s3 %s: CPU %s %.3f s for %.1f MB of log text: %.2f s/GB, "
          "libdeflate floor %.2f s/GB: %.2fx (target 1.5x)" % (
              name, what, cpu[k], fout / 1e6, cpu[k] / gb, floor,
              cpu[k] / gb / floor))
PYEOF
}

run_corpus small "$BENCH_DIR/s3-data" \
    "us-east-1 eu-west-1 eu-central-1 ap-south-1" \
    2026-09-30T00:00:00Z 2026-10-06T00:00:00Z -- \
    --records 20000 --seed 31 \
    --start 2026-10-01T00:00:00Z --end 2026-10-05T00:00:00Z
run_corpus large "$BENCH_DIR/s3-data-large" us-east-1 \
    2026-09-30T00:00:00Z 2026-10-03T00:00:00Z -- \
    --records 140000 --seed 32 \
    --start 2026-10-01T00:00:00Z --end 2026-10-01T17:00:00Z

# ---- --verify ---------------------------------------------------------------
# A busy region's day: 60,000 records, so log files of a few hundred KB
# (the trail's 5-minute batches) and 24 hourly digests, the proportion of
# digests to text a real trail has.
vdata=$BENCH_DIR/s3-verify-day
regions=us-east-1
if [ ! -d "$vdata" ]; then
	mkdir -p "$vdata"
	"$CT_OUT/tools/ct-sample" --records 60000 --seed 32 --regions $regions \
	    --start 2026-10-01T00:00:00Z --end 2026-10-02T00:00:00Z \
	    >"$vdata/$regions.ndjson"
fi
emu_start --data-dir "$vdata" --trail ctverify >/dev/null
pin_other "$EMU_PID"
vwin="--start 2026-10-01T00:00:00Z --end 2026-10-01T23:59:59Z"
cpu() {	# cpu ARGS...: the least user+sys seconds of three ct-fetch runs
	for i in 1 2 3; do
		/usr/bin/time -f '%U %S' -o "$T/vt" "$CT_BIN/ct-fetch" -q \
		    --trail --s3-concurrency "$CONC" $vwin "$@" $regions \
		    >"$T/vout" || [ $? -eq 7 ]
		awk '{ print $1 + $2 }' "$T/vt"
	done | sort -n | head -n 1
}
plain=$(cpu)
verify=$(cpu --verify)
grep '"ctFetch":"verified"' "$T/vout" >"$T/verified"
# the log files' bytes as stored, for the floor
mkdir -p "$T/objs"
emu_req GET '/_emu/s3?bucket=ctverify' >"$T/vs3.json"
$PY - "$EMU_URL" "$T/vs3.json" "$T/objs" >"$T/vlist" <<'PYEOF'
import json, os, sys, urllib.parse, urllib.request
url, sf, out = sys.argv[1:]
objs = json.load(open(sf))["buckets"]["ctverify"]["objects"]
for i, key in enumerate(sorted(objs)):
    if "/CloudTrail/" not in key or "_CloudTrail_" not in key:
        continue
    q = urllib.parse.urlencode({"bucket": "ctverify", "key": key})
    p = os.path.join(out, "%06d.json.gz" % i)
    with open(p, "wb") as f:
        f.write(urllib.request.urlopen(url + "/_emu/s3/object?" + q).read())
    print(p)
PYEOF
"$CT_OUT/tools/gzfloor" -s -j 1 <"$T/vlist" >"$T/vfloor"
$PY - "$plain" "$verify" "$T/vfloor" "$T/verified" <<'PYEOF'
import json, sys
plain, verify = float(sys.argv[1]), float(sys.argv[2])
_s, files, _i, out, sha = open(sys.argv[3]).read().split()[:5]
sha = float(sha)
logs = digests = 0
for line in open(sys.argv[4]):
    v = json.loads(line)
    logs += sum(v["logFiles"].values())
    digests += sum(v["digests"].values())
added = verify - plain
target = 1.2 * sha + 0.05
print("s3 --verify: %d log files (%.1f MB of text), %d digests: CPU %.2f s "
      "vs %.2f s without, added %.3f s; SHA-256 floor %.3f s: target "
      "<= %.3f s (%s)" % (logs, int(out) / 1e6, digests, verify, plain,
                          added, sha, target,
                          "met" if added <= target else "missed"))
PYEOF
