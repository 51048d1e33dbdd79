# bash completion for boxtop and boxtopd.
# Commands and flags come from the installed program's own --help, so they never go stale;
# sandbox ids come from `boxtop ls` against whatever backend the user's flags/env select
# (the cloud, a context, or the local boxtopd), with a short timeout so a slow network never
# hangs the prompt. `ID:path` words for cp complete the id, then paths inside the sandbox.

# The words of the command line before the current one, so global flags (--api-url ...)
# that select the backend are passed on to the `boxtop ls` that lists ids.
_boxtop_backend_flags() {
    local i w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        --api-key | --api-url | --sandbox-url | --domain | --context | --config | --state-dir)
            printf '%s\n%s\n' "$w" "${COMP_WORDS[i + 1]}"
            ((i++))
            ;;
        esac
    done
}

_boxtop_ids() {
    local -a flags
    mapfile -t flags < <(_boxtop_backend_flags)
    timeout 5 "${COMP_WORDS[0]}" "${flags[@]}" ls 2>/dev/null |
        awk '$1 ~ /^[a-z0-9][a-z0-9-]*$/ { print $1 }'
}

_boxtop_commands() {
    "${COMP_WORDS[0]}" --help 2>/dev/null |
        awk '/^Commands:/ { on = 1; next } on && /^$/ { exit } on { print $1 }'
}

# Long and short flags from a --help text on stdin.
_boxtop_flags_of() {
    grep -oE '(^|[[:space:][(|,])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u
}

# Replies to the current word; bash splits words at ':' (COMP_WORDBREAKS), so what it shows
# must drop the part of the word up to the last colon.
_boxtop_reply() {
    local cur=$1
    shift
    mapfile -t COMPREPLY < <(compgen -W "$*" -- "$cur")
    if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        local pre=${cur%"${cur##*:}"}
        COMPREPLY=("${COMPREPLY[@]#"$pre"}")
    fi
}

_boxtop() {
    local line=${COMP_LINE:0:COMP_POINT}
    local cur=${line##*[[:space:]]}
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    [[ $cur == "${COMP_WORDS[COMP_CWORD]}" ]] || prev=${COMP_WORDS[COMP_CWORD - 2]:-$prev}
    [[ $prev == : ]] && prev=

    case $prev in
    --api-key | --api-url | --sandbox-url | --domain | --context | --user | --cwd | --env | \
        --meta | -m | --limit | -l | --state | -s | --timeout)
        return 0
        ;;
    --config | --state-dir)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
        ;;
    esac

    # The command is the first word that is not a global flag or its value.
    local i cmd= w
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        --api-key | --api-url | --sandbox-url | --domain | --context | --config | --state-dir) ((i++)) ;;
        -*) ;;
        *) cmd=$w; break ;;
        esac
    done

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            _boxtop_reply "$cur" "$("${COMP_WORDS[0]}" --help 2>/dev/null | _boxtop_flags_of)"
        else
            _boxtop_reply "$cur" "$(_boxtop_commands)"
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        _boxtop_reply "$cur" "$("${COMP_WORDS[0]}" "$cmd" --help 2>/dev/null | _boxtop_flags_of)"
        return 0
    fi
    case $cmd in
    info | kill | pause | resume | timeout | metrics | logs | commands | exec | snapshot | fork)
        # exec takes one id, then the command after "--".
        if [[ $cmd == exec ]] && [[ " ${COMP_WORDS[*]:0:COMP_CWORD} " == *" -- "* ]]; then
            mapfile -t COMPREPLY < <(compgen -c -- "$cur")
            return 0
        fi
        _boxtop_reply "$cur" "$(_boxtop_ids)"
        ;;
    cp)
        if [[ $cur == *:* ]]; then
            # ID:path: list the sandbox's directory with the same backend.
            local id=${cur%%:*} path=${cur#*:} dir
            dir=${path%/*}
            [[ $path == */* ]] || dir=.
            [[ $path == /* && $dir == "" ]] && dir=/
            local -a flags
            mapfile -t flags < <(_boxtop_backend_flags)
            _boxtop_reply "$cur" "$(timeout 5 "${COMP_WORDS[0]}" "${flags[@]}" exec "$id" -- \
                ls -1Ap "$dir" 2>/dev/null |
                while IFS= read -r f; do
                    if [[ $dir == . ]]; then printf '%s\n' "$id:$f"; else printf '%s\n' "$id:${dir%/}/$f"; fi
                done)"
            compopt -o nospace 2>/dev/null
        else
            local -a ids
            mapfile -t ids < <(_boxtop_ids | sed 's/$/:/')
            mapfile -t COMPREPLY < <(compgen -f -- "$cur"; compgen -W "${ids[*]}" -- "$cur")
            compopt -o nospace 2>/dev/null
        fi
        ;;
    esac
    return 0
}

_boxtopd() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    case $prev in
    --state-dir | --base-rootfs)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
        ;;
    --base)
        mapfile -t COMPREPLY < <(compgen -W "image host" -- "$cur")
        return 0
        ;;
    --log-level)
        mapfile -t COMPREPLY < <(compgen -W "debug info warn error" -- "$cur")
        return 0
        ;;
    esac
    mapfile -t COMPREPLY < <(compgen -W "$("${COMP_WORDS[0]}" --help 2>/dev/null | _boxtop_flags_of)" -- "$cur")
}

complete -F _boxtop boxtop
complete -F _boxtopd boxtopd
