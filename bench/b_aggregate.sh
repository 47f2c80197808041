#!/bin/sh
# bench/b_aggregate.sh - ct-aggregate's throughput beside jq and Python.
#
# Corpus (ct-sample, fixed seed, cached in $BENCH_DIR): ~300 MB of
# NDJSON, and the same kind of records as an S3-shaped tree of .json.gz.
# Prints ct-aggregate's MB/s and records/s with -j1 and -j2; the same
# counting done by jq and by the plain Python json.loads fold
# (tests/ref/ctref.py) on a 30 MB slice of the same file (they are 10-100
# times slower; rates are per byte, so the ratios hold); and for the gzip
# tree the decompression floor: tools/gzfloor reading and gunzipping every
# file of the tree with libdeflate (1 and 2 threads, names listed
# beforehand, nothing done with the text), and ct-aggregate's time as a
# ratio to it (zcat, one run, for scale).  And a yardstick that carries
# the speed targets' figures to this machine: tools/jsmnfloor, jsmn
# tokenizing every line of the NDJSON file, which takes 0.96 s a GB on
# the machine where the targets were set.
# Best of three runs for ct-aggregate, one for the others; each
# ct-aggregate line also gives its peak resident set (RSS).  Keep it under
# ~3 minutes: BENCH_MB (default 300) sets the corpus size.
set -eu
: "${CT_TOP:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${BENCH_DIR:=$CT_TOP/build/bench}"
: "${CT_BIN:=$CT_TOP/bin}"
: "${CT_OUT:=$CT_TOP/build/default}"
: "${BENCH_MB:=300}"
AGG=$CT_BIN/ct-aggregate
SAMPLE=$CT_OUT/tools/ct-sample
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
mkdir -p "$BENCH_DIR"
ND=$BENCH_DIR/aggregate-${BENCH_MB}M.ndjson
SLICE=$BENCH_DIR/aggregate-slice.ndjson
TREE=$BENCH_DIR/aggregate-s3-${BENCH_MB}M

if [ ! -s "$ND" ]; then
	echo "generating $ND ..."
	"$SAMPLE" --seed 1 --bytes "${BENCH_MB}M" --out "$ND.tmp" && mv "$ND.tmp" "$ND"
fi
if [ ! -s "$SLICE" ] || [ "$SLICE" -ot "$ND" ]; then
	head -c 30000000 "$ND" | sed '$d' >"$SLICE"
fi
if [ ! -d "$TREE" ]; then
	echo "generating $TREE ..."
	rm -rf "$TREE.tmp"
	"$SAMPLE" --seed 2 --bytes "${BENCH_MB}M" --format s3 --out "$TREE.tmp"
	mv "$TREE.tmp" "$TREE"
fi

now() { date +%s%N; }
# secs START END
secs() { echo "$1 $2" | awk '{ printf "%.3f", ($2 - $1) / 1e9 }'; }
# rate BYTES SECONDS -> MB/s
rate() { echo "$1 $2" | awk '{ printf "%.0f", $1 / 1e6 / $2 }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.1f", $1 / $2 }'; }
ratio2() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

# best-of-3 wall time of a command (stdout to /dev/null); the CPU time
# (user + system) of the best run goes to $CPU: on a busy machine the wall
# time says more about the neighbours than about the program.  The peak
# resident set (time(1)'s %M, the largest of the three, in MiB) goes to
# $RSS: what the command needs in memory, whatever the input's size.
best3() {
	b=""
	RSS=0
	for i in 1 2 3; do
		# wall time from the clock in ns (time(1) rounds to 10 ms,
		# a third of a run here); CPU time from time(1)
		b0=$(now)
		/usr/bin/time -f "%e %U %S %M" -o "$BENCH_DIR/.time" "$@" \
		    >/dev/null 2>/dev/null || true
		b1=$(now)
		read -r w u sy m <"$BENCH_DIR/.time"
		m=$(echo "$m" | awk '{ printf "%.0f", $1 / 1024 }')
		[ "$m" -gt "$RSS" ] && RSS=$m
		w=$(secs "$b0" "$b1")
		c=$(echo "$u $sy" | awk '{ printf "%.3f", $1 + $2 }')
		if [ -z "$b" ] || [ "$(echo "$w $b" | awk '{ print ($1 < $2) }')" = 1 ]; then
			b=$w
			CPU=$c
		fi
	done
	echo "$b $CPU $RSS" >"$BENCH_DIR/.best"
}
once() {
	t0=$(now); "$@" >/dev/null 2>&1 || true; t1=$(now)
	secs "$t0" "$t1"
}

