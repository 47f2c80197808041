#!/bin/sh
# fuzz/seeds.sh OUT - write the seed corpora of the fuzz targets into
# OUT/<target>/ (make fuzz calls it with build/fuzz/seeds).
#
# Seeds come from the project's own generator (ct-sample, good and
# deliberately broken records, in every envelope), from what ct-aggregate
# writes (summaries), from the small hand-made files in fuzz/seeds/, and,
# when the shared test data is there, from the SigV4 suites' requests.
# Targets that read an option byte first get a seed per option value
# that matters.  Needs build/default (make) for ct-sample and ct-aggregate.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
sample=$top/build/default/tools/ct-sample
agg=$top/bin/ct-aggregate
rm -rf "$out"
for t in aggregate chart checkpoint cliarg creds debugmask fsname ini input json \
    jstr lookup ctlog s3list scan sigv4 summary trails xml digest pubkeys sigfile; do
	mkdir -p "$out/$t"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ct-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# put TARGET NAME OPTBYTE(octal or "") < data
put() {
	if [ -n "$3" ]; then
		{ printf "\\$3"; cat; } >"$out/$1/$2"
	else
		cat >"$out/$1/$2"
	fi
}

# hand-made seeds: fuzz/seeds/<target>/*
for d in "$top"/fuzz/seeds/*/; do
	[ -d "$d" ] || continue
	t=$(basename "$d")
	for f in "$d"*; do
		[ -f "$f" ] && cp "$f" "$out/$t/hand-$(basename "$f")"
	done
done

if [ -x "$sample" ]; then
	for s in 1 2 3 4; do
		for fmt in ndjson records lookup; do
			"$sample" --seed $s --records 4 --format $fmt \
			    --out "$tmp/$fmt$s" 2>/dev/null
		done
		"$sample" --seed $s --records 6 --bad 0.4 \
		    --out "$tmp/bad$s" 2>/dev/null
	done
	for f in "$tmp"/ndjson* "$tmp"/records* "$tmp"/lookup* "$tmp"/bad*; do
		n=$(basename "$f")
		head -c 60000 "$f" | put scan "$n" 000
		head -c 60000 "$f" | put scan "$n-window" 010
		head -c 60000 "$f" | put aggregate "$n-c4" 100
		head -c 60000 "$f" | put aggregate "$n-c25" 220
		head -c 30000 "$f" | put input "$n-wrap" 005
		head -c 30000 "$f" | gzip -c | put input "$n-gz" 000
		head -c 60000 "$f" | put json "$n" ""
	done
	for f in "$tmp"/lookup*; do
		head -n 1 "$f" | put lookup "$(basename "$f")" ""
	done
	# records' strings, as they sit between quotes
	head -n 40 "$tmp/ndjson1" | grep -o '"userAgent": *"[^"]*"' |
	    sed 's/^"userAgent": *"//; s/"$//' | head -n 8 |
	    while IFS= read -r line; do
		i=$((${i:-0} + 1))
		printf '%s' "$line" | put jstr "ua$i" 000
	done
	if [ -x "$agg" ]; then
		for s in 1 2 3; do
			"$agg" -q "$tmp/ndjson$s" "$tmp/bad$s" \
			    >"$tmp/sum$s" 2>/dev/null || true
			put summary "sum$s" "" <"$tmp/sum$s"
			put json "sum$s" "" <"$tmp/sum$s"
		done
	fi
fi

# SigV4 suite requests: "METHOD PATH?QUERY HTTP/1.1", headers, body
suite=$top/../shared/testdata/sigv4/aws4_testsuite
if [ -d "$suite" ]; then
	for r in "$suite"/*/*.req; do
		[ -f "$r" ] || continue
		n=$(basename "$r" .req)
		awk 'NR == 1 {
			m = $1; u = $2; q = "";
			i = index(u, "?"); if (i) { q = substr(u, i + 1); u = substr(u, 1, i - 1) }
			printf "%s\n%s\n%s\n", m, u, q; next }
		{ print }' "$r" | put sigv4 "$n" 040
	done
fi
echo "seeds: $(find "$out" -type f | wc -l) files in $out"
