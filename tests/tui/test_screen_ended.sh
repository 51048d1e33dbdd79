#!/bin/sh
# test_screen_ended.sh - golden screens of the ended sandboxes view (`:ended`, view_ended.c;
# golden.sh, UPDATE_SCREENS=1 rewrites them; its populated screen at 120x30 is
# postmortem_ended in test_screen_postmortem.sh): none ended yet, and at 80x24 a hostile and
# a very long sandbox id and a long template ended by kills in the replay
# (screens/session_hostile.json: sanitized, cut in their columns, never wrapped).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..3"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type ended; tui_keys Enter
tui_wait 'Ended sandboxes'
golden ended_empty
tui_stop

golden_start 80 24 --replay "$GOLDEN_DIR/session_hostile.json"
tui_wait ilong
tui_keys Space Space K; tui_wait 'Kill 2 sandboxes'; tui_keys y
tui_wait 'killed ilong'
tui_keys :; tui_type ended; tui_keys Enter
tui_wait 'Ended sandboxes \(2'
golden ended_80
tui_title_safe
ok $? "a hostile ended sandbox id is drawn sanitized"
tui_done
