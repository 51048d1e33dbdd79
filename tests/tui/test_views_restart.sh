#!/bin/sh
# test_views_restart.sh - issue 15: the logs and commands views resume from their cursor when
# the boxtopd boxtop started is SIGKILLed and restarted (new ports, new api object) while
# they follow a command's output: every line once, none missing at the seam. The command keeps
# running through the crash (the sandbox's init kept its pipes; the restarted boxtopd takes
# them back and logs what was written meanwhile), so its output spans the restart.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/tui/bxd.sh"
STATE=$TMPD/state
echo "1..7"

cleanup() {
    tui_stop
    if [ -s "$STATE/boxtopd.json" ]; then
        eval "$("$BOXTOPD" --print-env --state-dir "$STATE" 2>/dev/null)"
        [ -n "$S" ] && "$BOXTOP" kill "$S" >/dev/null 2>&1
        p=$(bxd_pid_of "$STATE"); [ -n "$p" ] && kill "$p" 2>/dev/null
    fi
    [ -n "$EXP" ] && kill "$EXP" 2>/dev/null
    n=60; while [ $n -gt 0 ] && [ -n "$(bxd_pid_of "$STATE")" ] && kill -0 "$(bxd_pid_of "$STATE")" 2>/dev/null; do sleep 0.1; n=$((n-1)); done
    rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_local_env "$STATE"
wait_new_pid() { # wait_new_pid OLD: the state dir names another live boxtopd
    n=400; while [ $n -gt 0 ]; do
        p=$(bxd_pid_of "$STATE"); [ -n "$p" ] && [ "$p" != "$1" ] && kill -0 "$p" 2>/dev/null && return 0
        sleep 0.05; n=$((n-1)); done; return 1
}
N=150 # lines, one every 50 ms: 7.5 s, with the kill and restart in the middle
cd "$TMPD" || exit 1 # where the logs view saves
tui_start 150 40
tui_wait 'started by boxtop' 60
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
S=$("$BOXTOP" create --timeout 600)
"$BOXTOP" exec "$S" -- true >/dev/null 2>&1
"$BOXTOP" exec "$S" -- sh -c 'exit 3' >/dev/null 2>&1

tui_keys :; tui_type "logs $S"; tui_keys Enter
tui_wait "Logs $S .*following" 10 && tui_wait 'sandbox created' 10
ok $? "the logs view follows the sandbox"
"$BOXTOP" exec "$S" -- sh -c "i=0; while [ \$i -lt $N ]; do i=\$((i+1)); echo SEQ-\$i; sleep 0.05; done" \
    > "$TMPD/exec.out" 2>&1 &
EXP=$!
tui_wait 'SEQ-20 ' 20 || echo "# no SEQ-20: $(tui_screen | tail -3)"
OLD=$(bxd_pid_of "$STATE"); kill -9 "$OLD"
wait_new_pid "$OLD"; ok $? "boxtopd SIGKILLed while the view follows; boxtop started a new one"
tui_wait "SEQ-$N " 60; ok $? "the view goes on by itself after the restart, to the last line (SEQ-$N)"
wait "$EXP"; EXP=
tui_keys w; tui_wait 'save visible lines to' 5; tui_keys Enter
f=$TMPD/boxtop-logs-$S.txt
tui_wait 'lines saved to' 10
grep -o 'SEQ-[0-9]* ' "$f" 2>/dev/null | tr -d ' ' > "$TMPD/seq"
seq 1 $N | sed 's/^/SEQ-/' > "$TMPD/want"
if cmp -s "$TMPD/seq" "$TMPD/want"; then st=0; else
    st=1; echo "# $(sort "$TMPD/seq" | uniq -d | head -3 | tr '\n' ' ') dup; $(wc -l < "$TMPD/seq") of $N"
    diff "$TMPD/want" "$TMPD/seq" | head -5 | sed 's/^/# /'
fi
ok $st "every line once and in order across the restart (no duplicate, none missing at the seam)"
[ "$(grep -c 'sandbox created' "$f")" = 1 ]; ok $? "lines from before the restart are not fetched twice"

# the commands view on the same sandbox, then another restart while it follows
tui_keys Escape; tui_wait 'Sandboxes' 10
tui_keys :; tui_type "commands $S"; tui_keys Enter
tui_wait '3 commands, 1 failed, 0 running' 20; ok $? "the commands view counts the 3 commands, the one across the restart ended"
OLD=$(bxd_pid_of "$STATE"); kill -9 "$OLD"
wait_new_pid "$OLD"
eval "$("$BOXTOPD" --print-env --state-dir "$STATE")"
n=0; until "$BOXTOP" exec "$S" -- sh -c 'echo after' >/dev/null 2>&1 || [ $n -ge 20 ]; do sleep 0.5; n=$((n+1)); done
tui_wait '4 commands, 1 failed, 0 running' 30
ok $? "after another restart it goes on from its cursor: the new command once, none repeated"
tui_keys q; tui_keys q; tui_wait EXITED 20
tui_done
