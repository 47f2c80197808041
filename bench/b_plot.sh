#!/bin/sh
# bench/b_plot.sh - ct-plot on a summary with 1,000 principals, beside
# matplotlib drawing the same charts the Python tool's way.
#
# The summary is synthetic and deterministic (bench/gen_summary.py).  The
# full matplotlib run takes many minutes, so by default it draws the first
# $PLOT_MPL_SAMPLE charts (30) and the per-chart time is scaled to the full
# set (printed as "estimated"); PLOT_MPL_FULL=1 draws them all.
set -eu
: "${BENCH_DIR:=${CT_TOP:-.}/build/bench}"
: "${CT_BIN:=${CT_TOP:-.}/bin}"
: "${PLOT_MPL_SAMPLE:=30}"
top=$(cd "$(dirname "$0")/.." && pwd)
calc() { awk "BEGIN { print $1 }"; }	# arithmetic without bc
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
sum="$BENCH_DIR/plot_1000_principals.json"
[ -s "$sum" ] || "$PY" "$top/bench/gen_summary.py" --principals 1000 --seed 1 >"$sum"
out="$BENCH_DIR/plot_out"
rm -rf "$out"
t0=$(date +%s.%N)
"$CT_BIN/ct-plot" -o "$out" "$sum"
t1=$(date +%s.%N)
charts=$(find "$out" -name '*.png' | wc -l)
ours=$(calc "$t1 - $t0")
printf 'ct-plot:    %d charts in %.2f s (%.2f ms a chart, %d CPUs, load %s)\n' \
    "$charts" "$ours" "$(calc "$ours * 1000 / $charts")" "$(nproc)" \
    "$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
if [ -x /usr/bin/time ]; then
	rm -rf "$out"
	/usr/bin/time -f '%U %S' -o "$BENCH_DIR/plot_time" "$CT_BIN/ct-plot" -o "$out" "$sum"
	cpu=$(awk '{print $1 + $2}' "$BENCH_DIR/plot_time")
	printf '            %.2f s of CPU (%.2f ms a chart)\n' "$cpu" \
	    "$(calc "$cpu * 1000 / $charts")"
fi
if "$PY" -c 'import matplotlib' 2>/dev/null; then
	mpl="$BENCH_DIR/plot_mpl"
	rm -rf "$mpl"
	if [ "${PLOT_MPL_FULL:-0}" = 1 ]; then
		set -- $("$PY" "$top/bench/plot_matplotlib.py" "$sum" "$mpl")
		est=""
	else
		set -- $("$PY" "$top/bench/plot_matplotlib.py" "$sum" "$mpl" "$PLOT_MPL_SAMPLE")
		est=" (estimated from $2)"
	fi
	per=$(calc "$4 / $2")
	full=$(calc "$per * $charts")
	printf 'matplotlib: %d charts in %.1f s%s (%.0f ms a chart, one process)\n' \
	    "$charts" "$full" "$est" "$(calc "$per * 1000")"
	printf 'ratio:      ct-plot is %.0fx faster\n' "$(calc "$full / $ours")"
	rm -rf "$mpl"
else
	echo "matplotlib: not installed (Debian: python3-matplotlib), no comparison"
fi
rm -rf "$out"
