#!/bin/bash
# test_files_rename.sh - issue 24 point 5: `R` onto a name that exists never replaces it
# silently, in either pane: it asks (y overwrites, n cancels and leaves both files alone).
. "$(dirname "$0")/lib.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
BOXTOP=${BOXTOP:-$abs_top_builddir/src/boxtop}
echo "1..6"
tui_boxtopd files-rename 1 6
ID=$(boxtopd_new_sandbox)
bx() { "$BOXTOP" exec "$ID" -- "$@"; }
L=$TMPD/local
mkdir -p "$L"
printf '1 2 3\n' > "$L/nums.txt"
printf 'control\n' > "$L/ctrl.txt"
bx sh -c 'printf "1 2 3\n" > /home/user/nums.txt; printf "control\n" > /home/user/ctrl.txt'
cd "$L"
tui_start 160 30
tui_wait "$ID" 15
tui_keys f
tui_wait 'sandbox: /home/user' 10
tui_wait 'ctrl.txt.*ctrl.txt' 5
sel() { tui_keys '/'; tui_type "$1"; tui_keys Enter; }

# ---- sandbox pane ----
tui_keys Tab
sel nums; tui_keys R; tui_keys C-u; tui_type "ctrl.txt"; tui_keys Enter
tui_wait '"ctrl.txt" exists' 5; st=$?
tui_keys n; sleep 0.5
[ "$(bx cat /home/user/ctrl.txt)" = control ] && [ "$(bx cat /home/user/nums.txt)" = "1 2 3" ] || st=1
ok $st "sandbox: renaming onto an existing file asks; n keeps both"
tui_wait 'cancelled' 3; ok $? "sandbox: the cancel is said"
tui_keys '/'; tui_keys Enter
sel nums; tui_keys R; tui_keys C-u; tui_type "ctrl.txt"; tui_keys Enter
tui_wait '"ctrl.txt" exists' 5; tui_keys y
n=50; while [ $n -gt 0 ] && bx test -e /home/user/nums.txt; do sleep 0.1; n=$((n-1)); done
[ "$(bx cat /home/user/ctrl.txt)" = "1 2 3" ] && ! bx test -e /home/user/nums.txt
ok $? "sandbox: y overwrites"

# ---- local pane ----
tui_keys '/'; tui_keys Enter
tui_keys Tab
sel nums; tui_keys R; tui_keys C-u; tui_type "ctrl.txt"; tui_keys Enter
tui_wait '"ctrl.txt" exists' 5; st=$?
tui_keys n; sleep 0.5
[ "$(cat "$L/ctrl.txt")" = control ] && [ "$(cat "$L/nums.txt")" = "1 2 3" ] || st=1
ok $st "local: renaming onto an existing file asks; n keeps both"
tui_keys '/'; tui_keys Enter
sel nums; tui_keys R; tui_keys C-u; tui_type "ctrl.txt"; tui_keys Enter
tui_wait '"ctrl.txt" exists' 5; tui_keys y; sleep 0.5
[ "$(cat "$L/ctrl.txt")" = "1 2 3" ] && [ ! -e "$L/nums.txt" ]; ok $? "local: y overwrites"
tui_wait 'renamed' 3; ok $? "a rename that succeeded is said"
tui_stop
boxtopd_teardown >/dev/null || echo "# teardown: $BOXTOPD_PROBLEMS"
rm -rf "$TMPD"
exit $FAILED
