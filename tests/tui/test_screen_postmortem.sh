#!/bin/sh
# test_screen_postmortem.sh - golden screens of issue 17's ended rows and post-mortem card
# (golden.sh: recorded session, keys, capture-pane compared with
# tests/tui/screens/postmortem*.screen; UPDATE_SCREENS=1 rewrites them). A kill in the replay
# ends ibx1running: its row stays as ended, the card shows its samples, logs and events.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..3"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys K; tui_wait 'Kill sandbox'; tui_keys y
tui_wait 'ibx1running0+1 +base +ended'
tui_wait 'ibx1running0+1 .* cause unknown' 20 # no killed event in the recording
golden postmortem_rows
tui_keys G Enter
tui_wait 'Post-mortem'
tui_wait_gone 'checking the lifecycle' 15
golden postmortem_card
tui_keys Escape; tui_keys :; tui_type ended; tui_keys Enter
tui_wait 'Ended sandboxes'
golden postmortem_ended
tui_done
