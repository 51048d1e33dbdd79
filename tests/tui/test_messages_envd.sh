#!/bin/bash
# test_messages_envd.sh - an envd error in the file browser (mkdir of a directory that exists)
# is said in words ("making the directory failed: ..."), not as the RPC and its Connect code
# ("MakeDir: already_exists: ..."), which stay in `:messages` as the detail; boxtopd going
# away: the header counts down to the next try, live, and R finds it back at once.
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..7"
tui_boxtopd messages-envd 1 7
ID=$(boxtopd_new_sandbox)
"$BOXTOP" exec "$ID" -- mkdir -p /home/user/there
tui_start 120 30
tui_wait "$ID" 15
tui_keys f; tui_wait 'there' 10
tui_keys Tab; tui_keys M; tui_type there; tui_keys Enter
tui_wait 'making the directory failed: .*exists' 10
ok $? "mkdir over a directory: said in words ($(tui_screen | tail -1))"
! tui_screen | tail -1 | grep -Eq 'MakeDir|already_exists'; ok $? "no RPC name or Connect code in the status line"
tui_keys '!'
tui_wait 'making the directory failed' 5 && tui_wait '↳ MakeDir: already_exists: ' 3
ok $? ":messages keeps the raw detail under it"
tui_keys Escape; tui_wait 'there' 5; ok $? "Esc goes back to the file browser"
tui_keys q; tui_wait 'Sandboxes \(' 5

left() { tui_screen | sed -n 2p | sed -n 's/.*trying again in \([0-9]*\) s.*/\1/p'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
kill -TERM "$BOXTOPD_PID"; wait "$BOXTOPD_PID" 2>/dev/null
tui_wait 'OFFLINE +trying again in [4-6] s' 20; a=$(left); sleep 2.3; b=$(left)
[ -n "$a" ] && [ -n "$b" ] && [ "$b" -lt "$a" ]
ok $? "boxtopd gone: the header counts down to the next try, live ($a s, then $b s)"
# back on the same ports, right after a try failed; R instead of waiting out the rest
r=; n=0
while [ $n -lt 200 ]; do
    r=$(left); [ -n "$r" ] && [ "$r" -gt "$b" ] && [ "$r" -ge 4 ] && break
    r=; sleep 0.05; n=$((n + 1))
done
rm -f "$BOXTOPD_STATE/boxtopd.json"
"$BOXTOPD_BIN" --foreground --state-dir "$BOXTOPD_STATE" --api-listen "${E2B_API_URL#http://}" \
    --envd-listen "${E2B_SANDBOX_URL#http://}" >>"$BOXTOPD_LOG" 2>&1 </dev/null &
BOXTOPD_PID=$!
n=200; while [ $n -gt 0 ] && [ ! -s "$BOXTOPD_STATE/boxtopd.json" ]; do sleep 0.05; n=$((n-1)); done
r=$(left); t0=$(now_ms); tui_keys R
tui_wait_gone OFFLINE 10; st=$?; took=$(($(now_ms) - t0))
echo "# R with ${r:-?} s left: online after $took ms"
# before the try that was due (when boxtopd took so long to start that under 2 s were left,
# only that it reconnects; test_screen_messages.sh proves R's timing against the fake)
[ $st = 0 ] && { [ -z "$r" ] || [ "$r" -lt 2 ] || [ "$took" -lt $(((r - 1) * 1000)) ]; }
ok $? "boxtopd back: R reconnects at once (after $took ms, ${r:-?} s were left)"
tui_wait "$ID" 5; ok $? "the sandbox is listed again"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
