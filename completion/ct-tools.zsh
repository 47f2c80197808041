#compdef ct-aggregate ct-fetch ct-plot ct-regions ct-summarize
# zsh completion for ct-tools: the bash completion (one source of truth for
# the options, profiles and regions) run through zsh's bash emulation,
# bashcompinit.  `make install` writes this file as
# share/zsh/vendor-completions/_ct-tools with @BASHCOMP@ replaced by the
# installed bash file's path; compinit finds it there on Debian's zsh
# (vendor-completions is in its fpath).  Elsewhere, add that folder to
# fpath before compinit.
if (( ! $+functions[_ct_tools] )); then
	(( $+functions[_bash_complete] )) ||
	    { autoload -U +X bashcompinit && bashcompinit; }
	source '@BASHCOMP@'
fi
_bash_complete -F _ct_tools
