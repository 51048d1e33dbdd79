#!/bin/sh
# test_screen_sandboxes.sh - golden screens of the sandboxes view (golden.sh: recorded session, keys,
# capture-pane compared with tests/tui/screens/sandboxes*.screen; UPDATE_SCREENS=1 rewrites them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..3"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
golden sandboxes
tui_keys /; tui_type "state:running"; tui_keys Enter
golden sandboxes_filtered
tui_keys Escape ">"
golden sandboxes_sorted
tui_done
