# tests/scale/scale.sh - what the sharding tests share; sourced after lib.sh.
#
#	scale_setup          data for two accounts and two regions, with
#	                     records on the seconds where shards meet, and the
#	                     emulator serving them as an organization trail's
#	                     bucket (AWS_* variables point at it)
#	one_run OUT          the single-machine summary of the window
#	comparable SUMMARY   the summary without what differs by design
#	                     between one run and merged shards (see below)
#	tiles SUMMARY        per account and region, the shards' fetches in
#	                     time order: a word each, "ok" when each is complete, the first
#	                     starts at the window's start, each starts one
#	                     second after the one before ends, the last ends
#	                     at the window's end
. "$CT_TOP/tests/fetch/fetch.sh"
REGS="eu-west-1 us-east-1"
ACC1=123456789012
ACC2=210987654321
S_START=2026-10-31T13:30:00Z
S_END=2026-11-02T00:00:00Z
SWIN="--start $S_START --end $S_END"

# One record of $1's data at each time given, new event ids: the seconds
# where day shards meet, the window's ends, and one second past each end.
edges() {
	f=$1; shift
	for t in "$@"; do
		head -n 1 "$f" | jq -c --arg t "$t" \
		    '.eventTime = $t | .eventID = "edge-" + $t |
		     .eventName = "EdgeOf" + ($t | gsub("[-:TZ]"; ""))'
	done >>"$f"
}

scale_setup() {
	mkdata eu-west-1 300 93
	mkdata us-east-1 200 94
	mkdir -p "$T/data2"
	"$SAMPLE" --records 250 --seed 95 --regions eu-west-1,us-east-1 \
	    --start "$D_START" --end "$D_END" >"$T/all2.ndjson"
	for r in $REGS; do
		jq -c --arg r "$r" 'select(.awsRegion == $r)' "$T/all2.ndjson" \
		    >"$T/data2/$r.ndjson"
	done
	for f in "$T/data/eu-west-1.ndjson" "$T/data2/us-east-1.ndjson"; do
		edges "$f" 2026-10-31T13:29:59Z 2026-10-31T13:30:00Z \
		    2026-10-31T23:59:59Z 2026-11-01T00:00:00Z \
		    2026-11-01T23:59:59Z 2026-11-02T00:00:00Z \
		    2026-11-02T00:00:01Z
	done
	start_emu
	emu_config "{\"accounts\": {\"$ACC2\": {\"data_dir\": \"$T/data2\"}},
	    \"s3\": {\"trail\": {\"bucket\": \"ctlogs\",
	    \"organization\": true}}}" >/dev/null
}

one_run() {
	ct-fetch -q --trail $SWIN $REGS | ct-aggregate -q >"$1"
}

# Differ by design: the invocation and its time, the files and summaries
# read, and the fetches (one per shard instead of one per account and
# region: `tiles` checks them).
comparable() {
	jq -S 'del(._metadata.invocation, ._metadata.run_timestamp,
	    ._metadata.statistics.files_read,
	    ._metadata.statistics.summaries_merged, ._metadata.fetches)' "$1"
}

tiles() {
	jq -r --arg s "${S_START%Z}" --arg e "${S_END%Z}" '
	    def ts: strptime("%Y%m%d%H%M%S") | mktime;
	    def iso: strptime("%Y-%m-%dT%H:%M:%S") | mktime;
	    ._metadata.fetches | group_by([.account_id, .region]) |
	    map(sort_by(.from_timestamp) | . as $f |
	        ($f | all(.status == "complete")) and
	        ($f[0].from_timestamp | ts) == ($s | iso) and
	        ($f[-1].to_timestamp | ts) == ($e | iso) and
	        ([range(1; $f | length) | ($f[.].from_timestamp | ts) ==
	          ($f[. - 1].to_timestamp | ts) + 1] | all)) |
	    map(if . then "ok" else "not-tiled" end) | join(" ")' "$1"
}
