# tests/emulator/emu.sh - the local AWS emulator for shell tests; sourced.
#
#	. "$(dirname "$0")/../lib.sh"
#	. "$CT_TOP/tests/emulator/emu.sh"
#	emu_start [--config FILE] [awsemu.py options...] || exit 1
#	... run tools against it (AWS_* variables point at it) ...
#	emu_stats eu-west-1 | jq .accepted
#
# emu_start runs tests/emulator/awsemu.py in the background on a free
# loopback port, waits (at most 10 s) until it listens, and exports:
#	EMU_URL EMU_PORT EMU_PID EMU_DIR
#	AWS_ENDPOINT_URL=$EMU_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
#	(AWS_SESSION_TOKEN if the first configured key has one)
#	AWS_REGION=AWS_DEFAULT_REGION=us-east-1
#	AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: empty files in $EMU_DIR
# and clears every other AWS_* variable that could send a tool elsewhere
# (profiles, per-service endpoints, container/web-identity credentials,
# CA bundle, retry settings) and the proxy variables.  The emulator stops
# at exit (cleanup_add from lib.sh), on emu_stop, and by itself when the
# test script's process is gone (--parent), so nothing is left running.
# Only one emulator per script at a time.
# emu_awscli and emu_validate_logs (at the end) run the real AWS CLI's
# `cloudtrail validate-logs` against it and list its per-object verdicts.

EMU_TOP=${CT_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
EMU_PY=${PY:-/usr/bin/python3}
EMU_PID=

emu_start() {
	emu_stop
	EMU_DIR=$T/emu
	mkdir -p "$EMU_DIR" || return 1
	rm -f "$EMU_DIR/env"
	: >"$EMU_DIR/aws_config"
	: >"$EMU_DIR/aws_credentials"
	"$EMU_PY" "$EMU_TOP/tests/emulator/awsemu.py" --parent $$ \
	    --env-file "$EMU_DIR/env" "$@" >"$EMU_DIR/log" 2>&1 &
	EMU_PID=$!
	if command -v cleanup_add >/dev/null 2>&1; then
		case ${_emu_cleanup:-} in
		'') cleanup_add emu_stop; _emu_cleanup=1 ;;
		esac
	else
		trap 'emu_stop; rm -rf "$T"' EXIT
	fi
	_i=0
	while [ ! -s "$EMU_DIR/env" ]; do
		if ! kill -0 "$EMU_PID" 2>/dev/null; then
			echo "# emu_start: the emulator exited:"
			sed 's/^/#   /' "$EMU_DIR/log"
			EMU_PID=
			return 1
		fi
		_i=$((_i + 1))
		if [ "$_i" -gt 400 ]; then
			echo "# emu_start: the emulator did not start in 10 s"
			emu_stop
			return 1
		fi
		sleep 0.025
	done
	. "$EMU_DIR/env"
	unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN \
	    AWS_SECURITY_TOKEN AWS_ENDPOINT_URL_STS AWS_ENDPOINT_URL_EC2 \
	    AWS_ENDPOINT_URL_CLOUDTRAIL AWS_IGNORE_CONFIGURED_ENDPOINT_URLS \
	    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI \
	    AWS_CONTAINER_CREDENTIALS_FULL_URI \
	    AWS_CONTAINER_AUTHORIZATION_TOKEN \
	    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \
	    AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN AWS_ROLE_SESSION_NAME \
	    AWS_CA_BUNDLE AWS_MAX_ATTEMPTS AWS_RETRY_MODE \
	    AWS_USE_FIPS_ENDPOINT AWS_EC2_METADATA_SERVICE_ENDPOINT \
	    http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
	AWS_ENDPOINT_URL=$EMU_URL
	AWS_ACCESS_KEY_ID=$EMU_KEY_ID
	AWS_SECRET_ACCESS_KEY=$EMU_SECRET
	AWS_REGION=us-east-1
	AWS_DEFAULT_REGION=us-east-1
	AWS_CONFIG_FILE=$EMU_DIR/aws_config
	AWS_SHARED_CREDENTIALS_FILE=$EMU_DIR/aws_credentials
	NO_PROXY=127.0.0.1,localhost
	no_proxy=$NO_PROXY
	export EMU_URL EMU_PORT EMU_PID EMU_DIR AWS_ENDPOINT_URL \
	    AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION \
	    AWS_DEFAULT_REGION AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE \
	    NO_PROXY no_proxy
	if [ -n "$EMU_TOKEN" ]; then
		AWS_SESSION_TOKEN=$EMU_TOKEN
		export AWS_SESSION_TOKEN
	fi
	return 0
}

emu_stop() {	# stop the emulator (idempotent)
	if [ -n "${EMU_PID:-}" ]; then
		kill "$EMU_PID" 2>/dev/null
		wait "$EMU_PID" 2>/dev/null || :	# (not an error under set -e)
		EMU_PID=
	fi
	return 0
}

