#!/bin/sh
# test_header_updated.sh - issue 23: the header's "updated" time moves with every answered
# list round even when nothing changed (no sandbox, no team metrics). Each answered round
# touches the model (backend_e2b.c on_list), which redraws the header; this guards that.
# (test_polish.sh checks it with a terminal tab open for 30 s against boxtopd.)
. "$(dirname "$0")/lib.sh"
echo "1..1"
echo '[]' > "$TMPD/state.json"
node "$abs_top_srcdir/tests/tui/fake_api.js" 0 "$TMPD/state.json" > "$TMPD/fake.out" 2>&1 &
FAKE=$!
cleanup() { kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; tui_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
unset E2B_TEAM_ID E2B_SANDBOX_URL
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
updated() { tui_screen | sed -n 2p | grep -o 'updated [0-9:]*'; }
tui_start 120 30 --api-url "http://127.0.0.1:$PORT"
tui_wait 'updated [0-9]' 10
t1=$(updated)
sleep 12 # two rounds or more (every 5 s, jittered by 10 %)
t2=$(updated)
[ -n "$t1" ] && [ -n "$t2" ] && [ "$t1" != "$t2" ]; ok $? "nothing changes, the header's time still moves ($t1 -> $t2)"
