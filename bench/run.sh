#!/bin/sh
# bench/run.sh - `make bench`: run every bench/b_*.sh in turn.
# Each prints its own figures; corpora are generated under $BENCH_DIR
# (default build/bench), deterministic and reused when already there.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
: "${BENCH_DIR:=$top/build/bench}"
export BENCH_DIR CT_TOP="$top" CT_BIN="${CT_BIN:-$top/bin}" CT_OUT="${CT_OUT:-$top/build/default}"
mkdir -p "$BENCH_DIR"
for b in "$top"/bench/b_*.sh; do
	[ -e "$b" ] || continue
	echo "== $(basename "$b" .sh)"
	sh "$b"
done