# emu_req METHOD PATH [BODY]: one control request, the answer on stdout.
emu_req() {
	"$EMU_PY" - "$EMU_URL" "$@" <<'EOF'
import sys, urllib.request
url, method, path = sys.argv[1], sys.argv[2], sys.argv[3]
data = sys.argv[4].encode() if len(sys.argv) > 4 else None
if method == "POST" and data is None:
    data = b"{}"
ctx = None
if url.startswith("https"):
    import ssl
    ctx = ssl._create_unverified_context()
r = urllib.request.urlopen(urllib.request.Request(url + path, data=data,
                           method=method), timeout=10, context=ctx)
sys.stdout.write(r.read().decode() + "\n")
EOF
}

emu_stats() {	# emu_stats [REGION]: counters as JSON (all regions without)
	if [ $# -gt 0 ]; then
		emu_req GET "/_emu/stats?region=$1"
	else
		emu_req GET /_emu/stats
	fi
}

emu_log() { emu_req GET /_emu/log; }		# request log, JSON array
emu_config() { emu_req POST /_emu/config "$1"; }	# emu_config 'JSON patch'
emu_reset() { emu_req POST /_emu/reset; }	# zero the counters
emu_s3() { emu_req GET "/_emu/s3${1:+?bucket=$1}"; }	# emu_s3 [BUCKET]

# emu_gen REGION COUNT START END [SEED]: synthetic records on stdout.
emu_gen() {
	"$EMU_PY" "$EMU_TOP/tests/emulator/awsemu.py" gen --region "$1" \
	    --count "$2" --start "$3" --end "$4" --seed "${5:-1}"
}

# emu_awscli: set EMU_AWSCLI to an AWS CLI that sends every service,
# S3 included, to AWS_ENDPOINT_URL (aws-cli 1.x on botocore >= 1.31, or
# 2.13 and later; $CT_AWSCLI first, then pyenv's, then PATH's); else print
# why not and return 1.  Debian's aws-cli 2.9 ignores AWS_ENDPOINT_URL
# for S3 and would ask the real AWS.
emu_awscli() {
	EMU_AWSCLI=
	# A pyenv version's own aws before the shim (a second less per run).
	for _c in ${CT_AWSCLI:-} /root/.pyenv/versions/*/bin/aws \
	    /root/.pyenv/shims/aws "$(command -v aws 2>/dev/null)" \
	    /usr/bin/aws; do
		[ -n "$_c" ] && [ -x "$_c" ] || continue
		_v=$("$_c" --version 2>&1) || continue
		if printf '%s\n' "$_v" | awk '{
			split($1, a, "/"); split(a[2], v, ".")
			for (i = 2; i <= NF; i++) if ($i ~ /^botocore\//) {
				split($i, b, "/"); split(b[2], bv, ".") }
			if (v[1] == 1) exit !(bv[1] > 1 || bv[2] >= 31)
			if (v[1] == 2) exit !(v[2] >= 13)
			exit 1 }'; then
			EMU_AWSCLI=$_c
			return 0
		fi
	done
	echo "no AWS CLI honouring AWS_ENDPOINT_URL for S3 (aws-cli 1.x on" \
	    "botocore >= 1.31 or 2.13+; set CT_AWSCLI)"
	return 1
}

# emu_validate_logs OUT TRAIL_ARN START END REGION [ARGS...]: run
# `aws cloudtrail validate-logs --verbose` (emu_awscli first) against the
# emulator and write to OUT one line per object it judged, sorted:
#	KIND VERDICT s3://BUCKET/KEY
# KIND log or digest; VERDICT in the integrity vocabulary: valid,
# modified (hash value doesn't match), missing (not found), unreadable
# (invalid format), invalid_signature (signature verification failed, no
# or unloadable public key), moved (digest not where it says it is).
# OUT.raw and OUT.err keep the CLI's output; returns the CLI's status
# (0 all valid, 1 something INVALID, else a failure to run).
emu_validate_logs() {
	_o=$1 _arn=$2 _s=$3 _e=$4 _r=$5
	shift 5
	AWS_MAX_ATTEMPTS=1 AWS_PAGER= "$EMU_AWSCLI" cloudtrail validate-logs \
	    --trail-arn "$_arn" --start-time "$_s" --end-time "$_e" \
	    --region "$_r" --verbose "$@" >"$_o.raw" 2>"$_o.err"
	_rc=$?
	cat "$_o.raw" "$_o.err" | awk -F '\t' '
	    NF == 3 && ($1 == "Log file" || $1 == "Digest file") {
		k = $1 == "Log file" ? "log" : "digest"
		v = $3
		if (v == "valid") v = "valid"
		else if (v ~ /hash value doesn.t match/) v = "modified"
		else if (v ~ /not found$/) v = "missing"
		else if (v ~ /invalid format/) v = "unreadable"
		else if (v ~ /signature verification failed/ ||
		    v ~ /public key not found|PKCS #1/) v = "invalid_signature"
		else if (v ~ /moved/) v = "moved"
		else v = "other"
		print k, v, $2 }' | sort -k3 >"$_o"
	return $_rc
}
