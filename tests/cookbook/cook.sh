# tests/cookbook/cook.sh - what the cookbook tests share; sourced after lib.sh.
#
#	recipe NAME          the first code block after "<!-- recipe: NAME -->"
#	                     in README.md, on stdout (the test runs it as is)
#	run_recipe NAME DIR  run it with sh in DIR (created); status in $rc,
#	                     output in DIR.out, DIR.err
#	maps FILE            the five maps of a summary, sorted (jq -S)
#	refmaps ARGS...      the reference fold's five maps (tests/ref/ctref.py)
: "${CT_OUT:=$CT_TOP/build/default}"
SAMPLE=$CT_OUT/tools/ct-sample
[ -x "$SAMPLE" ] || SAMPLE=$CT_TOP/build/default/tools/ct-sample
REF=$CT_TOP/tests/ref/ctref.py

recipe() {
	awk -v name="$1" '
	    $0 == "<!-- recipe: " name " -->" { want = 1; next }
	    want && /^```/ { if (inblock) exit; inblock = 1; next }
	    inblock { print }' "$CT_TOP/README.md"
}

run_recipe() {
	recipe "$1" >"$T/recipe.$1.sh"
	[ -s "$T/recipe.$1.sh" ] || { echo "# no recipe $1 in README.md"; rc=99; return; }
	mkdir -p "$2"
	(cd "$2" && . "$T/recipe.$1.sh") >"$2.out" 2>"$2.err"
	rc=$?
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$2.err" | head -20
}

maps() {
	jq -S '{api_calls_by_principal, api_calls_by_region,
	    ip_addresses_by_principal, user_agents_by_principal,
	    error_codes_by_principal}' "$1"
}

refmaps() { "$PY" "$REF" --maps "$@" | jq -S .; }

iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