bytes=$(wc -c <"$ND")
recs=$("$AGG" -q "$ND" | $PY -c 'import json,sys; print(json.load(sys.stdin)["_metadata"]["statistics"]["records_counted"])')
cat "$ND" >/dev/null	# warm the page cache
echo "NDJSON: $(echo "$bytes" | awk '{ printf "%.0f", $1 / 1e6 }') MB, $recs records (warm page cache, $(nproc) CPUs)"
best3 "$AGG" -j1 "$ND"; read -r t1 c1 m1 <"$BENCH_DIR/.best"
best3 "$AGG" -j2 "$ND"; read -r t2 c2 m2 <"$BENCH_DIR/.best"
best3 sh -c "cat '$ND' | '$AGG' -j2"; read -r tin cin min <"$BENCH_DIR/.best"
r1=$(rate "$bytes" "$t1"); r2=$(rate "$bytes" "$t2"); rin=$(rate "$bytes" "$tin")
echo "  ct-aggregate -j1        ${t1} s  ${r1} MB/s  $(echo "$recs $t1" | awk '{ printf "%.0f", $1 / $2 }') records/s  (CPU ${c1} s: $(rate "$bytes" "$c1") MB/s per CPU-second; peak RSS ${m1} MiB)"
echo "  ct-aggregate -j2        ${t2} s  ${r2} MB/s  $(echo "$recs $t2" | awk '{ printf "%.0f", $1 / $2 }') records/s  (CPU ${c2} s; 1 GB at this rate: $(echo "$bytes $t2" | awk '{ printf "%.2f", 1e9 * $2 / $1 }') s; peak RSS ${m2} MiB)"
echo "  cat | ct-aggregate -j2  ${tin} s  ${rin} MB/s  (standard input, in chunks; CPU ${cin} s; peak RSS ${min} MiB)"
# the targets' yardstick, timed here: jsmn tokenizing every line (best of 3)
JS=""
for i in 1 2 3; do
	j=$("$CT_OUT/tools/jsmnfloor" "$ND" | awk '{ print $1 }')
	if [ -z "$JS" ] || [ "$(echo "$j $JS" | awk '{ print ($1 < $2) }')" = 1 ]; then
		JS=$j
	fi
done
echo "  jsmn, tokenizing only   ${JS} s  $(rate "$bytes" "$JS") MB/s  (1 thread, JSMN_PARENT_LINKS; tools/jsmnfloor)"
echo "    ct-aggregate -j1 is $(ratio2 "$JS" "$t1")x and -j2 $(ratio2 "$JS" "$t2")x as fast as jsmn.  Where jsmn takes 0.96 s"
echo "    for 1 GB (the targets' machine, on which DuckDB takes 1.0 s on two cores), that is"
echo "    $(echo "$JS $t1" | awk '{ printf "%.1f", 1.0417 * $1 / $2 }') GB/s for -j1 and $(echo "$JS $t2" | awk '{ printf "%.2f", 0.96 * $2 / $1 }') s a GB for -j2 (targets: 1 GB/s, 0.5 s)"

