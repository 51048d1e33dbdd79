#!/bin/sh
# test_screen_volumes.sh - golden screens of the volumes view (`:volumes`; golden.sh,
# UPDATE_SCREENS=1 rewrites them): the recording's api.volumes (boxtopd's shape with size and
# mounts, one mounted by three sandboxes with a long name, E2B cloud's without either, a
# hostile name with escape sequences and a newline), the create prompt and a write a replay
# cannot do, the same at 80x24 (long text cut at the right edge, never wrapped), an empty
# team (screens/session_empty.json) and a recording without the section (three.json).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..7"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type volumes; tui_keys Enter
tui_wait 'Volumes \(4\)'
golden volumes
tui_title_safe
ok $? "a hostile volume name is drawn sanitized (no title change, no escape reaches tmux)"
tui_keys j j j D
tui_wait 'Delete volume'
golden volumes_delete
tui_keys n
tui_keys c; tui_wait 'New volume name'; tui_type scratch; tui_keys Enter
tui_wait 'volume: '
golden volumes_create_failed
tui_stop

golden_start 80 24 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type volumes; tui_keys Enter
tui_wait 'Volumes \(4\)'
golden volumes_80
tui_stop

golden_start 120 30 --replay "$GOLDEN_DIR/session_empty.json"
tui_wait ibx9only
tui_keys :; tui_type volumes; tui_keys Enter
tui_wait 'Volumes \(0\)'
golden volumes_empty
tui_stop

golden_start 120 30 --replay "$abs_top_srcdir/tests/tui/three.json"
tui_wait 'Sandboxes'
tui_keys :; tui_type volumes; tui_keys Enter
tui_wait 'cannot load'
golden volumes_error
tui_done
