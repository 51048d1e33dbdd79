#!/bin/sh
# test_polish.sh - issue 23's acceptance against a real boxtopd, driven in tmux as a new user
# would: one start shows "starts/min 1"; five sandboxes with 21-character ids show every id
# whole at 120 and at 80 columns (where the metadata column goes first); the header's
# "updated" time moves while a terminal tab is open for 30 s; `s` twice on one sandbox leaves
# one tab, prefix c makes a second.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
STATE=$TMPD/bxd
echo "1..9"

cleanup() {
    tui_stop
    if [ -n "$DPID" ] && kill -0 "$DPID" 2>/dev/null; then
        for id in $IDS; do "$BOXTOP" kill "$id" >/dev/null 2>&1; done
        kill "$DPID"; wait "$DPID" 2>/dev/null
    fi
    rm -rf "$TMPD"
}
trap cleanup EXIT
bxd_start # in $STATE

pfx() { tui_keys C-]; tui_keys "$@"; }
updated() { tui_screen | sed -n 2p | grep -o 'updated [0-9:]*'; }

tui_start 120 30
tui_wait 'Sandboxes \(0 of 0\)' 15
A=$("$BOXTOP" create --timeout 600 --metadata owner=someone-with-a-long-name)
IDS=$A
tui_wait 'starts/min 1 ' 20; ok $? "one start shows starts/min 1 (never 12)"

for i in 1 2 3 4; do IDS="$IDS $("$BOXTOP" create --timeout 600 --metadata owner=someone-with-a-long-name)"; done
tui_wait 'Sandboxes \(5 of 5\)' 15
whole=0; for id in $IDS; do [ ${#id} = 21 ] && tui_screen | grep -q -- " $id " && whole=$((whole+1)); done
[ "$whole" = 5 ]; ok $? "120 columns: all five 21-character ids whole ($whole)"
tui_screen | grep -q 'METADATA'; ok $? "120 columns: the metadata column is still there"
tm resize-window -t t -x 80 -y 30; sleep 1
whole=0; for id in $IDS; do tui_screen | grep -q -- " $id " && whole=$((whole+1)); done
[ "$whole" = 5 ]; ok $? "80 columns: all five ids whole ($whole)"
! tui_screen | grep -q 'METADATA' && tui_screen | grep -q 'MEMORY'
ok $? "80 columns: the metadata column went first, the figures stay"
tm resize-window -t t -x 120 -y 30; sleep 0.5

# the first row is selected (ids sorted); open its shell
tui_keys g s
tui_wait '[$#] *$' 20
t1=$(updated)
sleep 30
t2=$(updated)
[ -n "$t1" ] && [ -n "$t2" ] && [ "$t1" != "$t2" ]; ok $? "a terminal open 30 s: the header's time moves ($t1 -> $t2)"

FIRST=$(printf '%s\n' $IDS | sort | head -1)
pfx q
tui_wait 'Sandboxes \(5 of 5\)' 5
tui_keys s
tui_wait 'switched to the open shell' 5; ok $? "s again says it switched to the open tab"
tui_screen | grep -q " 1:$FIRST" && ! tui_screen | grep -q ' 2:i'; ok $? "s twice on one sandbox leaves one tab"
pfx c
tui_wait " 2:$FIRST" 20; ok $? "prefix c opens a second tab on the same sandbox"
tui_done
