#!/bin/sh
# test_screen_logs.sh - golden screens of the logs view (golden.sh: recorded session, keys,
# capture-pane compared with tests/tui/screens/logs*.screen; UPDATE_SCREENS=1 rewrites them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..2"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type "logs ibx1running0000000001"; tui_keys Enter
golden logs
tui_keys 3
golden logs_warn
tui_done
