#!/bin/bash
# test_status_line.sh - issue 24 point 12: status-line messages expire (after a few seconds, or
# on the next key once shown a moment), belong to their tab (a shell's exit code is not shown
# in another tab, copy mode's "not found" goes with copy mode), and successes are said
# (delete, mkdir, copy in the file browser).
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
N=7
echo "1..$N"
REPLAY=$abs_top_srcdir/tests/tui/three.json

# ---- expiry (a replay: no backend needed) ----
tui_start 100 30 --replay "$REPLAY"
tui_wait 'Sandboxes \(3 of 3\)' 8
tui_keys :; tui_type logs; tui_keys Enter
tui_wait 'usage: :logs' 3; sleep 1.5; tui_keys j
tui_wait_gone 'usage: :logs' 2; ok $? "a warning goes on the next key"
tui_keys :; tui_type logs; tui_keys Enter
tui_wait 'usage: :logs' 3 && tui_wait_gone 'usage: :logs' 16; ok $? "a warning goes by itself after a few seconds"
tui_stop

tui_boxtopd status-line 3 $N
ID=$(boxtopd_new_sandbox)
"$BOXTOP" exec "$ID" -- sh -c 'echo x > /home/user/gone.txt'
mkdir -p "$TMPD/local"; cd "$TMPD/local"; printf 'up\n' > up.txt
tui_start 160 30
tui_wait "$ID" 15
tui_keys f; tui_wait 'gone.txt' 10
sel() { tui_keys '/'; tui_type "$1"; tui_keys Enter; }
tui_keys Tab; sel gone; tui_keys D; tui_wait 'Delete gone.txt' 3; tui_keys y
tui_wait 'deleted gone.txt' 5; ok $? "a delete that succeeded says so"
tui_keys '/'; tui_keys Enter
tui_keys Tab; tui_keys M; tui_type newdir; tui_keys Enter
tui_wait 'made directory newdir' 5; ok $? "mkdir says so"
sel up.txt; tui_keys c
tui_wait 'copied .*up.txt' 10; ok $? "a copy that finished says so"
tui_keys q; tui_wait "$ID" 5

# ---- messages belong to their tab ----
pfx() { tui_keys C-]; tui_keys "$@"; }
run() { tui_type "$1"; tui_keys Enter; }
tui_keys :; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15
run 'echo TAB-ONE'
pfx : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15; sleep 0.5
run 'exit 3'; tui_wait 'exited with code 3' 10
pfx 1; tui_wait 'TAB-ONE' 5; sleep 0.3
! tui_screen | grep -q 'exited with code 3'; ok $? "tab 2's exit message is not shown in tab 1"
# copy mode: a search that finds nothing, then leaving copy mode
pfx '['; tui_wait 'COPY [0-9]+/' 5
tui_keys '/'; tui_type 'no-such-text-here'; tui_keys Enter
tui_wait 'not found: no-such-text-here' 5; st=$?
tui_keys q; sleep 0.3
tui_wait_gone 'not found: no-such-text-here' 2 || st=1
ok $st "copy mode's 'not found' goes with copy mode"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
