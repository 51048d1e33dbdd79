#!/bin/sh
# test_screen_help.sh - golden screens of the help view (golden.sh: recorded session, keys,
# capture-pane compared with tests/tui/screens/help*.screen; UPDATE_SCREENS=1 rewrites them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..1"
golden_start 120 40 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys "?"
golden help
tui_done
