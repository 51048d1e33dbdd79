#!/bin/bash
# test_keys_views.sh - issue 23: every view's actions are bindable in [keys] (keymap_views.c):
# a config that moves a logs-view action ([keys.logs] follow = F) and a files-view action
# (files.hidden = H, the VIEW.action spelling) works in those views (the new key acts, the
# old one does nothing) and their footers and ? help name the new keys; bad names and clashes
# within a view are refused with the file's line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
. "$abs_top_srcdir/tests/integration/lib/boxtopd.sh"
echo "1..10"
REAL_TUI=$BOXTOP_TUI
mkdir -p "$TMPD/loc"
: > "$TMPD/loc/.dotfile-here"
: > "$TMPD/loc/visible.txt"
printf '[keys]\nfiles.hidden = H\n\n[keys.logs]\nfollow = F\n' > "$TMPD/keys.conf"
cd "$TMPD/loc" || exit 1
golden_start 120 30 --config "$TMPD/keys.conf" --replay "$GOLDEN_SESSION"
tui_wait ibx3idle 10
tui_keys :; tui_type "logs ibx1running0000000001"; tui_keys Enter
tui_wait '\[following\]' 5
tui_screen | tail -2 | grep -q 'F follow  L/1-4 level' && ! tui_screen | tail -2 | grep -q 'f follow'
ok $? "the logs footer says F follow"
tui_keys f; sleep 0.5
tui_screen | grep -q '\[following\]'; ok $? "f no longer stops following"
tui_keys F
tui_wait_gone '\[following\]' 3; ok $? "F stops following"
tui_keys '?'
tui_wait 'Keys: logs' 3 && tui_screen | grep -Eq '│ F +follow on/off'; ok $? "the logs help lists F for follow"
tui_stop

# the file browser needs a live backend: a private boxtopd with one sandbox
BOXTOPD_EXIT_HOOK='tui_stop; rm -rf "$TMPD"'
boxtopd_start keys-views || { echo "# boxtopd did not start"; }
ID=$(boxtopd_new_sandbox)
tui_start 120 30 --config "$TMPD/keys.conf"
tui_wait "$ID" 15
tui_keys f
tui_wait 'visible.txt' 5; ok $? "the file browser opens on the local directory"
tui_screen | tail -2 | grep -q '  H hidden'; ok $? "the files footer says H hidden"
tui_screen | grep -q '.dotfile-here'; hidden_shown=$?
tui_keys .; sleep 0.5
tui_screen | grep -q '.dotfile-here'; [ $? = $hidden_shown ]; ok $? ". no longer toggles hidden files"
tui_keys H; sleep 0.5
tui_screen | grep -q '.dotfile-here'; [ $? != $hidden_shown ]; ok $? "H toggles hidden files"
tui_stop

printf '[keys.logs]\nfollow = W\n' > "$TMPD/clash.conf"
"$REAL_TUI" --config "$TMPD/clash.conf" --replay "$GOLDEN_SESSION" >/dev/null 2>"$TMPD/err"; rc=$?
[ $rc = 2 ] && grep -q 'clash.conf:2: logs.follow and logs.wrap are both on key W' "$TMPD/err"
ok $? "two actions of one view on one key are refused ($(cat "$TMPD/err"))"
printf '[keys]\nlogs.flolow = F\n' > "$TMPD/bad.conf"
"$REAL_TUI" --config "$TMPD/bad.conf" --replay "$GOLDEN_SESSION" >/dev/null 2>"$TMPD/err"; rc=$?
[ $rc = 2 ] && grep -q 'bad.conf:2: unknown action logs.flolow (valid: follow, level' "$TMPD/err"
ok $? "an unknown action names the view's valid ones ($(cat "$TMPD/err"))"
tui_done
