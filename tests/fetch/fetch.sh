# tests/fetch/fetch.sh - what the ct-fetch tests share; sourced after lib.sh.
#
#	mkdata REGION COUNT SEED     $T/data/REGION.ndjson: COUNT records spread
#	                             over $D_START..$D_END (twice the window, so
#	                             the window cuts the data)
#	check_out OUT...             every event of the window in $T/data exactly
#	                             once in the concatenation of OUT... (check.py)
#	endrec OUT REGION            the region's last end record, compact JSON
#	start_emu ARGS...            the emulator on $T/data, exits on failure
. "$CT_TOP/tests/emulator/emu.sh"
: "${CT_OUT:=$CT_TOP/build/default}"
SAMPLE=$CT_OUT/tools/ct-sample
[ -x "$SAMPLE" ] || SAMPLE=$CT_TOP/build/default/tools/ct-sample
W_START=2026-11-01T00:00:00Z
W_END=2026-11-02T00:00:00Z
D_START=2026-10-31T12:00:00Z
D_END=2026-11-02T12:00:00Z
E_START=1793491200	# $W_START
E_END=1793577600	# $W_END
WIN="--start $W_START --end $W_END"
mkdir -p "$T/data"

mkdata() {
	"$SAMPLE" --records "$2" --seed "$3" --regions "$1" \
	    --start "$D_START" --end "$D_END" >"$T/data/$1.ndjson"
}

check_out() {
	"$PY" "$CT_TOP/tests/fetch/check.py" --data "$T/data" \
	    --start "$E_START" --end "$E_END" ${REGIONS:+--regions $REGIONS} "$@"
}

endrec() {
	grep '"ctFetch":"end"' "$1" | jq -c "select(.region == \"$2\")" |
	    tail -n 1
}

start_emu() {
	emu_start --data-dir "$T/data" "$@" || { echo "not ok - emulator"; \
	    exit 1; }
}

now() { "$PY" -c 'import time; print("%.3f" % time.time())'; }