sbytes=$(wc -c <"$SLICE")
JQPROG='select(.eventSource and .eventName) | [(.userIdentity.arn // .userIdentity.invokedBy // .userIdentity.accountId // "Unknown"), .eventSource + ":" + .eventName, (.awsRegion // "unknown"), (.sourceIPAddress // "Unknown"), (.userAgent // "Unknown")] | @tsv'
tjq=$(once sh -c "jq -r '$JQPROG' '$SLICE' | sort | uniq -c")
tpy=$(once "$PY" "$CT_TOP/tests/ref/ctref.py" --maps "$SLICE")
rjq=$(rate "$sbytes" "$tjq"); rpy=$(rate "$sbytes" "$tpy")
echo "  on a $(echo "$sbytes" | awk '{ printf "%.0f", $1 / 1e6 }') MB slice:"
echo "  jq (+ sort | uniq -c)   ${tjq} s  ${rjq} MB/s   ct-aggregate -j2 is $(ratio "$r2" "$rjq")x faster, -j1 $(ratio "$r1" "$rjq")x"
echo "  Python json.loads fold  ${tpy} s  ${rpy} MB/s   ct-aggregate -j2 is $(ratio "$r2" "$rpy")x faster, -j1 $(ratio "$r1" "$rpy")x"

gzbytes=$(find "$TREE" -name '*.json.gz' -path '*/CloudTrail/*' -exec cat {} + | wc -c)
rawbytes=$(find "$TREE" -name '*.json.gz' -path '*/CloudTrail/*' -exec cat {} + | gzip -dc | wc -c)
nfiles=$(find "$TREE" -name '*.json.gz' -path '*/CloudTrail/*' | wc -l)
echo "S3 tree: $nfiles .json.gz files, $(echo "$gzbytes" | awk '{ printf "%.0f", $1 / 1e6 }') MB compressed, $(echo "$rawbytes" | awk '{ printf "%.0f", $1 / 1e6 }') MB of JSON"
FLOOR=$CT_OUT/tools/gzfloor
LIST=$BENCH_DIR/.gzlist
find "$TREE" -name '*.json.gz' -path '*/CloudTrail/*' >"$LIST"
# best of three of gzfloor's own timing -> $FL
floor3() {
	FL=""
	for i in 1 2 3; do
		f=$("$FLOOR" -j "$1" <"$LIST" | awk '{ print $1 }')
		if [ -z "$FL" ] || [ "$(echo "$f $FL" | awk '{ print ($1 < $2) }')" = 1 ]; then
			FL=$f
		fi
	done
}
floor3 1; tf1=$FL
floor3 2; tf2=$FL
tz=$(once sh -c "find '$TREE' -name '*.json.gz' -path '*/CloudTrail/*' -exec cat {} + | gzip -dc")
best3 "$AGG" -j1 "$TREE"; read -r tg1 cg1 mg1 <"$BENCH_DIR/.best"
best3 "$AGG" -j2 "$TREE"; read -r tg2 cg2 mg2 <"$BENCH_DIR/.best"
echo "  floor: libdeflate, 1 thread   ${tf1} s  $(rate "$rawbytes" "$tf1") MB/s  (tools/gzfloor: read + gunzip each file)"
echo "  floor: libdeflate, 2 threads  ${tf2} s  $(rate "$rawbytes" "$tf2") MB/s"
echo "  zcat (one run, for scale)     ${tz} s  $(rate "$rawbytes" "$tz") MB/s"
echo "  ct-aggregate -j1        ${tg1} s  $(rate "$rawbytes" "$tg1") MB/s  ($(ratio2 "$tg1" "$tf1")x the 1-thread floor; CPU ${cg1} s; peak RSS ${mg1} MiB)"
echo "  ct-aggregate -j2        ${tg2} s  $(rate "$rawbytes" "$tg2") MB/s  ($(ratio2 "$tg2" "$tf2")x the 2-thread floor, $(ratio2 "$tg2" "$tf1")x the 1-thread one; CPU ${cg2} s; peak RSS ${mg2} MiB)"
echo "    the targets' floor is libdeflate's 0.71 s a GB on one core: at that pace, -j2 takes $(echo "$tg2 $tf1" | awk '{ printf "%.2f", 0.71 * $1 / $2 }') s a GB"
echo "    (target: within 1.3x of the floor: $(echo 0.71 | awk '{ printf "%.2f", 1.3 * $1 }') s; DuckDB there: 3.4 s)"
