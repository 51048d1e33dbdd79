#!/bin/sh
# test_screen_loading.sh - golden screens of the loading states (golden.sh, UPDATE_SCREENS=1
# rewrites them) of the views that fetch before they can draw rows: snapshots, volumes,
# webhooks and commands, against a loopback fake that never answers those requests
# (fake_cloud_golden_cmds.js: /snapshots, /volumes, /events/webhooks, ihang's logs). The
# title has no count until an answer came; leaving a view while it loads cancels its request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..5"
: > "$TMPD/fake.out"
node "$abs_top_srcdir/tests/tui/fake_cloud_golden_cmds.js" > "$TMPD/fake.out" 2>&1 &
FAKE=$!
cleanup() { kill "$FAKE" 2>/dev/null; wait "$FAKE" 2>/dev/null; tui_stop; rm -rf "$TMPD"; }
trap cleanup EXIT
n=100; while [ $n -gt 0 ] && ! grep -q PORT "$TMPD/fake.out"; do sleep 0.05; n=$((n-1)); done
PORT=$(awk '/PORT/ {print $2}' "$TMPD/fake.out")
export E2B_API_KEY=e2b_00000000000000000000000000000000deadbeef
export E2B_SANDBOX_URL="http://127.0.0.1:$PORT"
GOLDEN_MASK="s|127.0.0.1:$PORT|FAKE|g"

golden_start 120 30 --api-url "http://127.0.0.1:$PORT"
tui_wait ihang 10
tui_wait 'starts/min 0' 20 # the second listing: the header's count stops changing
for v in snapshots volumes webhooks; do
    tui_keys :; tui_type "$v"; tui_keys Enter
    tui_wait 'loading' 5
    golden "${v}_loading"
    tui_keys Escape
done
# Esc dropped requests still in flight: boxtop goes on (the webhooks view's cancel crashed)
tui_wait 'Sandboxes' 5 && [ ! -f "$TMPD/exit" ]
ok $? "Esc while the list views load cancels their requests; boxtop runs on"
tui_keys :; tui_type 'commands ihang'; tui_keys Enter
tui_wait 'loading' 5
golden commands_loading
tui_done
