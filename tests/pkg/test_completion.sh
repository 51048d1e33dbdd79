#!/usr/bin/env bash
# test_completion.sh (issue 22): the bash completion as bash itself runs it — `complete -p`
# names our function, and asking it as the shell would (COMP_WORDS/COMP_LINE, split at ':'
# like COMP_WORDBREAKS does) gives the commands, flags, and the id of a sandbox that a test
# boxtopd runs, also as `ID:` and `ID:/path` for cp.
. "$(dirname "$0")/../integration/lib/boxtopd.sh"
tap_plan 12
script=$abs_top_srcdir/completions/boxtop.bash

boxtopd_start completion || { tap_ok 1 "boxtopd starts"; exit 1; }
boxtopd_api POST /sandboxes '{"templateID":"base","timeout":300}'
id=$(printf '%s' "$BOXTOPD_BODY" | boxtopd_json 'j.sandboxID')
[ "$BOXTOPD_STATUS" = 201 ] && [ -n "$id" ] || tap_ok 1 "create a sandbox" "$BOXTOPD_STATUS $BOXTOPD_BODY"

# comp LINE: what the completion offers for LINE (cursor at its end), one per line, sorted,
# computed in a fresh non-interactive bash that only sourced the script.
comp() {
    PATH="$abs_top_builddir/src:$PATH" bash --norc --noprofile -c '
        . "$1" || exit 9
        line=$2
        read -ra w <<<"$line"
        [[ $line == *" " ]] && w+=("")
        last=${w[-1]}
        if [[ $last == *:* ]]; then unset "w[-1]"; w+=("${last%%:*}" ":" "${last#*:}"); fi
        COMP_WORDS=("${w[@]}"); COMP_CWORD=$((${#w[@]} - 1)); COMP_LINE=$line; COMP_POINT=${#line}
        fn=$(complete -p "${w[0]}" | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
        "$fn"
        printf "%s\n" "${COMPREPLY[@]}"' comp "$script" "$1" | sort
}
has() { grep -qxF -- "$2" <<<"$1"; }

cp_=$(PATH="$abs_top_builddir/src:$PATH" bash --norc -c '. "$1"; complete -p boxtop; complete -p boxtopd' x "$script")
[ "$cp_" = $'complete -F _boxtop boxtop\ncomplete -F _boxtopd boxtopd' ]
tap_ok $? "complete -p registers boxtop and boxtopd" "$cp_"

out=$(comp 'boxtop ')
ok=0
for c in ls info create kill pause resume exec cp logs metrics version; do has "$out" "$c" || ok=1; done
tap_ok $ok "commands after 'boxtop '" "$out"
out=$(comp 'boxtop ki')
[ "$out" = kill ]
tap_ok $? "'boxtop ki' completes to kill" "$out"
out=$(comp 'boxtop --api-')
[ "$out" = $'--api-key\n--api-url' ]
tap_ok $? "global flags" "$out"
out=$(comp 'boxtop ls --st')
[ "$out" = --state ]
tap_ok $? "a command's flags" "$out"
out=$(comp 'boxtop info ')
[ "$out" = "$id" ]
tap_ok $? "info: the running sandbox's id from boxtopd" "got: $out" "want: $id"
out=$(comp "boxtop kill ${id:0:3}")
[ "$out" = "$id" ]
tap_ok $? "kill: an id prefix completes" "$out"
out=$(comp "boxtop --api-url $E2B_API_URL exec ")
[ "$out" = "$id" ]
tap_ok $? "exec after a global flag: the id" "$out"
out=$(comp "boxtop cp ${id:0:4}")
has "$out" "$id:"
tap_ok $? "cp: ID: among the offers" "$out"
out=$(comp "boxtop cp $id:/et")
has "$out" "/etc/"
tap_ok $? "cp: ID:/et offers /etc/ inside the sandbox (shown after the colon)" "$out"
out=$(comp 'boxtopd --print')
[ "$out" = --print-env ]
tap_ok $? "boxtopd flags" "$out"

boxtopd_teardown
tap_ok $? "boxtopd stopped, nothing left" "$BOXTOPD_PROBLEMS"
[ "$_tap_fail" = 0 ]
