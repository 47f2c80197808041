# bash completion for ct-tools: ct-aggregate, ct-fetch, ct-plot, ct-regions,
# ct-summarize.  Installed as share/bash-completion/completions/ct-tools
# with one symlink per command name (bash-completion loads a command's file
# on first use); or source this file from ~/.bashrc.  zsh loads it through
# its bash emulation (bashcompinit) from completion/ct-tools.zsh, installed
# as share/zsh/vendor-completions/_ct-tools.

# Profile names from the AWS shared files.
_ct_tools_profiles()
{
	local f
	for f in "${AWS_CONFIG_FILE:-$HOME/.aws/config}" \
	    "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}"; do
		[[ -r $f ]] || continue
		sed -n 's/^[[:space:]]*\[[[:space:]]*\(profile[[:space:]]\{1,\}\)\{0,1\}\([^][[:space:]]*\)[[:space:]]*\].*/\2/p' "$f"
	done | grep -v '^sso-session$' | sort -u
}

# Region names (commercial partition); no AWS call on a key press.
_ct_tools_regions='af-south-1 ap-east-1 ap-northeast-1 ap-northeast-2
ap-northeast-3 ap-south-1 ap-south-2 ap-southeast-1 ap-southeast-2
ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-7 ca-central-1
ca-west-1 eu-central-1 eu-central-2 eu-north-1 eu-south-1 eu-south-2
eu-west-1 eu-west-2 eu-west-3 il-central-1 me-central-1 me-south-1
mx-central-1 sa-east-1 us-east-1 us-east-2 us-west-1 us-west-2'

# _ct_tools_common PREV CUR: complete the value of option PREV; 0 if done
_ct_tools_value()
{
	local prev=$1 cur=$2
	case $prev in
	--profile)
		COMPREPLY=($(compgen -W "$(_ct_tools_profiles)" -- "$cur"))
		return 0 ;;
	--region)
		COMPREPLY=($(compgen -W "$_ct_tools_regions" -- "$cur"))
		return 0 ;;
	--activity-type)
		COMPREPLY=($(compgen -W 'ALL SUCCESSFUL FAILED' -- "$cur"))
		return 0 ;;
	-o|--output|--checkpoint|--signatures|--public-keys)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null
		return 0 ;;
	--results-dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
		return 0 ;;
	--start|--end|--past-hours|--rate|--throttle-deadline|--retries|\
	--page-size|-j|--jobs|--top|--width|--height|--endpoint-url|\
	--s3|--account|--s3-concurrency|--shard-days)
		COMPREPLY=()
		return 0 ;;
	esac
	return 1
}

_ct_tools()
{
	local cur prev words cword cmd opts eq= i value=1
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	# --opt=VALUE: with '=' in COMP_WORDBREAKS (bash's default) the words
	# are "--opt" "=" "VALUE" ("--opt" "=" right after the '='), and the
	# reply replaces only VALUE; without it the word is "--opt=VALUE" and
	# the reply must repeat "--opt=".
	if [[ $cur == = && $prev == --* ]]; then
		cur= eq=split
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)) &&
	    [[ ${COMP_WORDS[COMP_CWORD - 2]} == --* ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]} eq=split
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*} cur=${cur#*=} eq=$prev=
	fi
	cmd=${COMP_WORDS[0]##*/}
	COMPREPLY=()
	case $cmd in
	ct-aggregate)
		opts='-q --quiet -j --jobs -o --output --activity-type
		    --skip-unsuccessful-api-calls --start --end --past-hours
		    --dedup --strict --merge --verify --signatures --public-keys
		    -h --help --version' ;;
	ct-fetch)
		opts='--past-hours --start --end --profile --region
		    --endpoint-url --debug --rate --checkpoint
		    --throttle-deadline --retries --page-size --progress
		    --s3 --trail --account --s3-concurrency --verify
		    --list-shards --shard-days -q --quiet -h --help --version' ;;
	ct-plot)
		opts='-f --force -j --jobs -o --output --top --width --height
		    -h --help --version' ;;
	ct-regions)
		opts='--profile --region --endpoint-url --debug --all --json
		    -h --help --version' ;;
	ct-summarize)
		opts='--past-hours --plot-results --profile --activity-type
		    --skip-unsuccessful-api-calls --dump-raw-cloudtrail-data
		    --results-dir -h --help --version' ;;
	*)	return 0 ;;
	esac
	if [[ $cmd == ct-plot && ( $prev == -o || $prev == --output ) ]]; then
		COMPREPLY=($(compgen -d -- "$cur"))
		compopt -o filenames 2>/dev/null
	elif ! _ct_tools_value "$prev" "$cur"; then
		value=0
	fi
	if ((value)); then
		if [[ -n $eq && $eq != split ]]; then
			for ((i = 0; i < ${#COMPREPLY[@]}; i++)); do
				COMPREPLY[i]=$eq${COMPREPLY[i]}
			done
		fi
		return 0
	fi
	[[ -n $eq ]] && return 0	# --opt= of an option without a value
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return 0
	fi
	case $cmd in
	ct-fetch)
		COMPREPLY=($(compgen -W "$_ct_tools_regions" -- "$cur")) ;;
	ct-aggregate|ct-plot)
		COMPREPLY=($(compgen -f -- "$cur"))
		compopt -o filenames 2>/dev/null ;;
	esac
	return 0
}

complete -F _ct_tools ct-aggregate ct-fetch ct-plot ct-regions ct-summarize
