#!/bin/bash
# test_commands_timeline.sh - issue 16's timeline (`T` in the commands view) against a real
# boxtopd: a command holds ~200 MB for 12 s; the timeline's cursor, set at the time it ran,
# lists that command as running and a memory figure equal to the metrics sample it names
# (GET /sandboxes/{id}/metrics); the cursor moves, zooms and fits the whole life.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
N=8
echo "1..$N"
BOXTOPD_EXIT_HOOK='tui_stop; rm -rf "$TMPD"'
fail_all() { for i in $(seq 1 $N); do echo "not ok $i - $1"; done; exit 1; }
boxtopd_start tui-timeline || fail_all "boxtopd did not start"
ID=$(boxtopd_new_sandbox)
"$BOXTOP" exec "$ID" -- sh -c 'echo warm-up' > /dev/null 2>&1
# tail keeps all of its input before it writes; sleep never reads, so tail holds it
"$BOXTOP" exec "$ID" -- sh -c 'head -c 200000000 /dev/zero | tail -c 200000000 | sleep 12' \
    > /dev/null 2>&1
"$BOXTOP" exec "$ID" -- sh -c 'echo after' > /dev/null 2>&1
# 20 000 lines: the output capture stops at 10 000 with a warn-level marker (a log mark)
"$BOXTOP" exec "$ID" -- sh -c 'seq 1 20000' > /dev/null 2>&1
# left running; the client goes away without stopping it
"$BOXTOP" exec "$ID" -- sleep 600 > /dev/null 2>&1 &
EXEC=$!
sleep 5 # one more metrics sample after the hog
kill -9 "$EXEC" 2>/dev/null; wait "$EXEC" 2>/dev/null

tui_start 200 50 --api-url "$E2B_API_URL"
tui_wait "$ID" 10
tui_keys c
tui_wait "Commands $ID +5 commands" 10
tui_keys /; tui_type 'tail -c'; tui_keys Enter; tui_wait 'filter: tail -c' 3
tui_keys T
tui_wait "Timeline $ID" 5 && tui_wait 'at [0-9:]+: running .*head -c 200000000 /dev/zero \| tail -c 200000000 \| sleep 12' 5
ok $? "T opens the timeline with the cursor on the selected command: it is listed as running"
tui_wait 'mem [0-9]+ MiB of [0-9]+ MiB \(sample at [0-9:]+\)' 10
line=$(tui_screen | grep -oE 'mem [0-9]+ MiB of [0-9]+ MiB \(sample at [0-9:]+\)')
mib=$(printf '%s' "$line" | awk '{print $2}')
at=$(printf '%s' "$line" | grep -oE 'at [0-9:]+' | cut -d' ' -f2)
boxtopd_api GET "/sandboxes/$ID/metrics"
want=$(printf '%s' "$BOXTOPD_BODY" | AT="$at" boxtopd_json '(() => { const s = j.find(m => new Date(m.timestampUnix * 1000).toTimeString().slice(0, 8) === process.env.AT); return s ? Math.floor(s.memUsed / 1048576) : -1; })()')
[ -n "$mib" ] && [ "$mib" = "$want" ] && [ "$mib" -ge 150 ]
ok $? "the memory figure is the metrics sample's ($mib MiB at $at; the API says $want MiB; ≥ 150 while it ran)"
tui_screen | grep -q 'cmds' && tui_screen | grep -q 'mem' && tui_screen | grep -q 'events'
ok $? "lanes: events, cpu, mem, commands, files, logs"
before=$(tui_screen | grep -oE 'at [0-9:]+: running' | head -1)
tui_keys L L L L; sleep 0.3
after=$(tui_screen | grep -oE 'at [0-9:]+: running' | head -1)
[ -n "$after" ] && [ "$before" != "$after" ]; ok $? "L jumps to later events ($before → $after)"
tui_screen > "${TIMELINE_SHOT:-/dev/null}"
tui_keys + +; tui_wait 'zoom ×4' 3 && tui_keys 0 && tui_wait 'zoom ×1' 3
ok $? "+ zooms in, 0 fits the whole life again"
tui_screen | grep -E '^ logs +' | grep -q '!'
ok $? "the truncation marker (a warning) is a mark on the logs lane"
# a click on the axis moves the cursor there (SGR mouse: column 30, the cmds lane)
before=$(tui_screen | grep -oE 'at [0-9:]+:' | head -1)
tui_keys -l $'\e[<0;30;10M' $'\e[<0;30;10m'
sleep 0.5
after=$(tui_screen | grep -oE 'at [0-9:]+:' | head -1)
[ -n "$after" ] && [ "$before" != "$after" ]; ok $? "a mouse click sets the cursor ($before → $after)"
# the sandbox is killed: the command that was still running ended with it
tui_keys Escape; tui_keys /; tui_keys C-u; tui_type 'sleep 600'; tui_keys Enter
# (its post-mortem card shows over the commands view, issue 17: Esc goes back to it)
tui_wait '▶ running +[0-9]+ +sleep 600' 5 && boxtopd_api DELETE "/sandboxes/$ID" &&
    tui_wait 'ended .* — killed by a request' 20 && tui_keys Escape &&
    tui_wait 'ended with the sandbox +[0-9]+ +sleep 600' 20
ok $? "killing the sandbox turns its running command to 'ended with the sandbox'"
tui_stop
boxtopd_teardown || { echo "# $BOXTOPD_PROBLEMS"; FAILED=1; }
rm -rf "$TMPD"
exit $FAILED
