#!/bin/sh
# test_screen_events.sh - golden screens of the events view (golden.sh: recorded session, keys,
# capture-pane compared with tests/tui/screens/events*.screen; UPDATE_SCREENS=1 rewrites them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..3"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys :; tui_type events; tui_keys Enter
golden events
# Enter on an event opens its sandbox's detail (the events view is handed the opener); Esc back
tui_keys Enter
tui_wait 'Sandbox ibx1running0000000001' 10; ok $? "Enter on an event opens its sandbox's detail view"
tui_keys Escape; tui_wait 'Events \(team\)' 10
tui_keys t t
golden events_type
tui_done
