#!/bin/sh
# test_screen_terminal.sh - golden screens of the terminal view: a recorded shell of the
# session (asciicast v2 in screens/session.json's api.terminals) replayed into the terminal
# engine, shown as an exited session (golden.sh; UPDATE_SCREENS=1 rewrites them).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/golden.sh"
echo "1..1"
golden_start 120 30 --replay "$GOLDEN_SESSION"
tui_wait ibx3idle
tui_keys s
golden terminal
tui_done
