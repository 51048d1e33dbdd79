#!/bin/sh
# test_term_resize.sh - issue 24 point 4: after the outer terminal is resized every part of the
# frame is repainted and stays: 200x50 -> 120x40 then `clear` in the shell must not blank the
# footer (hint bar) or the status line; 80x24 -> 120x30 must not leave the footer cut.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..8"

bxd_one_sandbox
run() { tui_type "$1"; tui_keys Enter; }
row() { tui_screen | sed -n "$1p"; } # row N of the pane (1-based)
FOOT='then: n/p/1-9 tab +d detach'

tui_start 200 50
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15; ok $? "a shell at 200x50"
row 49 | grep -Eq "$FOOT"; ok $? "the footer is on row 49"

tm resize-window -t t -x 120 -y 40; sleep 1
run 'stty size'; tui_wait '^35 120 *$' 5
row 39 | grep -Eq "$FOOT"; ok $? "after 200x50 -> 120x40 the footer is on row 39"
run 'clear'; sleep 1
row 39 | grep -Eq "$FOOT"; ok $? "clear in the shell leaves the footer"
run 'echo after-clear'; tui_wait '^after-clear' 5; sleep 0.5
row 39 | grep -Eq "$FOOT" && row 1 | grep -q 'boxtop'; ok $? "the footer and header stay after more output"
tui_stop

tui_start 80 24
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15
tm resize-window -t t -x 120 -y 30; sleep 1
run 'stty size'; tui_wait '^25 120 *$' 5; ok $? "80x24 -> 120x30: the shell has 25x120"
row 29 | grep -Eq 'prefix|\? help *$' ; ok $? "80x24 -> 120x30: the footer is not cut at 80 columns"
run 'clear'; sleep 1
row 29 | grep -Eq "$FOOT" && row 1 | grep -q 'boxtop'; ok $? "80x24 -> 120x30: clear leaves header and footer"
exit 0
