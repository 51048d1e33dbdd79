#!/bin/sh
# test_events_open.sh - Enter on an event of a sandbox that has ended opens its post-mortem
# (the card of why it ended), as Enter on an ended row of the sandboxes view does; it only
# said "is gone" though the card was kept. A sandbox never seen alive still says it is gone
# and that no post-mortem is kept. Against a private boxtopd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..3"
cleanup() {
    tui_stop
    for i in $ID $ID2; do "$BOXTOP" kill "$i" >/dev/null 2>&1; done
    bxd_stop
    rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_start
export XDG_STATE_HOME="$TMPD/state"
ID2=$("$BOXTOP" create --timeout 300)
"$BOXTOP" kill "$ID2" >/dev/null # ended before boxtop saw it: no post-mortem
ID=$("$BOXTOP" create --timeout 120)
S=$(echo "$ID" | cut -c1-12)
tui_start 160 40
tui_wait "$S" 15
"$BOXTOP" timeout "$ID" 3 >/dev/null
tui_wait "$S.* ended .*time to live reached" 30
tui_keys :; tui_type events; tui_keys Enter
tui_wait "killed +$ID" 10
tui_keys g Enter # the newest event: its timeout kill
tui_wait "Post-mortem +$ID" 5 && tui_wait 'time to live reached' 3
ok $? "Enter on the killed event opens the sandbox's post-mortem"
tui_keys Escape
tui_wait 'Events \(team\)' 5; ok $? "Esc goes back to the events"
tui_keys /; tui_type "$ID2"; tui_keys Enter
tui_wait "killed +$ID2" 5
tui_keys g Enter
tui_wait "$ID2 is gone .*no post-mortem" 3
ok $? "a sandbox never seen alive: gone, no post-mortem kept ($(tui_screen | tail -n 1))"
tui_done
