#!/bin/sh
# test_copy_page.sh - the terminal's copy mode pages as tmux and less do: PgUp (and Ctrl-B)
# scroll the history up a page at once, the cursor keeping its row on the screen; PgDn and
# Ctrl-F scroll back down. The first PgUp only moved the cursor to the top row and nothing
# scrolled, so it looked like a key that did nothing. Against a private boxtopd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/bxd.sh"
echo "1..5"
bxd_one_sandbox
pfx() { tui_keys C-]; tui_keys "$@"; }
offset() { tui_screen | sed -n 3p | grep -o 'COPY [0-9]*' | grep -o '[0-9]*'; }
tui_start 100 30
tui_wait "$(echo "$ID" | cut -c1-12)" 15
tui_keys : ; tui_type "shell $ID"; tui_keys Enter
tui_wait '[$#] *$' 15
tui_type 'seq 1 300'; tui_keys Enter
tui_wait '^300 *$' 10
pfx '['; tui_wait 'COPY 0/' 5
tui_keys PageUp
tui_wait 'COPY 2[0-9]/' 3; ok $? "the first PgUp scrolls a page (COPY $(offset))"
tui_screen | sed -n 4p | grep -Eq '^2[3-5][0-9] *$'; ok $? "the top line is a page up ($(tui_screen | sed -n 4p))"
tui_keys C-b
tui_wait 'COPY [45][0-9]/' 3; ok $? "Ctrl-B scrolls another page (COPY $(offset))"
tui_keys PageDown
tui_wait 'COPY 2[0-9]/' 3; ok $? "PgDn scrolls a page back (COPY $(offset))"
tui_keys C-f
tui_wait 'COPY 0/' 3; ok $? "Ctrl-F scrolls back to the bottom (COPY $(offset))"
tui_keys q
tui_done
