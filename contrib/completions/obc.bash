# obc.bash - bash completion for obc: the commands, each command's options
# and their values, diagnostic codes for `obc explain`, commands for
# `obc help`, and the files each command reads (.ob programs, policy
# documents and directories).
#
# Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/obc; or source it from
# ~/.bashrc. Needs nothing but bash 4 (bash-completion is not required).
# tests/cli/check-glue.sh runs it against `obc help` and fails when a
# command or option of obc is missing here.

_obc_commands="compile check import effective fmt lsp explain help version"

# _obc_options COMMAND: the options COMMAND takes.
_obc_options() {
    local diag="--format --color --fail-level --root --var --input --standalone"
    case $1 in
    compile) echo "-o --output --follow-output-symlink $diag --emit --no-manifest --minify -h --help" ;;
    check) echo "$diag --no-manifest --minify -h --help" ;;
    import) echo "-o --output $diag -h --help" ;;
    effective) echo "-o --output --follow-output-symlink $diag --account --content -h --help" ;;
    fmt) echo "--check --diff --color -h --help" ;;
    explain) echo "--format --color -h --help" ;;
    lsp | help | version) echo "-h --help" ;;
    esac
}

# _obc_values COMMAND OPTION: the values OPTION takes ("" for a free
# value), or :dir / :file for a path. Returns 1 when OPTION takes none.
_obc_values() {
    case $2 in
    --format)
        if [ "$1" = explain ]; then echo "text markdown"; else echo "text json sarif github compact"; fi ;;
    --color) echo "auto always never" ;;
    --fail-level) echo "error warning" ;;
    --input) echo "json ob" ;;
    --emit) echo "policy manifest cloudformation terraform all" ;;
    -o | --output)
        if [ "$1" = import ]; then echo :file; else echo :dir; fi ;;
    --root | --stdlib) echo :dir ;;
    --var | --account) echo "" ;;
    *) return 1 ;;
    esac
}

# _obc_paths CUR EXTENSIONS...: directories and the files ending in one
# of EXTENSIONS (all files when none is given).
_obc_paths() {
    local cur=$1 f ext
    shift
    compopt -o filenames 2>/dev/null
    while IFS= read -r f; do
        if [ -d "$f" ] || [ $# -eq 0 ]; then
            COMPREPLY+=("$f")
            continue
        fi
        for ext; do
            case $f in *"$ext") COMPREPLY+=("$f"); break ;; esac
        done
    done < <(compgen -f -- "$cur")
}

_obc() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd="" i
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [ -z "$cmd" ]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help -h --version -V -v" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_obc_commands" -- "$cur"))
        fi
        return 0
    fi

    # The value of an option: --opt VALUE or --opt=VALUE.
    # bash splits --opt=VALUE at '=' (COMP_WORDBREAKS): "--opt" "=" "VALUE".
    local opt="" value=$cur
    if [ "$cur" = "=" ]; then
        opt=$prev
        value=""
    elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -ge 2 ]; then
        opt=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        opt=${cur%%=*}
        value=${cur#*=}
    elif [[ $prev == -* ]] && [[ " $(_obc_options "$cmd") " == *" $prev "* ]]; then
        opt=$prev
    fi
    local values
    if [ -n "$opt" ] && values=$(_obc_values "$cmd" "$opt"); then
        case $values in
        :dir) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$value")) ;;
        :file) _obc_paths "$value" ;;
        "") ;;
        *)
            local head=""
            if [ "$opt" = --emit ] && [[ $value == *,* ]]; then
                head=${value%,*},
                value=${value##*,}
            fi
            COMPREPLY=($(compgen -P "$head" -W "$values" -- "$value"))
            [ -n "$head" ] && compopt -o nospace 2>/dev/null
            ;;
        esac
        return 0
    fi

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_obc_options "$cmd")" -- "$cur"))
        return 0
    fi
    case $cmd in
    compile | check) _obc_paths "$cur" .ob .json .json.tpl .tpl ;;
    import | effective) _obc_paths "$cur" .ob .json .json.tpl .tpl ;;
    fmt) _obc_paths "$cur" .ob ;;
    explain)
        local obc=${COMP_WORDS[0]}
        COMPREPLY=($(compgen -W "$("$obc" explain 2>/dev/null | cut -d' ' -f1)" -- "${cur^^}"))
        ;;
    help) COMPREPLY=($(compgen -W "$_obc_commands" -- "$cur")) ;;
    esac
    return 0
}

complete -F _obc obc
