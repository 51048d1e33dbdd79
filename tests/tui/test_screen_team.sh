#!/bin/sh
# test_screen_team.sh - golden screens of the team view (golden.sh: recorded session, keys,
# capture-pane compared with tests/tui/screens/team*.screen; UPDATE_SCREENS=1 rewrites them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..1"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type team; tui_keys Enter
golden team
tui_done
