#!/bin/sh
# test_term_ttl_keep.sh - an open shell keeps its sandbox alive by asking for 5 more minutes
# when the end is near; it must never cut a longer time to live set since it attached (the
# hunt found `t 2h` in the list undone to 5 minutes a minute later by the shell's keep-alive,
# which trusted the end time it had read when it attached).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..3"

trap bxd_cleanup EXIT
bxd_start
ID=$("$BOXTOP" create --timeout 100) # 100 s: the keep-alive's 90 s margin comes after ~10 s
end_s() { # seconds from now to the sandbox's end
    e=$("$BOXTOP" info "$ID" --json | sed -n 's/.*"endAt":[^"]*"\([^"]*\)".*/\1/p')
    echo $(($(date -d "$e" +%s) - $(date +%s)))
}

tui_start 120 30
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait 'attached \(pid' 15; ok $? "a shell in the sandbox"
"$BOXTOP" timeout "$ID" 3600 >/dev/null
sleep 25 # the keep-alive's first look is due after ~10 s
left=$(end_s)
[ "$left" -gt 3000 ]; ok $? "the hour set after the shell attached stands (${left}s left)"

# the keep-alive itself still works: a short time to live is extended again
"$BOXTOP" timeout "$ID" 80 >/dev/null
n=0; while [ $n -lt 70 ] && [ "$(end_s)" -le 90 ]; do sleep 1; n=$((n + 1)); done
left=$(end_s)
[ "$left" -gt 90 ]; ok $? "a time to live shorter than the margin is extended (${left}s left)"
tui_done
