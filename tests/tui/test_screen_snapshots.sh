#!/bin/sh
# test_screen_snapshots.sh - golden screens of the snapshots view (`:snapshots`; golden.sh,
# UPDATE_SCREENS=1 rewrites them): the recording's api.snapshots (a named one, a very long
# name, a hostile id with escape sequences and a newline, E2B cloud's shape without source,
# time or size), the delete question, a sandbox from a snapshot (its time to live asked, the
# new row in the sandboxes), the same at 80x24 (long text cut at the right edge,
# never wrapped), an empty team (screens/session_empty.json) and a recording without the
# section (three.json: the error state).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..8"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type snapshots; tui_keys Enter
tui_wait 'Snapshots \(4\)'
golden snapshots
tui_title_safe
ok $? "a hostile snapshot id is drawn sanitized (no title change, no escape reaches tmux)"
tui_keys j j D
tui_wait 'Delete snapshot'
golden snapshots_delete
tui_keys n; tui_wait cancelled; sleep 1.1 # a key then clears the message (STATUS_READ_MS)
tui_keys k; tui_wait_gone cancelled
tui_keys n
tui_wait 'Time to live'
tui_type 10m
golden snapshots_new_prompt
tui_keys Enter
tui_wait 'created replay0001'
golden snapshots_new_created
tui_stop

golden_start 80 24 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type snapshots; tui_keys Enter
tui_wait 'Snapshots \(4\)'
golden snapshots_80
tui_stop

golden_start 120 30 --replay "$GOLDEN_DIR/session_empty.json"
tui_wait ibx9only
tui_keys :; tui_type snapshots; tui_keys Enter
tui_wait 'Snapshots \(0\)'
golden snapshots_empty
tui_stop

golden_start 120 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxes'
tui_keys :; tui_type snapshots; tui_keys Enter
tui_wait 'cannot load'
golden snapshots_error
tui_done
